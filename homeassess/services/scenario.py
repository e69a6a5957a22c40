"""Scenarios as data: a TOML file (client, visit, rooms and answers) that becomes a real visit.

``load_scenario`` only reads and checks the file: every problem names the file and the line of the
offending key. ``run_scenario`` then creates the client and the visit through the same services the
app uses and returns the prioritised recommendations, their sizing and the findings. The format is
described in docs/scenarios.md.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from homeassess.checklists.registry import Registry
from homeassess.domain.checklist import NOT_APPLICABLE, Checklist, Item, ItemKind, Quantity
from homeassess.domain.client import (
    AidUse, Behaviour, Cognition, Condition, MobilityAid, Precaution, Sense, Symptom, Transfers, WeakSide,
)
from homeassess.domain.costs import FUNDING_LABELS, FundingRoute
from homeassess.domain.errors import HomeAssessError, NotFoundError, ValidationError
from homeassess.domain.findings import Answer, is_visible
from homeassess.domain.input_files import UnusablePathError, read_input_bytes
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.sizing import Sizing
from homeassess.domain.units import parse_measurement
from homeassess.domain.validation import validate_client_fields
from homeassess.db import models as m
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services.context import AppContext
from homeassess.services.costs import order_line_for
from homeassess.services.dto import FindingView, RecOption
from homeassess.services.lookup import get_live
from homeassess.services.recommendations import list_findings, list_recommendations
from homeassess.services.sizing import sized_by, sizing_for, visit_sizings

KINDS = ("home", "workplace")
MAX_SCENARIO_BYTES = 2 * 1024 * 1024  # the longest test scenario is 3 kB; far above that is not a scenario
TOP_KEYS = {"title", "client", "visit", "rooms"}
VISIT_KEYS = {"kind", "standard", "units", "date"}
ROOM_KEYS = {"type", "name", "answers"}
TEXT_FIELDS = ("given_name", "family_name", "preferred_name", "other_conditions", "precaution_notes", "notes")
ENUM_FIELDS = {"mobility_aid": MobilityAid, "cognition": Cognition, "vision": Sense, "hearing": Sense,
               "weak_side": WeakSide, "transfers": Transfers, "second_aid": MobilityAid, "second_aid_use": AidUse}
LIST_FIELDS = {"conditions": Condition, "precautions": Precaution, "behaviours": Behaviour, "symptoms": Symptom}
BOOL_FIELDS = ("lives_alone", "has_carers", "home_oxygen", "household_smoker")
# Scenario key -> (client service field, quantity): measurements are written with their unit.
MEASURE_FIELDS = {"knee_height": ("knee_height_mm", Quantity.LENGTH), "height": ("height_mm", Quantity.LENGTH),
                  "aid_width": ("aid_width_mm", Quantity.LENGTH), "aid_length": ("aid_length_mm", Quantity.LENGTH),
                  "weight": ("weight_kg", Quantity.WEIGHT), "aid_rating": ("aid_swl_kg", Quantity.WEIGHT)}
CLIENT_KEYS = (set(TEXT_FIELDS) | set(ENUM_FIELDS) | set(LIST_FIELDS) | set(BOOL_FIELDS) | set(MEASURE_FIELDS)
               | {"age", "date_of_birth", "falls_last_12_months", "contacts", "goals", "equipment"})
CONTACT_KEYS = {"name", "relationship", "phone"}
EQUIPMENT_KEYS = {"name", "rating"}


# --- Where keys are in the raw text (tomllib gives no positions) -------------------------------------

_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED})\s*\]")
_ASSIGN = re.compile(rf"\s*({_DOTTED})\s*=")


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in re.findall(_KEY, dotted))


def _top_level_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) for lines that start outside any string, array or inline table."""
    out, depth, mode, line_no, start = [], 0, "", 1, True
    i, n = 0, len(text)
    while i < n:
        if start and not mode and depth == 0:
            end = text.find("\n", i)
            out.append((line_no, text[i:end if end >= 0 else n]))
        start = False
        c = text[i]
        if c == "\n":
            line_no, start = line_no + 1, True
            if mode == "#" or mode in ('"', "'"):
                mode = ""
        elif mode == "#":
            pass
        elif mode in ('"""', "'''"):
            if text.startswith(mode, i):
                mode, i = "", i + 2
            elif mode == '"""' and c == "\\":
                i += 1
        elif mode in ('"', "'"):
            if c == mode:
                mode = ""
            elif mode == '"' and c == "\\":
                i += 1
        elif c == "#":
            mode = "#"
        elif text.startswith('"""', i) or text.startswith("'''", i):
            mode, i = text[i:i + 3], i + 2
        elif c in "\"'":
            mode = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return out


class KeyLines:
    """Line of every key and table header, by its path (array-of-table entries by index)."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple, int] = {}
        arrays: dict[tuple, int] = {}
        table: tuple = ()
        for line_no, line in _top_level_lines(text):
            if header := _HEADER.match(line):
                parts = _key_parts(header.group(2))
                table = self._resolve(parts[:-1], arrays) + (parts[-1],)
                if header.group(1) == "[[":
                    arrays[table] = arrays.get(table, -1) + 1
                    table = table + (arrays[table],)
                self.lines.setdefault(table, line_no)
            elif assign := _ASSIGN.match(line):
                self.lines.setdefault(table + _key_parts(assign.group(1)), line_no)

    @staticmethod
    def _resolve(parts: tuple[str, ...], arrays: dict[tuple, int]) -> tuple:
        out: tuple = ()
        for part in parts:
            out = out + (part,)
            if out in arrays:
                out = out + (arrays[out],)
        return out

    def of(self, *path: Any) -> int:
        """The line of ``path``, or of the nearest enclosing key or table that was written out."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


# --- The parsed scenario ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    message: str


class ScenarioError(HomeAssessError):
    """A scenario file that cannot be used; ``problems`` lists each one with its line."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        where = f"{path}:{first.line}" if first.line else f"{path}"
        super().__init__(f"{where}: {first.message}{more}")

    @property
    def line(self) -> int | None:
        return self.problems[0].line


@dataclass(frozen=True, slots=True)
class ScenarioAnswer:
    item_id: str
    value: str | None
    number: float | None
    line: int


@dataclass(frozen=True, slots=True)
class ScenarioRoom:
    type: str
    name: str
    answers: tuple[ScenarioAnswer, ...]
    line: int


@dataclass(frozen=True)
class Scenario:
    path: Path
    title: str
    client: dict[str, Any]          # client service fields, without the date of birth
    date_of_birth: date | None
    age: int | None
    goals: tuple[str, ...]
    kind: str
    standard: StandardProfile
    units: DisplayUnits
    visit_date: date | None
    rooms: tuple[ScenarioRoom, ...]

    def client_fields(self, visit_date: date) -> dict[str, Any]:
        """What ``create_client`` takes; an age becomes a date of birth that gives it on the visit date."""
        dob = self.date_of_birth if self.age is None else _years_before(visit_date, self.age)
        return {**self.client, "date_of_birth": dob}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _Reader:
    """Collects every problem in one file, each with the line of its key."""

    def __init__(self, path: Path, lines: KeyLines) -> None:
        self.path, self.where, self.problems = path, lines, []

    def bad(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.where.of(*path), message))

    def table(self, data: dict, key: str, allowed: set[str], path: tuple = ()) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.bad(path + (key,), f"{key} must be a table ([{key}])")
            return {}
        for unknown in sorted(set(value) - allowed):
            hint = difflib.get_close_matches(unknown, allowed, n=1)
            self.bad(path + (key, unknown), f"unknown key {unknown!r} in [{key}]"
                     + (f" (did you mean {hint[0]!r}?)" if hint else f"; allowed: {', '.join(sorted(allowed))}"))
        return value

    def text(self, data: dict, key: str, path: tuple, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.bad(path + (key,), f"{key} must be text in quotes")
            return default
        return value.strip()

    def choice(self, data: dict, key: str, path: tuple, allowed: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in allowed:
            self.bad(path + (key,), f"{key} {value!r} is not one of {', '.join(allowed)}")
            return default
        return value


def load_scenario(path: Path | str, registry: Registry | None = None) -> Scenario:
    """Read and check a scenario file; raises ScenarioError listing every problem with its line."""
    path = Path(path)
    try:
        # universal newlines, as read_text gave: line numbers count "\r\n" and a lone "\r" once
        text = read_input_bytes(path, max_bytes=MAX_SCENARIO_BYTES).decode("utf-8")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    except UnusablePathError as exc:  # a folder, pipe or device is refused before it is opened
        raise ScenarioError(path, [Problem(None, exc.problem)]) from None
    except UnicodeDecodeError:
        raise ScenarioError(path, [Problem(None, "is not UTF-8 text")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, [_syntax_problem(str(exc), text)]) from None
    reader = _Reader(path, KeyLines(text))
    scenario = _read(reader, data, registry or Registry.load())
    if reader.problems:
        raise ScenarioError(path, reader.problems)
    assert scenario is not None
    return scenario


def _syntax_problem(message: str, text: str) -> Problem:
    """tomllib says "(at line 3, column 7)" or "(at end of document)"; keep the line, drop the rest."""
    if match := re.search(r"\s*\(at line (\d+), column (\d+)\)$", message):
        return Problem(int(match.group(1)), f"not valid TOML: {message[:match.start()]} (column {match.group(2)})")
    if match := re.search(r"\s*\(at end of document\)$", message):
        return Problem(max(1, text.count("\n") + (0 if text.endswith("\n") else 1)),
                       f"not valid TOML: {message[:match.start()]} (at the end of the file)")
    return Problem(None, f"not valid TOML: {message}")


def _read(reader: _Reader, data: dict, registry: Registry) -> Scenario | None:
    for unknown in sorted(set(data) - TOP_KEYS):
        reader.bad((unknown,), f"unknown key {unknown!r} (a scenario has title, [client], [visit] and [[rooms]])")
    title = reader.text(data, "title", ())
    visit = reader.table(data, "visit", VISIT_KEYS)
    kind = reader.choice(visit, "kind", ("visit",), KINDS, "home")
    standard = StandardProfile(reader.choice(visit, "standard", ("visit",), tuple(StandardProfile), "UK"))
    units = DisplayUnits(reader.choice(visit, "units", ("visit",), tuple(DisplayUnits), "metric"))
    visit_date = _visit_date(reader, visit)
    client, dob, age, goals = _client(reader, reader.table(data, "client", CLIENT_KEYS), units, visit_date)
    rooms = _rooms(reader, data.get("rooms", []), registry, units)
    if reader.problems:
        return None
    return Scenario(reader.path, title, client, dob, age, goals, kind, standard, units, visit_date, rooms)


def _visit_date(reader: _Reader, visit: dict) -> date | None:
    value = visit.get("date")
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    reader.bad(("visit", "date"), "date must be a date such as 2026-03-10")
    return None


def _measure(reader: _Reader, raw: Any, quantity: Quantity, units: DisplayUnits, path: tuple) -> float | None:
    """A measurement written with its unit ("460 mm", "18 in"); a bare number is in the visit's units."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        reader.bad(path, f"{path[-1]} must be a measurement such as \"460 mm\" or \"18 in\"")
        return None
    try:
        return parse_measurement(str(raw), quantity, units, field=str(path[-1]))
    except ValidationError as exc:
        reader.bad(path, f"{path[-1]}: {exc.errors[0].message}")
        return None


def _client(reader: _Reader, raw: dict, units: DisplayUnits,
            visit_date: date | None) -> tuple[dict[str, Any], date | None, int | None, tuple[str, ...]]:
    at = ("client",)
    fields: dict[str, Any] = {"given_name": "Scenario", "family_name": reader.path.stem}
    for key in TEXT_FIELDS:
        if key in raw:
            fields[key] = reader.text(raw, key, at)
    for key, enum in ENUM_FIELDS.items():
        if key in raw:
            fields[key] = reader.choice(raw, key, at, tuple(enum), "")
    for key, enum in LIST_FIELDS.items():
        values = raw.get(key, [])
        if not isinstance(values, list) or any(v not in tuple(enum) for v in values):
            wrong = [v for v in values if v not in tuple(enum)] if isinstance(values, list) else [values]
            reader.bad(at + (key,), f"{key}: {', '.join(map(repr, wrong))} not known; use any of "
                                    f"{', '.join(enum)}")
        else:
            fields[key] = list(values)
    for key in BOOL_FIELDS:
        if key in raw:
            if isinstance(raw[key], bool):
                fields[key] = raw[key]
            else:
                reader.bad(at + (key,), f"{key} must be true or false")
    for key, (field, quantity) in MEASURE_FIELDS.items():
        if key in raw:
            fields[field] = _measure(reader, raw[key], quantity, units, at + (key,))
    if "falls_last_12_months" in raw:
        falls = raw["falls_last_12_months"]
        if isinstance(falls, bool) or not isinstance(falls, int):
            reader.bad(at + ("falls_last_12_months",), "falls_last_12_months must be a whole number")
        else:
            fields["falls_last_12_months"] = falls
    if "contacts" in raw:
        fields["contacts"] = _contacts(reader, raw["contacts"])
    if "equipment" in raw:
        fields["equipment"] = _equipment(reader, raw["equipment"], units)
    dob, age = _birth(reader, raw)
    goals = raw.get("goals", [])
    if not isinstance(goals, list) or not all(isinstance(g, str) and g.strip() for g in goals):
        reader.bad(at + ("goals",), "goals must be a list of the client's own words, e.g. [\"shower without help\"]")
        goals = []
    field_keys = {f: k for k, (f, _) in MEASURE_FIELDS.items()}
    today = visit_date or date.today()
    checked = {k: v for k, v in fields.items() if v is not None}
    for error in validate_client_fields({**checked, "date_of_birth": dob}, today=today, creating=True):
        key = field_keys.get(error.field, error.field)
        reader.bad(at + (key,), f"{key}: {error.message}")
    return fields, dob, age, tuple(g.strip() for g in goals)


def _birth(reader: _Reader, raw: dict) -> tuple[date | None, int | None]:
    at = ("client",)
    if "age" in raw and "date_of_birth" in raw:
        reader.bad(at + ("date_of_birth",), "give either age or date_of_birth, not both")
        return None, None
    age, dob = raw.get("age"), raw.get("date_of_birth")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 120):
        reader.bad(at + ("age",), "age must be a whole number of years (0 to 120) on the visit date")
        return None, None
    if dob is not None and (not isinstance(dob, date) or hasattr(dob, "hour")):
        reader.bad(at + ("date_of_birth",), "date_of_birth must be a date such as 1954-06-01")
        return None, None
    return dob, age


def _contacts(reader: _Reader, raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        reader.bad(("client", "contacts"), "contacts must be [[client.contacts]] tables (name, relationship, phone)")
        return []
    out = []
    for i, contact in enumerate(raw):
        at = ("client", "contacts", i)
        for unknown in sorted(set(contact) - CONTACT_KEYS):
            reader.bad(at + (unknown,), f"unknown key {unknown!r} in a contact; allowed: name, relationship, phone")
        if not str(contact.get("name", "")).strip():
            reader.bad(at, "a contact needs a name")
        out.append({k: reader.text(contact, k, at) for k in sorted(CONTACT_KEYS)})
    return out


def _equipment(reader: _Reader, raw: Any, units: DisplayUnits) -> list[dict[str, Any]]:
    """``[[client.equipment]]`` tables: the client's own bed, toilet, hoist... with its rated load."""
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        reader.bad(("client", "equipment"), "equipment must be [[client.equipment]] tables (name, rating)")
        return []
    out = []
    for i, item in enumerate(raw):
        at = ("client", "equipment", i)
        for unknown in sorted(set(item) - EQUIPMENT_KEYS):
            reader.bad(at + (unknown,), f"unknown key {unknown!r} in equipment; allowed: name, rating")
        name = reader.text(item, "name", at)
        if not name.strip():
            reader.bad(at, "equipment needs a name, e.g. name = \"Bed\"")
        rating = _measure(reader, item["rating"], Quantity.WEIGHT, units, at + ("rating",)) if "rating" in item \
            else None
        out.append({"name": name.strip(), "swl_kg": rating})
    return out


def _rooms(reader: _Reader, raw: Any, registry: Registry, units: DisplayUnits) -> tuple[ScenarioRoom, ...]:
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        reader.bad(("rooms",), "rooms must be [[rooms]] tables")
        return ()
    rooms, names = [], set()
    for i, room in enumerate(raw):
        at = ("rooms", i)
        for unknown in sorted(set(room) - ROOM_KEYS):
            reader.bad(at + (unknown,), f"unknown key {unknown!r} in [[rooms]]; allowed: type, name, answers")
        room_type = room.get("type")
        if not isinstance(room_type, str):
            reader.bad(at, "each [[rooms]] needs type = \"<room type>\"")
            continue
        try:
            checklist = registry.latest(room_type)
        except NotFoundError:
            known = [c.id for c in registry.room_types()]
            hint = difflib.get_close_matches(room_type, known, n=1)
            reader.bad(at + ("type",), f"unknown room type {room_type!r}"
                       + (f" (did you mean {hint[0]!r}?)" if hint else f"; known: {', '.join(known)}"))
            continue
        name = reader.text(room, "name", at, default=checklist.title) or checklist.title
        if name in names:
            reader.bad(at + ("name",), f"two rooms are called {name!r}; give each a different name")
        names.add(name)
        answers = room.get("answers", {})
        if not isinstance(answers, dict):
            reader.bad(at + ("answers",), "answers must be a table ([rooms.answers])")
            answers = {}
        parsed = [a for item_id, raw_answer in answers.items()
                  if (a := _answer(reader, registry, checklist, item_id, raw_answer, units, at)) is not None]
        _check_visible(reader, checklist, parsed)
        rooms.append(ScenarioRoom(room_type, name, tuple(parsed), reader.where.of(*at)))
    return tuple(rooms)


def _answer(reader: _Reader, registry: Registry, checklist: Checklist, item_id: str, raw: Any,
            units: DisplayUnits, room_at: tuple) -> ScenarioAnswer | None:
    at = room_at + ("answers", item_id)
    line = reader.where.of(*at)
    try:
        item = checklist.item(item_id)
    except KeyError:
        reader.bad(at, _unknown_item(registry, checklist, item_id))
        return None
    if raw == NOT_APPLICABLE and item.kind is not ItemKind.TEXT:
        return ScenarioAnswer(item_id, NOT_APPLICABLE, None, line)
    if item.kind is ItemKind.YES_NO:
        if raw in ("yes", "no"):
            return ScenarioAnswer(item_id, raw, None, line)
        reader.bad(at, f"{item_id} is answered \"yes\", \"no\" or \"na\", not {raw!r}")
    elif item.kind is ItemKind.CHOICE:
        values = [o.value for o in item.options]
        if raw in values:
            return ScenarioAnswer(item_id, raw, None, line)
        reader.bad(at, f"{item_id}: {raw!r} is not one of its choices ({', '.join(values)}, or na)")
    elif item.kind is ItemKind.MEASURE:
        assert item.quantity is not None
        number = _measure(reader, raw, item.quantity, units, at)
        if number is not None:
            return ScenarioAnswer(item_id, None, number, line)
    elif item.kind is ItemKind.COUNT:
        if not isinstance(raw, bool) and isinstance(raw, int) and 0 <= raw <= 10000:
            return ScenarioAnswer(item_id, None, float(raw), line)
        reader.bad(at, f"{item_id} is a count: write a whole number without quotes (0 to 10000), not {raw!r}")
    elif isinstance(raw, str):
        return ScenarioAnswer(item_id, raw.strip(), None, line)
    else:
        reader.bad(at, f"{item_id} is a note: write it as text in quotes")
    return None


def _unknown_item(registry: Registry, checklist: Checklist, item_id: str) -> str:
    owner = next((c for c in registry.room_types() if any(i.id == item_id for i in c.items)), None)
    if owner is not None:
        return (f"{item_id} is an item of room type {owner.id!r}, not {checklist.id!r}; "
                f"put it under a [[rooms]] with type = \"{owner.id}\"")
    hint = difflib.get_close_matches(item_id, [i.id for i in checklist.items], n=1)
    return (f"unknown item {item_id!r} for room type {checklist.id!r}"
            + (f" (did you mean {hint[0]!r}?)" if hint else ""))


def _check_visible(reader: _Reader, checklist: Checklist, answers: list[ScenarioAnswer]) -> None:
    """An item hidden by its show_if is never asked and makes no finding: refuse to record it silently."""
    given = {a.item_id: Answer(a.item_id, a.value, a.number) for a in answers}
    for answer in answers:
        item: Item = checklist.item(answer.item_id)
        if not is_visible(item, given):
            assert item.show_if is not None
            reader.problems.append(Problem(answer.line, (
                f"{item.id} is only asked when {item.show_if.item} is {' or '.join(item.show_if.equals)}; "
                f"answer {item.show_if.item} in the same room")))


# --- Running a scenario -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ScenarioRecommendation:
    tier: str                       # "P1" … "P4"
    template_id: str | None
    title: str
    reason: str
    room: str
    category: str
    family_text: str
    clinical_text: str
    options: tuple[RecOption, ...]
    choice_reason: str
    sizing: Sizing | None
    cost: str = ""          # free | low | medium | high
    effort: str = ""        # quick | days | weeks | months
    funding: str = ""       # the funding route the order list suggests (or the therapist chose)

    def to_json(self) -> dict[str, Any]:
        return {"tier": self.tier, "template_id": self.template_id, "title": self.title, "reason": self.reason,
                "room": self.room, "category": self.category, "cost": self.cost, "effort": self.effort,
                "funding": self.funding,
                "options": [{"template_id": o.template_id, "title": o.title, "chosen": o.chosen,
                             "suitable": o.suitable, "note": o.note} for o in self.options],
                "choice_reason": self.choice_reason,
                "sizing": None if self.sizing is None else {"what": self.sizing.what,
                                                            "calculation": self.sizing.calculation}}


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    assessment_id: str
    client_id: str
    recommendations: tuple[ScenarioRecommendation, ...]   # most urgent first, as the app lists them
    findings: tuple[FindingView, ...]
    sizings: tuple[tuple[str, Sizing], ...]                # (room name, sizing) for every calculation made

    def to_json(self) -> dict[str, Any]:
        return {"assessment_id": self.assessment_id, "client_id": self.client_id,
                "recommendations": [r.to_json() for r in self.recommendations],
                "findings": [{"tier": f.tier.code, "title": f.title, "reason": f.reason, "room": f.room_name,
                              "item_id": f.item_id, "measured": f.measured_text, "threshold": f.threshold_text,
                              "hazard": f.hazard, "score": f.score} for f in self.findings]}


def run_scenario(ctx: AppContext, scenario: Scenario) -> ScenarioResult:
    """Create the scenario's client and visit (committed like any other) and read back what the engine made."""
    visit_date = scenario.visit_date or ctx.clock.today()
    try:
        client, _ = C.create_client(ctx, allow_duplicate=True, **scenario.client_fields(visit_date))
        for goal in scenario.goals:
            C.add_goal(ctx, client.id, goal)
        visit, _ = A.create_assessment(ctx, client.id, kind=scenario.kind, visit_date=visit_date,
                                       standard=scenario.standard.value, units=scenario.units.value)
    except ValidationError as exc:
        raise ScenarioError(scenario.path, [Problem(None, f"client or visit: {exc}")]) from None
    for room in scenario.rooms:
        view, _ = A.add_room(ctx, visit.id, room.type, room.name)
        for answer in room.answers:
            try:
                A.set_answer(ctx, view.id, answer.item_id, value=answer.value, number=answer.number,
                             confirm_unusual=True)   # written as the therapist measured it
            except ValidationError as exc:
                raise ScenarioError(scenario.path, [Problem(answer.line, str(exc))]) from None
    return scenario_result(ctx, visit.id, client.id, scenario.standard, scenario.units)


def scenario_result(ctx: AppContext, assessment_id: str, client_id: str, standard: StandardProfile,
                    units: DisplayUnits) -> ScenarioResult:
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        sizings = visit_sizings(uow.session, assessment, ctx.registry)
        funding = {}   # the route the order list suggests, worked out once for the visit
        for row in uow.session.scalars(select(m.Recommendation).where(
                m.Recommendation.assessment_id == assessment_id, m.Recommendation.deleted_at.is_(None))):
            line = order_line_for(ctx, uow.session, row, assessment, sizings, None)
            funding[row.id] = FUNDING_LABELS[FundingRoute(line.funding_route or line.suggested_funding)]
    recommendations = []
    for rec in list_recommendations(ctx, assessment_id):
        # The sizing that sets it: the preselected option's, else the recommendation's own.
        chosen = [o.template_id for o in rec.options if o.chosen]
        sizing = next((s for t in [*chosen, rec.template_id]
                       if (s := sizing_for(sizings, sized_by(ctx.registry, t), rec.room_name, standard,
                                           units)) is not None), None)
        recommendations.append(ScenarioRecommendation(
            tier=rec.tier.code, template_id=rec.template_id, title=rec.title, reason=rec.reason,
            room=rec.room_name, category=rec.category, family_text=rec.family_text,
            clinical_text=rec.clinical_text, options=tuple(rec.options), choice_reason=rec.choice_reason,
            sizing=sizing, cost=rec.cost, effort=rec.effort, funding=funding.get(rec.id, "")))
    return ScenarioResult(assessment_id, client_id, tuple(recommendations),
                          tuple(list_findings(ctx, assessment_id)), tuple(sizings))


def result_lines(result: ScenarioResult) -> list[tuple[str, ...]]:
    """The recommendations as the command line prints them, as tab-separated fields (the command
    line escapes each; the assessment id follows, last): a row per recommendation, then its
    details as rows whose first field is empty."""
    lines: list[tuple[str, ...]] = []
    for rec in result.recommendations:
        lines.append((rec.tier, rec.title, rec.room, rec.category))
        lines.append(("", f"reason: {rec.reason}"))
        if rec.options:
            shown = [("* " if o.chosen else "  ") + o.title + ("" if o.suitable else " (not suitable)")
                     + (f" — {o.note}" if o.note else "") for o in rec.options]
            lines.append(("", "options: " + " | ".join(shown)))
        if rec.choice_reason:
            lines.append(("", f"chosen because: {rec.choice_reason}"))
        if rec.sizing is not None:
            lines.append(("", f"sizing ({rec.sizing.what}): {rec.sizing.calculation}"))
    return lines
