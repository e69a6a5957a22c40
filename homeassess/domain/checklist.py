"""Checklist and recommendation definitions as immutable values.

The loader in ``homeassess.checklists`` builds these from TOML data files; rules in
``homeassess.domain.findings`` evaluate them. Limits are stored in canonical units
(mm, °C, percent gradient, lux, N, kg, degrees).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from homeassess.domain.profiles import StandardProfile


class ItemKind(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    MEASURE = "measure"
    COUNT = "count"
    TEXT = "text"


class Quantity(StrEnum):
    LENGTH = "length"
    TEMPERATURE = "temperature"
    SLOPE = "slope"
    LIGHT = "light"
    FORCE = "force"
    WEIGHT = "weight"
    ANGLE = "angle"
    INDEX = "index"   # a dimensionless score, e.g. the NIOSH lifting index


class Hazard(StrEnum):
    FALL = "fall"
    TRIP = "trip"
    TRANSFER = "transfer"
    SCALD = "scald"
    BURN = "burn"
    FIRE = "fire"
    ELECTRICAL = "electrical"
    ACCESS = "access"
    REACH = "reach"
    LIGHTING = "lighting"
    SUMMON_HELP = "summon_help"
    WANDERING = "wandering"
    MEDICATION = "medication"
    POISONING = "poisoning"
    DROWNING = "drowning"
    ERGONOMIC = "ergonomic"
    FATIGUE = "fatigue"
    SECURITY = "security"
    OTHER = "other"


class RecCategory(StrEnum):
    MODIFICATION = "modification"
    EQUIPMENT = "equipment"
    EDUCATION = "education"
    REFERRAL = "referral"


class Cost(StrEnum):
    FREE = "free"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(Cost).index(self)


class Effort(StrEnum):
    QUICK = "quick"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"

    @property
    def rank(self) -> int:
        return list(Effort).index(self)


CLIENT_MEASURES = ("knee_height", "aid_width", "aid_length")
YES_NO_VALUES = ("yes", "no", "na")
NOT_APPLICABLE = "na"


@dataclass(frozen=True, slots=True)
class Limit:
    """A threshold: one value, one per standard profile, or relative to a client measure."""

    per_profile: tuple[tuple[StandardProfile, float], ...] = ()
    client_measure: str | None = None
    offset: float = 0.0

    def resolve(self, profile: StandardProfile, client_measures: dict[str, float | None]) -> float | None:
        if self.client_measure is not None:
            base = client_measures.get(self.client_measure)
            return None if base is None else base + self.offset
        return dict(self.per_profile)[profile]


@dataclass(frozen=True, slots=True)
class Check:
    """One way an answer (for a given client) becomes a finding."""

    when: tuple[str, ...] = ()
    below: Limit | None = None
    above: Limit | None = None
    outside: tuple[Limit, Limit] | None = None
    client_any: frozenset[str] = frozenset()
    client_none: frozenset[str] = frozenset()
    hazard: Hazard = Hazard.OTHER
    likelihood: int = 1
    consequence: int = 1
    essential: bool = False
    violates_precaution: frozenset[str] = frozenset()
    title: str = ""
    reason: str = ""
    recommendations: tuple[str, ...] = ()   # recommendation ids, or choice ids ("choice.…")
    source: str = ""
    unless_fits: str = ""   # a sizing key: no finding when that calculation for this item says it fits
    later: tuple[str, ...] = ()   # longer-term answers: suggested one tier below the finding
    if_unanswered: bool = False   # a need the client's profile implies: suggested "to check at the visit"
                                  # while the item is unanswered, never above P3


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class ShowIf:
    item: str
    equals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    section: str
    prompt: str
    kind: ItemKind
    help: str = ""
    options: tuple[Option, ...] = ()
    quantity: Quantity | None = None
    show_if: ShowIf | None = None
    checks: tuple[Check, ...] = ()
    sizing: str = ""   # "<sizing key>.<input>": this answer feeds that calculation (domain/sizing.py INPUTS)
    fact: str = ""     # items in different rooms asking the same fact share it: one finding per visit
    adds_factor: tuple[str, tuple[str, ...]] | None = None   # (factor, answers): an answer that raises the
                                                              # room's other findings like a client factor
    typical: tuple[float, float] | None = None   # usual range (canonical units); outside it, confirm first

    def option_label(self, value: str) -> str:
        if value == NOT_APPLICABLE:
            return "Not applicable"
        if self.kind is ItemKind.YES_NO:
            return {"yes": "Yes", "no": "No"}.get(value, value)
        return next((o.label for o in self.options if o.value == value), value)


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    version: int
    title: str
    reference: str
    items: tuple[Item, ...]
    renamed: tuple[tuple[str, str], ...] = ()
    retired: tuple[str, ...] = ()

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.section for i in self.items))


@dataclass(frozen=True, slots=True)
class RecommendationTemplate:
    id: str
    category: RecCategory
    title: str
    family_text: str
    clinical_text: str
    who: str
    cost: Cost
    effort: Effort
    today: bool
    reference: str
    for_conditions: frozenset[str] = frozenset()
    condition_reason: str = ""
    condition_tier: int | None = None
    condition_requires: frozenset[str] = frozenset()   # condition advice also needs ALL of these tags
    condition_visits: frozenset[str] = frozenset({"home"})   # visit kinds the condition advice is for
    purpose: str = ""       # recommendations with one purpose are one recommendation per visit
    sized_by: str = ""      # the sizing key that sets this recommendation's size or fixing height
    weight_bearing: bool = False   # takes the client's weight: its rating is checked against it
    sided: bool = False            # a rail: placed for the stronger hand when one side is weaker
    client_none: frozenset[str] = frozenset()   # never suggested to clients with any of these tags
    fits_doors: bool = False       # a new walking aid or wheelchair: told the widest that passes the doors


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    """One way to answer the problem of a choice, and when it suits."""

    recommendation: str
    sizing: str = ""                     # a sizing key whose outcome decides whether this option suits
    suits: tuple[str, ...] = ()          # outcomes of that sizing for which it suits
    client_any: frozenset[str] = frozenset()   # offered only to clients with any of these tags
    client_none: frozenset[str] = frozenset()  # never offered to clients with any of these tags
    prefer_for: frozenset[str] = frozenset()   # preselected first for clients with any of these tags


@dataclass(frozen=True, slots=True)
class Choice:
    """Recommendations that answer the same problem in different ways: one recommendation with options.

    Options are listed in order of clinical preference; the engine preselects the first that suits
    the sizing and the client (``prefer_for`` first), then the cheapest and quickest."""

    id: str
    title: str
    options: tuple[ChoiceOption, ...]
