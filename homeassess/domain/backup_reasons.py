"""Why a backup was made: it decides how long the backup is kept and how a list names it."""

from __future__ import annotations

from enum import StrEnum


class BackupReason(StrEnum):
    DAILY = "daily"                    # the first start of a day
    CLOSE = "close"                    # every time the app closes
    MANUAL = "manual"                  # "Back up now" or `homeassess backup create`
    BEFORE_UPGRADE = "before-upgrade"  # before a new version changes the database's layout
    BEFORE_RESTORE = "before-restore"  # what was in use, before a backup replaced it

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def pinned(self) -> bool:
        """Kept for 30 days whatever the daily/weekly/monthly schedule says (someone asked for it, or
        it is the way back from an upgrade or a restore)."""
        return self in (BackupReason.MANUAL, BackupReason.BEFORE_UPGRADE, BackupReason.BEFORE_RESTORE)


_LABELS = {BackupReason.DAILY: "Daily", BackupReason.CLOSE: "When HomeAssess closed",
           BackupReason.MANUAL: "Made by you", BackupReason.BEFORE_UPGRADE: "Before an upgrade",
           BackupReason.BEFORE_RESTORE: "Before a restore"}
