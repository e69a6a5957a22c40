"""The plain data a report is drawn from. Sorting, grouping and wording happen before this."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from homeassess.domain.priority import Tier


class ReportKind(StrEnum):
    FAMILY = "family"
    CLINICAL = "clinical"


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Who the report comes from and on what paper (Settings): the organisation's name and logo in the band."""

    organisation: str = ""
    logo_path: str = ""
    paper: str = "A4"          # A4 | Letter


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class RecommendationLine:
    tier: Tier
    title: str
    family_text: str
    clinical_text: str
    reason: str
    room: str
    category: str
    who: str
    cost: str
    effort: str
    status: str          # label: "Agreed", "In use", …
    today: bool
    score: int
    goal: str = ""
    findings: tuple[str, ...] = ()
    tier_note: str = ""
    other_options: tuple[str, ...] = ()   # the other options that suit (one line in the reports)
    ruled_out: tuple[str, ...] = ()       # options the measurements rule out (clinical report)
    choice_note: str = ""                 # why this option: the calculation, when it decided
    family_reason: str = ""               # why it matters, once, without the tier lead (family report)
    factor: str = ""                      # the client factor the family reason names (said once if shared)
    clinical_reason: str = ""             # third-person rationale (clinical report)
    proposed: bool = False                # not yet agreed: "to discuss" in a draft family report
    decision: str = ""                    # clinical: "Declined by the client on 01 Dec 2026: …"
    number: int = 0                       # its number in the family report's list


@dataclass(frozen=True, slots=True)
class PhotoRef:
    """A photo file already sized for the page, mark-up drawn, metadata stripped."""

    path: str
    caption: str
    width_px: int
    height_px: int


@dataclass(frozen=True, slots=True)
class FindingLine:
    tier: Tier
    title: str
    reason: str
    prompt: str
    answer: str
    threshold: str
    source: str
    likelihood: int
    consequence: int
    score: int
    modifiers: tuple[str, ...]
    origin: str
    photos: tuple[PhotoRef, ...] = ()
    clinical_reason: str = ""             # third-person rationale (clinical report)


@dataclass(frozen=True, slots=True)
class RoomSection:
    name: str
    room_type: str
    answered: int
    total: int
    findings: tuple[FindingLine, ...]
    notes: tuple[Field, ...] = ()
    measurements: tuple[Field, ...] = ()
    photos: tuple[PhotoRef, ...] = ()
    not_assessed: str = ""                # "Not assessed" (+ the reason) when nothing was assessed in the room
    checklist: str = ""                   # "Bathroom checklist v2": the pinned version the room was assessed with


@dataclass(frozen=True, slots=True)
class TierGroup:
    tier: Tier
    meaning: str
    recommendations: tuple[RecommendationLine, ...]


@dataclass(frozen=True, slots=True)
class GoalLine:
    text: str
    activity: str
    served_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportModel:
    kind: ReportKind
    title: str
    subtitle: str
    client_name: str
    client_initials: str
    reference: str
    visit_date: date
    report_date: date
    cover: tuple[Field, ...]
    background: tuple[Field, ...]
    precautions: tuple[str, ...]
    priorities: tuple[TierGroup, ...]
    today: tuple[RecommendationLine, ...]
    rooms: tuple[RoomSection, ...]
    goals: tuple[GoalLine, ...]
    next_steps: tuple[str, ...]
    tier_counts: dict[Tier, int]
    declined: tuple[RecommendationLine, ...] = ()
    unanswered: int = 0
    standard_note: str = ""
    disclaimer: str = ""
    sign_off: tuple[Field, ...] = field(default=())
    sizings: tuple[Field, ...] = field(default=())
    # The visit record (issue 12): status near the header, consent, what was not assessed, addenda.
    status_line: str = ""
    letterhead: Letterhead = Letterhead()
    consent: tuple[Field, ...] = field(default=())      # clinical report; empty: not recorded
    not_assessed: tuple[str, ...] = field(default=())
    addenda: tuple[str, ...] = field(default=())        # "Addendum 03/12/2026 by …: …"
    signature_path: str = ""                            # PNG of the sign-off signature, if signed on the pad
    # Issue 13: who to contact, a draft when undecided recommendations are included, factors said once.
    contact: tuple[Field, ...] = field(default=())      # therapist's name, phone, email, organisation
    draft: bool = False                                 # family report includes proposed recommendations
    left_out: int = 0                                   # proposed recommendations left out of a family report
    factors: tuple[str, ...] = field(default=())        # family: client factors shared by several reasons
    client_notes: tuple[Field, ...] = field(default=()) # clinical: the client's background notes
    checklists: tuple[str, ...] = field(default=())     # clinical: checklist versions used
    last_change: str = ""                               # clinical: when the record last changed, in words

    @property
    def recommendation_count(self) -> int:
        return sum(len(g.recommendations) for g in self.priorities)


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line a supplier can act on (REFERENCE §5.5)."""

    tier: Tier
    supplier: str
    supplier_code: str
    generic_code: str
    hcpcs: str
    iso9999: str
    description: str
    size_setting: str
    swl_text: str
    quantity: int
    unit_price: float | None
    line_total: float | None
    currency: str
    install: bool
    room: str
    wall_side: str
    height_mm: float | None
    height_text: str
    trade: str
    funding: str
    approval_no: str
    for_recommendation: str
    notes: str = ""
    funding_route: str = ""         # FundingRoute value: what the order type and the hand-over follow
    to_specify: bool = False        # agreed, no product chosen yet: listed, not yet orderable
    rec_id: str = ""


@dataclass(frozen=True, slots=True)
class OrderGroup:
    supplier: str
    lines: tuple[OrderLine, ...]
    subtotal: float
    unpriced: int


@dataclass(frozen=True, slots=True)
class OrderModel:
    title: str
    order_id: str
    order_date: date
    client_initials: str
    reference: str
    visit_date: date
    currency: str
    header: tuple[Field, ...]       # order id, date, urgency, required by, type
    prescriber: tuple[Field, ...]
    client: tuple[Field, ...]
    delivery: tuple[Field, ...]
    safety_alerts: str              # never blank: "None known" when nothing is recorded
    groups: tuple[OrderGroup, ...]
    total: float                    # lines in the visit's currency
    not_ordered: tuple[str, ...] = ()  # agreed equipment with no product chosen yet
    follow_up: tuple[str, ...] = ()
    visit_kind: str = "home"        # home | workplace: the words the order list uses for the visit
    other_currency_lines: int = 0      # supplier lines priced in another currency, left out of the total
    status_line: str = ""              # the visit's status (in progress / signed off), near the header
    letterhead: Letterhead = Letterhead()
    to_specify: tuple[OrderLine, ...] = ()  # agreed equipment with no product: "Product to specify"

    @property
    def subtitle(self) -> str:
        return f"Order {self.order_id}"


@dataclass(frozen=True, slots=True)
class ProgressRecommendation:
    tier: Tier
    title: str
    room: str
    status: str          # label: "In use", "Ordered", …
    done: bool
    when: str            # date of the last change, "" if none
    note: str            # who/why of the last change
    category: str = ""


@dataclass(frozen=True, slots=True)
class ProgressFinding:
    tier: Tier
    title: str
    room: str
    outcome: str         # "Resolved", …, or "Not reviewed"
    note: str


@dataclass(frozen=True, slots=True)
class PhotoPair:
    title: str
    room: str
    outcome: str
    before: PhotoRef
    after: PhotoRef


@dataclass(frozen=True, slots=True)
class GoalProgress:
    text: str
    weight: int
    baseline: int
    baseline_text: str
    level: int | None
    level_text: str


@dataclass(frozen=True, slots=True)
class ProgressModel:
    title: str
    subtitle: str
    client_name: str
    client_initials: str
    reference: str
    visit_date: date          # the follow-up
    first_visit_date: date
    cover: tuple[Field, ...]
    summary: tuple[str, ...]
    recommendations: tuple[ProgressRecommendation, ...]
    findings: tuple[ProgressFinding, ...]
    pairs: tuple[PhotoPair, ...]
    goals: tuple[GoalProgress, ...]
    t_before: float | None
    t_after: float | None
    measures: tuple[Field, ...]
    next_steps: tuple[str, ...]
    new_findings: tuple[str, ...] = ()
    status_line: str = ""     # the follow-up visit's status, near the header
    letterhead: Letterhead = Letterhead()
    # Issue 13: two forms. "referrer" is the full report; "family" a one-page summary in plain words.
    audience: str = "referrer"
    gas_note: str = ""                     # referrer: the GAS notation explained in one line
    goal_words: tuple[Field, ...] = ()     # family: goal → "Better than hoped" … "Not yet"
    done: tuple[str, ...] = ()             # family: what was done
    to_come: tuple[str, ...] = ()          # family: what is still to come
    contact: tuple[Field, ...] = ()        # family: who to contact (therapist, phone, email, service)
