"""SQLAlchemy 2 models. Keys are UUID strings; timestamps are UTC; nothing here is SQLite-only."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON, Boolean, Connection, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Text,
    UniqueConstraint, event, insert, inspect, update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, deferred, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[Any]:
    return mapped_column(String(36), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Client(Base):
    __tablename__ = "client"

    id: Mapped[str] = _id()
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    preferred_name: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    identifiers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    conditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    other_conditions: Mapped[str] = mapped_column(Text, default="")
    precautions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    precaution_notes: Mapped[str] = mapped_column(Text, default="")
    mobility_aid: Mapped[str] = mapped_column(String(40), default="none")
    aid_width_mm: Mapped[float | None] = mapped_column(Float)
    aid_length_mm: Mapped[float | None] = mapped_column(Float)
    aid_swl_kg: Mapped[float | None] = mapped_column(Float)   # rated load of the client's own aid
    knee_height_mm: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    height_mm: Mapped[float | None] = mapped_column(Float)
    falls_last_12_months: Mapped[int] = mapped_column(Integer, default=0)
    cognition: Mapped[str] = mapped_column(String(40), default="intact")
    vision: Mapped[str] = mapped_column(String(40), default="normal")
    hearing: Mapped[str] = mapped_column(String(40), default="normal")
    lives_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    has_carers: Mapped[bool] = mapped_column(Boolean, default=False)
    contacts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    weak_side: Mapped[str] = mapped_column(String(10), default="none")
    transfers: Mapped[str] = mapped_column(String(20), default="independent")
    behaviours: Mapped[list[Any]] = mapped_column(JSON, default=list)
    home_oxygen: Mapped[bool] = mapped_column(Boolean, default=False)
    household_smoker: Mapped[bool] = mapped_column(Boolean, default=False)
    symptoms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    second_aid: Mapped[str] = mapped_column(String(40), default="none")
    second_aid_use: Mapped[str] = mapped_column(String(20), default="outdoors")
    equipment: Mapped[list[Any]] = mapped_column(JSON, default=list)   # [{"name", "swl_kg"}]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped by every UPDATE (SQLAlchemy version_id_col): an edit made from a stale copy is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    goals: Mapped[list[Goal]] = relationship(back_populates="client", order_by="Goal.position",
                                             cascade="all, delete-orphan", passive_deletes=True)
    assessments: Mapped[list[Assessment]] = relationship(back_populates="client", passive_deletes=True)


# -- the client search (issue 16) -----------------------------------------------------------------
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae",
                             "œ": "oe", "þ": "th", "’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-"})


def fold(text: str) -> str:
    """Text as the client search compares and sorts it: casefolded, accents stripped, spaces collapsed
    ("Zoë  ÅNGSTRÖM-Nuñez" → "zoe angstrom-nunez"). Done here, not in SQL: SQLite's lower() folds ASCII only.
    Migration 0012 holds a copy that filled the rows of older databases."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text).casefold() if not unicodedata.combining(c))
    return " ".join(bare.translate(_FOLD_EXTRA).split())


def _folded_text() -> Any:
    """Compared byte by byte on both databases (SQLite's BINARY; "C" on PostgreSQL, whatever the server's
    locale), so the list sorts the same on either and LIKE never depends on a locale."""
    return Text().with_variant(Text(collation="C"), "postgresql")


class ClientSearch(Base):
    """One row per client: what the client list searches (given name, family name and address) and sorts by
    (family, then given name), folded. Kept in step with ``client`` by the mapper events below, whoever
    writes the client (services, bundle import, team merge); a table of its own, so it never shows in the
    history of changes and never travels in bundles or to the team server's merge.

    The list-order index also holds ``text``: a search walks it in order without reading the table and
    stops at a page of matches. On PostgreSQL migration 0012 adds a trigram index on ``text`` (pg_trgm,
    ``TRIGRAM_INDEX``), which serves the same ``LIKE '%word%'`` for rare words; it is not declared here
    because SQLite has no such index (and the server may lack the extension: the search then walks)."""

    __tablename__ = "client_search"

    client_id: Mapped[str] = mapped_column(String(36), ForeignKey("client.id", ondelete="CASCADE"),
                                           primary_key=True)
    family_key: Mapped[str] = mapped_column(_folded_text())
    given_key: Mapped[str] = mapped_column(_folded_text())
    text: Mapped[str] = mapped_column(_folded_text())
    __table_args__ = (Index("ix_client_search_order", "family_key", "given_key", "client_id", "text"),)


TRIGRAM_INDEX = "ix_client_search_trigrams"   # PostgreSQL only (see ClientSearch)


SEARCHED = ("given_name", "family_name", "address")


def client_search_values(given_name: str, family_name: str, address: str) -> dict[str, str]:
    """The ``client_search`` columns for a client (bulk loads outside the ORM use this too)."""
    return {"family_key": fold(family_name or ""), "given_key": fold(given_name or ""),
            "text": fold(f"{given_name or ''} {family_name or ''} {address or ''}")}


@event.listens_for(Client, "after_insert")
def _search_row_for_new_client(_mapper: Mapper[Any], connection: Connection, client: Client) -> None:
    connection.execute(insert(ClientSearch.__table__).values(
        client_id=client.id, **client_search_values(client.given_name, client.family_name, client.address)))


@event.listens_for(Client, "after_update")
def _search_row_follows_client(_mapper: Mapper[Any], connection: Connection, client: Client) -> None:
    state = inspect(client)
    if not any(state.attrs[name].history.has_changes() for name in SEARCHED):
        return
    values = client_search_values(client.given_name, client.family_name, client.address)
    table = ClientSearch.__table__
    if connection.execute(update(table).where(table.c.client_id == client.id).values(**values)).rowcount == 0:
        connection.execute(insert(table).values(client_id=client.id, **values))


class Goal(Base):
    __tablename__ = "goal"

    id: Mapped[str] = _id()
    client_id: Mapped[str] = _fk("client.id")
    text: Mapped[str] = mapped_column(Text)
    activity: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Goal Attainment Scale (REFERENCE §6.1): what each level -2..+2 means for this goal, keyed "-2".."2".
    gas_levels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    baseline_level: Mapped[int] = mapped_column(Integer, default=-1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped by every UPDATE (SQLAlchemy version_id_col): an edit made from a stale copy is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    client: Mapped[Client] = relationship(back_populates="goals")


class GoalScore(Base):
    """A goal's attainment level recorded at a (follow-up) visit."""

    __tablename__ = "goal_score"
    __table_args__ = (UniqueConstraint("goal_id", "assessment_id"),)

    id: Mapped[str] = _id()
    goal_id: Mapped[str] = _fk("goal.id")
    assessment_id: Mapped[str] = _fk("assessment.id")
    level: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Assessment(Base):
    __tablename__ = "assessment"

    id: Mapped[str] = _id()
    client_id: Mapped[str] = _fk("client.id")
    kind: Mapped[str] = mapped_column(String(20), default="home")
    visit_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    therapist_name: Mapped[str] = mapped_column(String(200), default="")
    therapist_profession: Mapped[str] = mapped_column(String(200), default="Occupational Therapist")
    therapist_registration: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    standard: Mapped[str] = mapped_column(String(4), default="UK")
    units: Mapped[str] = mapped_column(String(10), default="metric")
    checklist_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    referral_reason: Mapped[str] = mapped_column(Text, default="")
    people_present: Mapped[str] = mapped_column(Text, default="")
    property_type: Mapped[str] = mapped_column(String(200), default="")
    tenure: Mapped[str] = mapped_column(String(100), default="")
    property_notes: Mapped[str] = mapped_column(Text, default="")
    previous_assessment_id: Mapped[str | None] = _fk("assessment.id", nullable=True, ondelete="SET NULL")
    therapist_phone: Mapped[str] = mapped_column(String(100), default="")
    therapist_email: Mapped[str] = mapped_column(String(200), default="")
    # Supplier order header (REFERENCE §5.5).
    order_urgency: Mapped[str] = mapped_column(String(20), default="routine")
    order_required_by: Mapped[date | None] = mapped_column(Date)
    order_type: Mapped[str] = mapped_column(String(20), default="purchase")
    delivery_address: Mapped[str] = mapped_column(Text, default="")
    delivery_contact: Mapped[str] = mapped_column(Text, default="")
    access_notes: Mapped[str] = mapped_column(Text, default="")
    safety_alerts: Mapped[str] = mapped_column(Text, default="")
    budget_cap: Mapped[float | None] = mapped_column(Float)
    # Outcome measures recorded at this visit (REFERENCE §6.3).
    falls_since_last_visit: Mapped[int | None] = mapped_column(Integer)
    fes_i_total: Mapped[int | None] = mapped_column(Integer)
    # Sign-off (issue 12): who signed, how, when; status becomes "finalised" and only addenda follow.
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_off_on: Mapped[date | None] = mapped_column(Date)            # the date the therapist wrote
    signed_off_by: Mapped[str] = mapped_column(String(200), default="")
    signed_off_registration: Mapped[str] = mapped_column(String(100), default="")
    signed_off_method: Mapped[str] = mapped_column(String(20), default="")  # "", "signature", "typed"
    # PNG bytes; deferred so listing and editing visits never load the picture.
    signed_off_signature: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped by every UPDATE (SQLAlchemy version_id_col): an edit made from a stale copy is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    client: Mapped[Client] = relationship(back_populates="assessments")
    rooms: Mapped[list[Room]] = relationship(back_populates="assessment", order_by="Room.position",
                                             cascade="all, delete-orphan", passive_deletes=True)


class Room(Base):
    __tablename__ = "room"

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    room_type: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    assessment: Mapped[Assessment] = relationship(back_populates="rooms")
    answers: Mapped[list[Answer]] = relationship(back_populates="room", cascade="all, delete-orphan",
                                                 passive_deletes=True)


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("room_id", "item_id"),)

    id: Mapped[str] = _id()
    room_id: Mapped[str] = _fk("room.id")
    item_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[str | None] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    room: Mapped[Room] = relationship(back_populates="answers")


class Finding(Base):
    __tablename__ = "finding"
    __table_args__ = (Index("ix_finding_room_item", "room_id", "item_id"),)

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    room_id: Mapped[str | None] = _fk("room.id", nullable=True)
    item_id: Mapped[str | None] = mapped_column(String(120))
    origin: Mapped[str] = mapped_column(String(10), default="rule")
    title: Mapped[str] = mapped_column(String(300))
    reason_clause: Mapped[str] = mapped_column(Text, default="")
    hazard: Mapped[str] = mapped_column(String(40), default="other")
    base_likelihood: Mapped[int] = mapped_column(Integer)
    base_consequence: Mapped[int] = mapped_column(Integer)
    likelihood: Mapped[int] = mapped_column(Integer)
    consequence: Mapped[int] = mapped_column(Integer)
    essential: Mapped[bool] = mapped_column(Boolean, default=False)
    modifiers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    measured: Mapped[float | None] = mapped_column(Float)
    quantity: Mapped[str | None] = mapped_column(String(20))
    comparator: Mapped[str] = mapped_column(String(10), default="")
    limit_low: Mapped[float | None] = mapped_column(Float)
    limit_high: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    client_specific: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


class Photo(Base):
    __tablename__ = "photo"

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    room_id: Mapped[str] = _fk("room.id")
    item_id: Mapped[str | None] = mapped_column(String(120))
    finding_id: Mapped[str | None] = _fk("finding.id", nullable=True, ondelete="SET NULL")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    caption: Mapped[str] = mapped_column(Text, default="")
    taken_at: Mapped[datetime | None] = mapped_column(DateTime)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    original_filename: Mapped[str] = mapped_column(String(500), default="")
    annotations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


class Recommendation(Base):
    __tablename__ = "recommendation"

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    room_id: Mapped[str | None] = _fk("room.id", nullable=True)
    template_id: Mapped[str | None] = mapped_column(String(120))
    # What the suggestion answers, stable while its chosen option changes: the template id, a
    # choice id ("choice.…") or a purpose ("purpose:…"), unique per (assessment, room).
    group_key: Mapped[str | None] = mapped_column(String(120))
    options: Mapped[list[Any]] = mapped_column(JSON, default=list)   # [{"id", "suitable", "note"}]
    choice_reason: Mapped[str] = mapped_column(Text, default="")
    option_locked: Mapped[bool] = mapped_column(Boolean, default=False)  # the therapist chose the option
    goal_id: Mapped[str | None] = _fk("goal.id", nullable=True, ondelete="SET NULL")
    catalogue_item_id: Mapped[str | None] = _fk("catalogue_item.id", nullable=True, ondelete="SET NULL")
    origin: Mapped[str] = mapped_column(String(10), default="finding")
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    family_text: Mapped[str] = mapped_column(Text, default="")
    clinical_text: Mapped[str] = mapped_column(Text, default="")
    who: Mapped[str] = mapped_column(String(40), default="")
    cost: Mapped[str] = mapped_column(String(10), default="low")
    effort: Mapped[str] = mapped_column(String(10), default="days")
    today: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    tier: Mapped[int] = mapped_column(Integer, default=4)
    score: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    tier_override: Mapped[int | None] = mapped_column(Integer)
    tier_override_reason: Mapped[str] = mapped_column(Text, default="")
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    # Costs, funding and the order line (REFERENCE §5.5, §5.6).
    cost_estimate: Mapped[float | None] = mapped_column(Float)
    funding_route: Mapped[str] = mapped_column(String(30), default="")
    approval_no: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    size_setting: Mapped[str] = mapped_column(Text, default="")
    fit_location: Mapped[str] = mapped_column(Text, default="")
    fit_height_mm: Mapped[float | None] = mapped_column(Float)
    install_needed: Mapped[bool | None] = mapped_column(Boolean)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped by every UPDATE (SQLAlchemy version_id_col): an edit made from a stale copy is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class RecommendationFinding(Base):
    """Which findings a recommendation answers (one recommendation can serve several)."""

    __tablename__ = "recommendation_finding"

    recommendation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True)
    finding_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True, index=True)


class RecommendationEvent(Base):
    """One dated step in a recommendation's life (proposed → agreed → ordered → installed → in use)."""

    __tablename__ = "recommendation_event"
    __table_args__ = (UniqueConstraint("recommendation_id", "seq"),)

    id: Mapped[str] = _id()
    recommendation_id: Mapped[str] = _fk("recommendation.id")
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 … per recommendation: the order of the steps
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(200), default="")
    why: Mapped[str] = mapped_column(Text, default="")
    # Who made the decision (domain/lifecycle.Decider): client, carer or therapist; "" = not recorded.
    decided_by: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class FindingOutcome(Base):
    """At a follow-up visit: what became of a finding from the earlier visit."""

    __tablename__ = "finding_outcome"
    __table_args__ = (UniqueConstraint("assessment_id", "finding_id"),)

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    finding_id: Mapped[str] = _fk("finding.id")
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CatalogueItem(Base):
    __tablename__ = "catalogue_item"

    id: Mapped[str] = _id()
    source: Mapped[str] = mapped_column(String(20), default="generic")
    supplier: Mapped[str] = mapped_column(String(200), default="")
    code: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    iso9999: Mapped[str] = mapped_column(String(20), default="")
    hcpcs: Mapped[str] = mapped_column(String(10), default="")
    sizes: Mapped[str] = mapped_column(Text, default="")
    swl_kg: Mapped[float | None] = mapped_column(Float)
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), default="")
    generic_id: Mapped[str | None] = _fk("catalogue_item.id", nullable=True, ondelete="SET NULL")
    mapping: Mapped[str] = mapped_column(String(20), default="")  # "", "given" (in the file), "suggested", "confirmed"
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Setting(Base):
    """Preferences that travel with the data (therapist name, organisation, ...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class VisitConsent(Base):
    """One recording of the consent given for a visit. A change adds a row (seq + 1), so the history
    of what was agreed, when and by whom is kept; the highest seq is what holds now."""

    __tablename__ = "visit_consent"
    __table_args__ = (UniqueConstraint("assessment_id", "seq"),)

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    seq: Mapped[int] = mapped_column(Integer)
    to_assessment: Mapped[bool] = mapped_column(Boolean, default=False)
    photos_record: Mapped[bool] = mapped_column(Boolean, default=False)     # photos for the clinical record
    photos_teaching: Mapped[bool] = mapped_column(Boolean, default=False)   # teaching or research
    share_with: Mapped[list[Any]] = mapped_column(JSON, default=list)       # [{"name", "relationship"}]
    method: Mapped[str] = mapped_column(String(20))                         # "signed" | "verbal"
    given_by: Mapped[str] = mapped_column(String(200), default="")          # the client or their representative
    given_by_relationship: Mapped[str] = mapped_column(String(100), default="")
    witness: Mapped[str] = mapped_column(String(200), default="")           # therapist witnessing verbal consent
    signature: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # PNG of the signature pad
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class NotAssessed(Base):
    """A room (item_id None) or one item the therapist did not assess, so sign-off can proceed.
    Different from the answer "na" (not applicable): the question applies but was not looked at."""

    __tablename__ = "not_assessed"

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    room_id: Mapped[str] = _fk("room.id")
    item_id: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
    marked_by: Mapped[str] = mapped_column(String(200), default="")
    marked_at: Mapped[datetime] = mapped_column(DateTime)


class Addendum(Base):
    """A dated, attributed note added after sign-off, optionally about one finding or recommendation."""

    __tablename__ = "addendum"

    id: Mapped[str] = _id()
    assessment_id: Mapped[str] = _fk("assessment.id")
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    finding_id: Mapped[str | None] = _fk("finding.id", nullable=True, ondelete="SET NULL")
    recommendation_id: Mapped[str | None] = _fk("recommendation.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Erasure(Base):
    """That a permanent erasure happened (right to erasure), never what was erased: no name, no id."""

    __tablename__ = "erasure"

    id: Mapped[str] = _id()
    erased_at: Mapped[datetime] = mapped_column(DateTime)
    what: Mapped[str] = mapped_column(String(20))            # "client" | "deleted photos"
    photo_files: Mapped[int] = mapped_column(Integer, default=0)   # how many photo files were removed
    by: Mapped[str] = mapped_column(String(200), default="")       # the therapist who erased


class SyncBase(Base):
    """What a row looked like when this copy and another last met (a bundle exported or imported):
    an import compares both sides with it to tell "changed there" from "changed on both sides"."""

    __tablename__ = "sync_base"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)      # table name
    entity_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))                        # SHA-256 of the row's fields


class Change(Base):
    """One recorded change (db/history.py writes these on every flush): who, when, what, old → new.
    No foreign keys, so history outlives soft deletes; erasing a client removes theirs by client_id."""

    __tablename__ = "change"

    id: Mapped[str] = _id()
    at: Mapped[datetime] = mapped_column(DateTime)                          # UTC
    by: Mapped[str] = mapped_column(String(200), default="")               # the therapist, or "HomeAssess"
    entity: Mapped[str] = mapped_column(String(40))                         # table name
    entity_id: Mapped[str] = mapped_column(String(120))
    field: Mapped[str] = mapped_column(String(60), default="")             # "" when created or deleted
    action: Mapped[str] = mapped_column(String(10))                         # created | changed | deleted
    old: Mapped[str] = mapped_column(Text, default="")                      # text or compact JSON; "" = none
    new: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[str | None] = mapped_column(String(36), index=True)
    assessment_id: Mapped[str | None] = mapped_column(String(36), index=True)


class VisitHold(Base):
    """On a team server: the visit is checked out to one laptop. Only that laptop's check-in may
    change it; everyone else sees it read-only, with who holds it and since when."""

    __tablename__ = "visit_hold"

    assessment_id: Mapped[str] = mapped_column(String(36), ForeignKey("assessment.id", ondelete="CASCADE"),
                                               primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    holder: Mapped[str] = mapped_column(String(200), default="")        # the therapist's name
    device_id: Mapped[str] = mapped_column(String(36), index=True)      # the laptop's data folder
    device_name: Mapped[str] = mapped_column(String(200), default="")   # its host name, for people
    since: Mapped[datetime] = mapped_column(DateTime)                   # UTC


class TeamCheckout(Base):
    """On a laptop: a visit that came from the team server. ``state`` "out" = held here and editable;
    "in" = checked back in, kept as a read-only copy. ``base`` is the visit's records (bundle data
    format) as they left the server: check-in merges field by field against it."""

    __tablename__ = "team_checkout"

    assessment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    state: Mapped[str] = mapped_column(String(10), default="out")
    checked_out_at: Mapped[datetime] = mapped_column(DateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    base: Mapped[dict[str, Any]] = deferred(mapped_column(JSON, nullable=False, default=dict))


class PhotoFile(Base):
    """On a team server: the photo files themselves (content-addressed), so every computer can show
    them. A laptop keeps its photos in the data folder as always."""

    __tablename__ = "photo_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(DateTime)
