"""The shipped checklists and recommendation library, loaded once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from homeassess.checklists.loader import CHILD_WORDING, LoadedData, load_files
from homeassess.domain.checklist import Checklist, Choice, RecommendationTemplate
from homeassess.domain.errors import NotFoundError

# Order in which room types are offered (a typical walk through a home, then workplace).
ROOM_TYPE_ORDER = ("entrance", "hallway", "stairs", "living_room", "kitchen", "bathroom", "toilet",
                   "bedroom", "laundry", "outdoor", "garage", "whole_house", "workstation",
                   "workplace_access", "work_task")
# Room types written for a workplace visit (their wording speaks of work, not home).
WORKPLACE_ROOM_TYPES = frozenset({"workstation", "workplace_access", "work_task"})


def shipped_paths() -> tuple[list[Path], list[Path]]:
    base = Path(str(resources.files("homeassess.checklists")))
    return sorted((base / "data").glob("*.toml")), sorted((base / "recommendations").glob("*.toml"))


@dataclass(frozen=True)
class Registry:
    """Lookup of checklist versions and recommendations; immutable after loading."""

    data: LoadedData

    @classmethod
    def load(cls, checklist_paths: list[Path] | None = None,
             library_paths: list[Path] | None = None) -> Registry:
        shipped_checklists, shipped_libraries = shipped_paths()
        return cls(load_files(checklist_paths if checklist_paths is not None else shipped_checklists,
                              library_paths if library_paths is not None else shipped_libraries,
                              CHILD_WORDING if library_paths is None else None))

    def latest(self, checklist_id: str) -> Checklist:
        versions = [v for (cid, v) in self.data.checklists if cid == checklist_id]
        if not versions:
            raise NotFoundError(f"no checklist for room type {checklist_id!r}")
        return self.data.checklists[(checklist_id, max(versions))]

    def get(self, checklist_id: str, version: int) -> Checklist:
        try:
            return self.data.checklists[(checklist_id, version)]
        except KeyError:
            raise NotFoundError(f"checklist {checklist_id} v{version} is not installed") from None

    def room_types(self) -> list[Checklist]:
        """Latest version of every room type, in walk-through order."""
        ids = {cid for cid, _ in self.data.checklists}
        ordered = [c for c in ROOM_TYPE_ORDER if c in ids] + sorted(ids - set(ROOM_TYPE_ORDER))
        return [self.latest(c) for c in ordered]

    def room_types_for(self, visit_kind: str) -> list[Checklist]:
        """Room types in the order a visit of this kind offers them: a workplace visit starts with the
        workplace checklists (a staff toilet or kitchen still follows), a home visit ends with them."""
        work = [c for c in self.room_types() if c.id in WORKPLACE_ROOM_TYPES]
        rest = [c for c in self.room_types() if c.id not in WORKPLACE_ROOM_TYPES]
        return work + rest if visit_kind == "workplace" else rest + work

    def latest_versions(self) -> dict[str, int]:
        return {c.id: c.version for c in self.room_types()}

    def recommendation(self, rec_id: str) -> RecommendationTemplate:
        try:
            return self.data.recommendations[rec_id]
        except KeyError:
            raise NotFoundError(f"recommendation {rec_id!r} is not in the library") from None

    def recommendations(self) -> list[RecommendationTemplate]:
        return list(self.data.recommendations.values())

    def for_child(self, text: str) -> str:
        """The words the parents read in place of ``text`` (wording/child.toml); ``text`` if none."""
        return self.data.child_texts.get(text, text)

    def is_adult_only(self, rec_id: str) -> bool:
        """Adult advice (walking frames, hip kits, pendant alarms) never made for a child."""
        if rec_id in self.data.choices:
            return all(o.recommendation in self.data.adult_only for o in self.data.choices[rec_id].options)
        return rec_id in self.data.adult_only

    def choice(self, choice_id: str) -> Choice:
        try:
            return self.data.choices[choice_id]
        except KeyError:
            raise NotFoundError(f"choice {choice_id!r} is not in the library") from None

    def is_choice(self, rec_or_choice_id: str) -> bool:
        return rec_or_choice_id in self.data.choices

    def choice_of(self, rec_id: str) -> str | None:
        """The choice a recommendation is an option of, if any."""
        return self._option_of.get(rec_id)

    @cached_property
    def _option_of(self) -> dict[str, str]:
        return {o.recommendation: c.id for c in self.data.choices.values() for o in c.options}
