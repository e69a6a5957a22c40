"""One recorded change in plain words: "changed Bathroom: Grab rail beside the toilet from “Yes” to “No”".

Rooms, items and answer labels come from the checklist the visit is pinned to, titles from the rows
themselves (or, for a row since removed, from the snapshot its history kept); a field with no wording
of its own is its name made readable. ``describe`` returns None for steps another sentence already
tells (a recommendation's lifecycle step repeats its status change).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from homeassess.checklists.registry import Registry
from homeassess.domain.checklist import Item, Quantity
from homeassess.domain.client import (
    AidUse, Behaviour, Condition, MobilityAid, Precaution, Symptom, Transfers, WeakSide,
)
from homeassess.domain.errors import NotFoundError
from homeassess.domain.lifecycle import Status
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.units import format_value
from homeassess.domain.visit_record import VisitStatus

QUOTE_LIMIT = 80
HIDDEN = frozenset({"recommendation_event", "setting"})
HIDDEN_FIELDS = frozenset({("recommendation", "group_key"), ("recommendation", "option_locked"),
                           ("recommendation", "origin"), ("recommendation", "edited"),
                           ("answer", "room_id"), ("answer", "item_id")})
CLIENT_FIELDS = {
    "given_name": "given name", "family_name": "family name", "preferred_name": "preferred name",
    "date_of_birth": "date of birth", "phone": "phone number", "other_conditions": "other conditions",
    "precaution_notes": "precaution details", "mobility_aid": "walking aid or wheelchair",
    "aid_width_mm": "aid's width", "aid_length_mm": "aid's length", "aid_swl_kg": "aid's rated load",
    "knee_height_mm": "knee height", "weight_kg": "weight", "height_mm": "height",
    "falls_last_12_months": "falls in the last 12 months", "cognition": "memory and thinking",
    "lives_alone": "lives alone", "has_carers": "has carers", "weak_side": "weaker side",
    "home_oxygen": "home oxygen", "household_smoker": "someone smokes in the home",
    "second_aid": "second aid", "second_aid_use": "use of the second aid", "equipment": "own equipment",
}
VISIT_FIELDS = {
    "visit_date": "visit date", "kind": "kind of visit", "therapist_name": "therapist",
    "therapist_profession": "profession", "therapist_registration": "registration number",
    "standard": "standards", "referral_reason": "reason for referral", "property_type": "type of property",
    "property_notes": "notes on the property", "budget_cap": "budget cap", "fes_i_total": "FES-I total",
    "safety_alerts": "delivery safety alerts", "signed_off_on": "sign-off date", "signed_off_by": "signed off by",
    "signed_off_signature": "signature", "previous_assessment_id": "earlier visit",
}
RECOMMENDATION_FIELDS = {
    "family_text": "family wording", "clinical_text": "clinical wording", "who": "who does it",
    "today": "can be done today", "tier": "priority", "score": "risk score",
    "tier_override": "priority set by the therapist", "tier_override_reason": "reason for the priority",
    "approval_no": "approval number", "size_setting": "size or setting", "fit_location": "fitting location",
    "fit_height_mm": "fitting height", "install_needed": "installation needed", "choice_reason": "why this option",
    "template_id": "option", "catalogue_item_id": "product", "goal_id": "goal",
}
FIELDS = {"client": CLIENT_FIELDS, "assessment": VISIT_FIELDS, "recommendation": RECOMMENDATION_FIELDS}
ENUMS: dict[str, Any] = {
    "mobility_aid": MobilityAid, "second_aid": MobilityAid, "second_aid_use": AidUse, "transfers": Transfers,
    "weak_side": WeakSide, "conditions": Condition, "precautions": Precaution, "behaviours": Behaviour,
    "symptoms": Symptom, "standard": StandardProfile,
}
CREATED_VERBS = {"recommendation": "suggested", "assessment": "started", "visit_consent": "recorded",
                 "goal_score": "recorded", "finding_outcome": "recorded"}
STATUS_VERBS = {Status.AGREED: "agreed", Status.DECLINED: "declined"}
KIND_WORDS = {"home": "home visit", "workplace": "workplace visit", "follow_up": "follow-up visit"}
ENTITY_WORDS = {"visit_consent": "consent", "not_assessed": "a “not assessed” mark", "goal_score": "a goal score",
                "finding_outcome": "a finding's outcome", "addendum": "an addendum"}


@dataclass(frozen=True, slots=True)
class Row:
    """The parts of a change row the words need."""

    entity: str
    entity_id: str
    field: str
    action: str
    old: str
    new: str
    assessment_id: str | None


@dataclass
class Known:
    """What the rows name, looked up once per history: rooms (name, type, visit), answers (room, item),
    titles of recommendations, findings, goals and photos, and each visit's pins and units."""

    registry: Registry
    rooms: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)
    titles: dict[tuple[str, str], str] = field(default_factory=dict)
    photo_rooms: dict[str, str] = field(default_factory=dict)
    visits: dict[str, tuple[str, date | None, dict[str, int], str]] = field(default_factory=dict)

    def item(self, room_id: str, item_id: str) -> Item | None:
        room, visit = self.rooms.get(room_id), None
        if room is not None:
            visit = self.visits.get(room[2])
        if room is None or visit is None:
            return None
        try:
            version = visit[2].get(room[1])
            checklist = self.registry.get(room[1], version) if version else self.registry.latest(room[1])
            return checklist.item(item_id)
        except (KeyError, NotFoundError):
            return None

    def units(self, room_id: str) -> DisplayUnits:
        room = self.rooms.get(room_id)
        visit = self.visits.get(room[2]) if room else None
        return DisplayUnits(visit[3]) if visit and visit[3] in {u.value for u in DisplayUnits} else DisplayUnits.METRIC

    def room_name(self, room_id: str | None) -> str:
        return self.rooms[room_id][0] if room_id in self.rooms else "a room"

    def learn(self, rows: list[Row]) -> None:
        """Names of rows since removed, from the snapshots their creation or removal kept."""
        for row in rows:
            if row.action == "changed":
                continue
            values = snapshot(row.new or row.old)
            if row.entity in ("recommendation", "finding", "goal"):
                title = values.get("title") or values.get("text") or ""
                self.titles.setdefault((row.entity, row.entity_id), str(title))
            elif row.entity == "room":
                self.rooms.setdefault(row.entity_id, (str(values.get("name", "")), str(values.get("room_type", "")),
                                                      str(values.get("assessment_id", ""))))
            elif row.entity == "answer":
                self.answers.setdefault(row.entity_id, (str(values.get("room_id", "")), str(values.get("item_id", ""))))

    def named(self, name: str, raw: str) -> str | None:
        """What an id field points at, by name: a goal, a product, an option of a recommendation."""
        if name == "template_id" and raw:
            try:
                return self.registry.recommendation(raw).title
            except (KeyError, NotFoundError):
                return raw
        kind = {"goal_id": "goal", "catalogue_item_id": "catalogue_item", "finding_id": "finding",
                "room_id": "room"}.get(name)
        if kind is None:
            return None
        if not raw:
            return ""
        return self.room_name(raw) if kind == "room" else self.titles.get((kind, raw), "another record")


def quote(text: str) -> str:
    text = " ".join(str(text).split())
    return f"“{text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT - 1] + '…'}”"


def readable(name: str) -> str:
    for suffix in ("_id", "_mm", "_kg"):
        name = name.removesuffix(suffix)
    return name.replace("_", " ")


def snapshot(text: str) -> dict[str, Any]:
    try:
        values = json.loads(text) if text else {}
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def value_text(entity: str, name: str, raw: str) -> str:
    """A stored value in words: labels for closed sets, yes/no, units, lists joined."""
    if raw in ("", "[]", "{}"):
        return ""
    if raw in ("true", "false"):
        return "Yes" if raw == "true" else "No"
    if name == "status":
        return _label(VisitStatus if entity == "assessment" else Status, raw)
    if name in ("tier", "tier_override") and raw.isdigit():
        return f"P{raw}"
    if name in ENUMS:
        try:
            values = json.loads(raw) if raw.startswith("[") else [raw]
        except ValueError:
            values = [raw]
        return ", ".join(_label(ENUMS[name], str(v)) for v in values)
    if raw.startswith(("[", "{")):
        return _compound(raw)
    number = _number(raw)
    if number is not None:
        return number + (" mm" if name.endswith("_mm") else " kg" if name.endswith("_kg") else "")
    return raw.replace("_", " ") if name in ("kind", "who", "cost", "effort", "category", "outcome") else raw


def _label(enum: Any, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value.replace("_", " ")


def _number(raw: str) -> str | None:
    try:
        number = float(raw)
    except ValueError:
        return None
    return f"{number:g}" if abs(number) < 1e15 else raw


def _compound(raw: str) -> str:
    """A JSON list or mapping as a short phrase (contacts by name, equipment by name, pins by room)."""
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    parts = [str(v.get("name") or v.get("title") or v.get("id") or "") if isinstance(v, dict) else str(v)
             for v in value]
    return ", ".join(p for p in parts if p)


def from_to(old: str, new: str) -> str:
    if old and new:
        return f" from {quote(old)} to {quote(new)}"
    return f" to {quote(new)}" if new else f" (was {quote(old)})" if old else ""


def describe(row: Row, known: Known) -> str | None:
    """What was done, after the actor: "added the room Kitchen"; None when another row says it."""
    if row.entity in HIDDEN or (row.entity, row.field) in HIDDEN_FIELDS:
        return None
    if row.entity == "answer":
        return _answer(row, known)
    subject = _subject(row, known)
    if row.action == "created":
        return f"{CREATED_VERBS.get(row.entity, 'added')} {subject}"
    if row.action == "deleted":
        return f"removed {subject}"
    if row.field == "deleted_at":
        return f"{'removed' if row.new else 'put back'} {subject}"
    if row.entity == "room" and row.field == "name":
        return f"renamed the room {quote(row.old)} to {quote(row.new)}"
    if row.entity == "room" and row.field == "position":
        return f"moved {subject} in the list of rooms"
    if row.entity == "recommendation" and row.field == "status":
        return _status(row, subject)
    if row.entity == "assessment" and row.field == "hold":   # team check-out, check-in, release (services/team.py)
        return row.new
    if row.entity == "assessment" and row.field == "signed_off_at" and row.new:
        return "signed off the visit"
    old, new = _value(row, row.old, known), _value(row, row.new, known)
    label = FIELDS.get(row.entity, {}).get(row.field, readable(row.field))
    if row.entity in ("client", "assessment"):
        return f"changed {subject}'s {label}{from_to(old, new)}"
    return f"changed {subject}: {label}{from_to(old, new)}"


def _value(row: Row, raw: str, known: Known) -> str:
    named = known.named(row.field, raw)
    return value_text(row.entity, row.field, raw) if named is None else named


def _status(row: Row, subject: str) -> str:
    try:
        new = Status(row.new)
    except ValueError:
        return f"changed {subject}'s status to {quote(row.new)}"
    if new in STATUS_VERBS:
        return f"{STATUS_VERBS[new]} {subject}"
    if new is Status.PROPOSED:
        return f"put {subject} back to proposed"
    return f"marked {subject} as {new.label.lower()}"


def _subject(row: Row, known: Known) -> str:
    """How the sentence names the row: "the client", "the room Kitchen", "the recommendation Grab rail …"."""
    values = snapshot(row.new or row.old) if row.action != "changed" else {}
    title = known.titles.get((row.entity, row.entity_id)) or str(values.get("title") or values.get("text") or "")
    if row.entity == "client":
        name = " ".join(str(values.get(k, "")) for k in ("given_name", "family_name")).strip()
        return f"the client {name}" if name and row.action != "changed" else "the client"
    if row.entity == "assessment":
        if row.action == "changed":
            return "the visit"
        visit = known.visits.get(row.entity_id)
        kind = KIND_WORDS.get(visit[0] if visit else str(values.get("kind", "")), "visit")
        when = visit[1] if visit else None
        return f"the {kind}" + (f" of {when.day} {when:%b %Y}" if when else "")
    if row.entity == "room":
        name = known.rooms[row.entity_id][0] if row.entity_id in known.rooms else str(values.get("name", ""))
        return f"the room {name}".strip()
    if row.entity in ("recommendation", "finding", "goal"):
        return f"the {row.entity} {title}".strip()
    if row.entity == "photo":
        room = known.room_name(values.get("room_id") or known.photo_rooms.get(row.entity_id))
        return f"a photo in {room}" + (f" ({quote(title)})" if title else "")
    if row.entity == "not_assessed":
        item = known.item(str(values.get("room_id", "")), str(values["item_id"])) if values.get("item_id") else None
        where = known.room_name(values.get("room_id")) + (f": {item.prompt}" if item else "")
        return f"a “not assessed” mark on {where}"
    if row.entity == "addendum" and values.get("text"):
        return f"an addendum {quote(str(values['text']))}"
    return ENTITY_WORDS.get(row.entity, readable(row.entity))


def _answer(row: Row, known: Known) -> str:
    values = snapshot(row.new or row.old) if row.action != "changed" else {}
    room_id, item_id = known.answers.get(row.entity_id,
                                         (str(values.get("room_id", "")), str(values.get("item_id", ""))))
    item = known.item(room_id, item_id)
    where = f"{known.room_name(room_id)}: {item.prompt if item else readable(item_id.split('.')[-1])}"
    if row.action != "changed":
        measured = values.get("number") is not None
        raw = values["number"] if measured else values.get("value") or ""
        answer = _answer_text(item, "number" if measured else "value", str(raw), known.units(room_id))
        note = str(values.get("note") or "")
        if row.action == "deleted":
            return f"removed the answer to {where}"
        return f"answered {where} {quote(answer)}" if answer else f"noted on {where}: {quote(note)}" if note \
            else f"left {where} unanswered"
    if row.field == "note":
        return f"changed the note on {where}{from_to(row.old, row.new)}"
    old = _answer_text(item, row.field, row.old, known.units(room_id))
    new = _answer_text(item, row.field, row.new, known.units(room_id))
    if not old:
        return f"answered {where} {quote(new)}"
    if not new:
        return f"cleared the answer to {where} (was {quote(old)})"
    return f"changed {where} from {quote(old)} to {quote(new)}"


def _answer_text(item: Item | None, name: str, raw: str, units: DisplayUnits) -> str:
    if not raw or raw == "None":
        return ""
    if name == "number":
        number = _number(raw) or raw
        if item is not None and item.quantity is not None:
            try:
                return format_value(float(raw), Quantity(item.quantity), units)
            except (ValueError, TypeError):
                return number
        return number
    return item.option_label(raw) if item is not None else raw.replace("_", " ")
