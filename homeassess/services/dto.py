"""Frozen values the services hand to the UI, CLI and reports (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from homeassess.domain.client import ClientProfile, Contact
from homeassess.domain.priority import Tier


@dataclass(frozen=True, slots=True)
class ClientSummary:
    id: str
    display_name: str
    date_of_birth: date | None
    address: str


@dataclass(frozen=True, slots=True)
class GoalView:
    id: str
    text: str
    activity: str
    gas_levels: dict = field(default_factory=dict)   # "-2".."2" → what that level means for this goal
    weight: int = 1
    baseline_level: int = -1


@dataclass(frozen=True, slots=True)
class ClientDetail:
    id: str
    given_name: str
    family_name: str
    preferred_name: str
    address: str
    phone: str
    identifiers: dict[str, str]
    other_conditions: str
    precaution_notes: str
    height_mm: float | None
    notes: str
    profile: ClientProfile
    goals: tuple[GoalView, ...]
    version: int = 0   # the row's version when read: an edit made from it is refused if the row moved on

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def initials(self) -> str:
        parts = [p for p in (self.given_name, self.family_name) if p]
        return "".join(p[0].upper() for p in parts) or "?"

    @property
    def contacts(self) -> tuple[Contact, ...]:
        return self.profile.contacts


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    id: str
    client_id: str
    client_name: str
    visit_date: date
    kind: str
    status: str


@dataclass(frozen=True, slots=True)
class AssessmentView:
    id: str
    client_id: str
    kind: str
    visit_date: date
    status: str
    therapist_name: str
    therapist_profession: str
    therapist_registration: str
    organisation: str
    standard: str
    units: str
    checklist_versions: dict[str, int]
    referral_reason: str
    people_present: str
    property_type: str
    tenure: str
    property_notes: str
    previous_assessment_id: str | None = None
    fes_i_total: int | None = None
    falls_since_last_visit: int | None = None


@dataclass(frozen=True, slots=True)
class RoomView:
    id: str
    room_type: str
    name: str
    position: int
    answered: int
    total: int
    findings_by_tier: dict[Tier, int]


@dataclass(frozen=True, slots=True)
class AnswerView:
    item_id: str
    value: str | None
    number: float | None
    note: str


@dataclass(frozen=True, slots=True)
class FindingView:
    id: str
    room_id: str | None
    room_name: str
    item_id: str | None
    origin: str
    title: str
    reason: str
    hazard: str
    likelihood: int
    consequence: int
    score: int
    tier: Tier
    essential: bool
    modifiers: tuple[str, ...]
    prompt: str
    answer_text: str
    measured_text: str
    threshold_text: str
    source: str
    client_specific: bool


@dataclass(frozen=True, slots=True)
class RecOption:
    """One way of answering a problem, within a recommendation that offers a choice."""

    template_id: str
    title: str
    chosen: bool
    suitable: bool = True     # False: the sizing or the client rules it out (``note`` says why)
    note: str = ""


@dataclass(frozen=True, slots=True)
class RecommendationView:
    id: str
    room_id: str | None
    room_name: str
    template_id: str | None
    origin: str
    category: str
    title: str
    family_text: str
    clinical_text: str
    who: str
    cost: str
    effort: str
    today: bool
    status: str
    tier: Tier
    score: int
    reason: str
    tier_overridden: bool
    tier_override_reason: str
    finding_ids: tuple[str, ...]
    goal_id: str | None
    goal_text: str
    options: tuple[RecOption, ...] = ()   # alternatives answering the same problem; one is chosen
    choice_reason: str = ""               # why the chosen option was preselected (or "chosen by the therapist")


@dataclass(frozen=True, slots=True)
class PhotoView:
    id: str
    room_id: str
    room_name: str
    item_id: str | None
    finding_id: str | None
    sha256: str
    caption: str
    taken_at: datetime | None
    width: int
    height: int
    original_filename: str
    position: int
    annotations: tuple[dict, ...]
