"""Error kinds shared by every layer (STYLE §5.11)."""

from __future__ import annotations

from dataclasses import dataclass


class HomeAssessError(Exception):
    """Base for errors we expect and can explain to a person."""


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class ValidationError(HomeAssessError):
    """Input the user can fix; carries one message per field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


class UnusualValueError(ValidationError):
    """A possible but unusual number (a 6600 mm door): kept only when the person confirms it."""


class NotFoundError(HomeAssessError):
    """A record (client, assessment, room, ...) does not exist."""


class AmbiguousIdError(HomeAssessError):
    """An id prefix matches more than one record."""


class ConflictError(HomeAssessError):
    """An edit that the record's state does not allow."""


class StorageError(HomeAssessError):
    """The environment failed: disk full, read-only, locked, corrupt or newer database."""


class DatabaseDamagedError(StorageError):
    """The database file is damaged, empty, not a database, or missing while backups exist. It is
    never replaced or re-created silently: the person is told and offered ``newest_backup``."""

    def __init__(self, message: str, *, newest_backup: str | None, described: str = "") -> None:
        self.newest_backup = newest_backup
        self.described = described or (newest_backup or "")   # "Tue 1 Dec 2026, 09:00 (2 clients, 3 visits)"
        hint = (f" The newest good backup is {newest_backup}: restore it from the app, or with "
                f"`homeassess backup restore {newest_backup}`." if newest_backup else " No good backup was found.")
        super().__init__(message + " Nothing was changed." + hint)
        self.problem = message


class DataFolderBusyError(StorageError):
    """Another HomeAssess is using this data folder (one writer at a time)."""


class ChecklistDefinitionError(HomeAssessError):
    """Shipped checklist data is invalid; lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in checklist data:\n" + "\n".join(self.problems))


class CatalogueDefinitionError(HomeAssessError):
    """Shipped or given catalogue data is invalid; lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in catalogue data:\n" + "\n".join(self.problems))
