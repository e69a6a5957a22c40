"""Equipment catalogue entries, regions and search (REFERENCE §2.14, §5.5).

Generic entries ship as data files (``homeassess/catalogue/data``); supplier products are
imported from CSV and mapped to a generic entry so a recommendation can be ordered from either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from homeassess.domain.profiles import StandardProfile


class Category(StrEnum):
    BATHING = "bathing"
    TOILETING = "toileting"
    TRANSFERS = "transfers"
    BED = "bed"
    SEATING = "seating"
    MOBILITY = "mobility"
    RAILS = "rails"
    ACCESS = "access"
    KITCHEN = "kitchen"
    DAILY_LIVING = "daily_living"
    SAFETY = "safety"
    MODIFICATION = "modification"
    WORKSTATION = "workstation"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Trade(StrEnum):
    SUPPLIER = "supplier"
    FAMILY = "family"
    HANDYPERSON = "handyperson"
    PLUMBER = "plumber"
    ELECTRICIAN = "electrician"
    BUILDER = "builder"


CURRENCY = {StandardProfile.US: "USD", StandardProfile.UK: "GBP", StandardProfile.AU: "AUD"}
CURRENCY_SYMBOL = {"USD": "$", "GBP": "£", "AUD": "A$"}

# Sizing rules (domain/sizing.py) a product's size or setting comes from.
SIZING_KEYS = frozenset({"raise_toilet", "raise_chair", "raise_bed", "bath_board", "bathing_seat",
                         "perching_stool", "toilet_rail", "stair_rail", "ramp", "door"})


def money(amount: float | None, currency: str) -> str:
    if amount is None:
        return "not estimated"
    symbol = CURRENCY_SYMBOL.get(currency, currency + " ")
    return f"{symbol}{amount:,.2f}" if amount % 1 else f"{symbol}{amount:,.0f}"


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """A generic product or modification item."""

    code: str
    name: str
    category: Category
    iso9999: str
    description: str
    sizes: str
    costs: dict[StandardProfile, tuple[int, int]]
    install: bool
    trade: Trade
    for_recommendations: tuple[str, ...] = ()
    swl_kg: float | None = None
    hcpcs: str = ""
    adjust_min_mm: float | None = None
    adjust_max_mm: float | None = None
    sizing: str | None = None
    reference: str = ""

    def cost_range(self, region: StandardProfile) -> tuple[int, int]:
        return self.costs[region]

    def typical_cost(self, region: StandardProfile) -> float:
        """Middle of the region's typical range: the estimate before a supplier price is known."""
        low, high = self.costs[region]
        return round((low + high) / 2)

    def search_text(self) -> str:
        return " ".join((self.code, self.name, self.description, self.sizes, self.iso9999, self.hcpcs,
                         self.category.label)).lower()


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    text: str = ""
    category: Category | None = None
    region: StandardProfile = StandardProfile.UK
    max_cost: float | None = None
    min_swl_kg: float | None = None
    hcpcs_only: bool = False
    recommendation_id: str | None = None


@dataclass(slots=True)
class Catalogue:
    entries: dict[str, CatalogueEntry] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, code: str) -> CatalogueEntry | None:
        return self.entries.get(code)

    def for_recommendation(self, template_id: str) -> list[CatalogueEntry]:
        return [e for e in self.entries.values() if template_id in e.for_recommendations]

    def search(self, flt: CatalogueFilter) -> list[CatalogueEntry]:
        words = [w for w in re.split(r"\s+", flt.text.lower().strip()) if w]
        out = []
        for entry in self.entries.values():
            if flt.category is not None and entry.category is not flt.category:
                continue
            if flt.max_cost is not None and entry.cost_range(flt.region)[0] > flt.max_cost:
                continue
            if flt.min_swl_kg is not None and (entry.swl_kg is None or entry.swl_kg < flt.min_swl_kg):
                continue
            if flt.hcpcs_only and not entry.hcpcs:
                continue
            if flt.recommendation_id and flt.recommendation_id not in entry.for_recommendations:
                continue
            text = entry.search_text()
            if all(w in text for w in words):
                out.append(entry)
        return sorted(out, key=lambda e: (e.category.value, e.name.lower()))


_WORD = re.compile(r"[a-z]+|\d+")
_STOP = frozenset({"and", "with", "for", "the", "of", "in", "mm", "cm", "in", "inch", "x", "a", "to"})


def _tokens(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def suggest_generic(name: str, catalogue: Catalogue, *, threshold: float = 0.34) -> CatalogueEntry | None:
    """The generic entry whose name shares most words with a supplier's product name, if any is close."""
    words = _tokens(name)
    best, best_score = None, 0.0
    for entry in catalogue.entries.values():
        other = _tokens(entry.name)
        if not words or not other:
            continue
        score = len(words & other) / len(words | other)
        if score > best_score:
            best, best_score = entry, score
    return best if best_score >= threshold else None
