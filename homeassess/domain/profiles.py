"""Standard profiles (which published thresholds apply) and display unit systems."""

from __future__ import annotations

from enum import StrEnum


class StandardProfile(StrEnum):
    """Which body of standards measurements are judged against (REFERENCE §3)."""

    US = "US"
    UK = "UK"
    AU = "AU"

    @property
    def label(self) -> str:
        return {
            "US": "US (2010 ADA Standards as benchmark)",
            "UK": "UK (Approved Documents M/K, BS 8300)",
            "AU": "Australia (AS 1428.1, Livable Housing Design)",
        }[self.value]


class DisplayUnits(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"
