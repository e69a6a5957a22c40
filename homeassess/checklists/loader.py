"""Validate checklist and recommendation TOML files into frozen domain objects.

Every problem is collected with its file and item path and raised together as one
``ChecklistDefinitionError`` so a content author sees all of them in one run.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from homeassess.domain.checklist import (
    CLIENT_MEASURES, NOT_APPLICABLE, YES_NO_VALUES, Check, Checklist, Choice, ChoiceOption, Cost, Effort,
    Hazard, Item, ItemKind, Limit, Option, Quantity, RecCategory, RecommendationTemplate, ShowIf,
)
from homeassess.domain.sizing import INPUTS as SIZING_INPUTS
from homeassess.domain.sizing import OUTCOMES as SIZING_OUTCOMES
from homeassess.domain.client import CLIENT_TAGS
from homeassess.domain.errors import ChecklistDefinitionError
from homeassess.domain.priority import ANSWER_FACTORS
from homeassess.domain.profiles import StandardProfile

SCHEMA_VERSION = 1
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
FILE_NAME = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.toml$")
WHO = frozenset({"family", "handyperson", "builder", "plumber", "electrician", "supplier",
                 "therapist", "doctor", "service"})

_CHECKLIST_KEYS = {"schema", "id", "version", "title", "reference", "items", "migrations"}
_ITEM_KEYS = {"id", "section", "prompt", "help", "kind", "options", "quantity", "show_if", "checks", "sizing",
              "fact", "adds_factor", "typical"}
_CHECK_KEYS = {"when", "below", "above", "outside", "client_any", "client_none", "hazard",
               "likelihood", "consequence", "essential", "violates_precaution", "title", "reason",
               "recommendations", "source", "unless_fits", "later", "if_unanswered"}
_LIBRARY_KEYS = {"schema", "id", "version", "recommendations", "choices"}
_REC_KEYS = {"id", "category", "title", "family_text", "clinical_text", "who", "cost", "effort",
             "today", "reference", "for_conditions", "condition_reason", "condition_tier", "condition_requires",
             "condition_visits", "purpose", "sized_by", "weight_bearing", "sided", "client_none",
             "fits_doors"}
VISIT_KINDS = ("home", "workplace")
_CHOICE_KEYS = {"id", "title", "options"}
_CHOICE_OPTION_KEYS = {"rec", "sizing", "suits", "client_any", "client_none", "prefer_for"}
# Placeholders a reason may use; the engine fills them from the answer (domain/findings.py).
REASON_PLACEHOLDERS = frozenset({"burn_time", "answer", "hands"})
CLIENT_PLACEHOLDERS = frozenset({"hands"})   # "painful hands" / "weak hands" from the client's conditions
# Placeholders condition advice may use; the engine fills them from the client profile (services/findings.py).
CONDITION_PLACEHOLDERS = frozenset({"client_weight", "aid_rating", "aid", "equipment", "hands"})
CHOICE_ID = re.compile(r"^choice\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")


@functools.cache
def public_citations() -> tuple[str, ...]:
    """Citation prefixes of the public sources REFERENCE lacks (sources.toml), e.g. 'AS 1926.1'."""
    path = Path(__file__).with_name("sources.toml")
    return tuple(s["cite"] for s in tomllib.loads(path.read_text(encoding="utf-8"))["sources"])


class _Problems:
    """Collects located error messages for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{self.file}: {where}: {message}")


def _read(path: Path, problems: _Problems) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        problems.add("file", f"not valid TOML ({exc})")
    except OSError as exc:
        problems.add("file", f"cannot be read ({exc.strerror})")
    return None


def _header(data: dict[str, Any], path: Path, allowed: set[str], p: _Problems) -> tuple[str, int]:
    for key in sorted(set(data) - allowed):
        p.add(key, "unknown key")
    if data.get("schema") != SCHEMA_VERSION:
        p.add("schema", f"must be {SCHEMA_VERSION}, got {data.get('schema')!r}")
    match = FILE_NAME.match(path.name)
    if not match:
        p.add("file", "name must be <id>.v<version>.toml")
        return str(data.get("id", "")), int(data.get("version", 0) or 0)
    if data.get("id") != match["id"]:
        p.add("id", f"{data.get('id')!r} does not match the file name ({match['id']!r})")
    if data.get("version") != int(match["version"]):
        p.add("version", f"{data.get('version')!r} does not match the file name (v{match['version']})")
    return match["id"], int(match["version"])


def _text(obj: dict[str, Any], key: str, where: str, p: _Problems, *, required: bool = True) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        p.add(f"{where}.{key}", "must be text")
        return ""
    if required and not value.strip():
        p.add(f"{where}.{key}", "is required")
    return value.strip()


def _enum(enum: type, obj: dict[str, Any], key: str, where: str, p: _Problems, default: Any = None) -> Any:
    raw = obj.get(key)
    if raw is None and default is not None:
        return default
    try:
        return enum(raw)
    except ValueError:
        found = "is required" if raw is None else f"{raw!r} is not valid"
        p.add(f"{where}.{key}", f"{found}: one of {', '.join(m.value for m in enum)}")
        return default


def _tags(obj: dict[str, Any], key: str, where: str, p: _Problems) -> frozenset[str]:
    raw = obj.get(key, [])
    if not isinstance(raw, list):
        p.add(f"{where}.{key}", "must be a list of client tags")
        return frozenset()
    for tag in raw:
        if tag not in CLIENT_TAGS:
            p.add(f"{where}.{key}", f"{tag!r} is not a client tag (see SCHEMA.md)")
    return frozenset(t for t in raw if t in CLIENT_TAGS)


def _number(raw: Any) -> float | None:
    return float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None


def _per_profile(raw: Any, where: str, p: _Problems, convert: Any) -> dict[StandardProfile, Any] | None:
    if not isinstance(raw, dict):
        value = convert(raw)
        if value is None:
            p.add(where, f"{raw!r} is not a valid limit")
            return None
        return {profile: value for profile in StandardProfile}
    expected = {s.value for s in StandardProfile}
    if set(raw) != expected:
        p.add(where, f"needs exactly the keys {', '.join(sorted(expected))}, got {', '.join(sorted(raw))}")
        return None
    values = {StandardProfile(k): convert(v) for k, v in raw.items()}
    if any(v is None for v in values.values()):
        p.add(where, "every profile value must be a number" + (" pair" if convert is _pair else ""))
        return None
    return values


def _limit(raw: Any, where: str, p: _Problems) -> Limit | None:
    if isinstance(raw, dict) and "client" in raw:
        for key in sorted(set(raw) - {"client", "offset"}):
            p.add(where, f"unknown key {key!r}")
        if raw["client"] not in CLIENT_MEASURES:
            p.add(where, f"client measure {raw['client']!r} is not one of {', '.join(CLIENT_MEASURES)}")
            return None
        offset = _number(raw.get("offset", 0))
        if offset is None:
            p.add(where, "offset must be a number")
            return None
        return Limit(client_measure=raw["client"], offset=offset)
    values = _per_profile(raw, where, p, _number)
    return None if values is None else Limit(per_profile=tuple(values.items()))


def _pair(raw: Any) -> tuple[float, float] | None:
    if isinstance(raw, list) and len(raw) == 2 and all(_number(v) is not None for v in raw):
        low, high = float(raw[0]), float(raw[1])
        return (low, high) if low <= high else None
    return None


def _range(raw: Any, where: str, p: _Problems) -> tuple[Limit, Limit] | None:
    values = _per_profile(raw, where, p, _pair)
    if values is None:
        return None
    low = Limit(per_profile=tuple((k, v[0]) for k, v in values.items()))
    high = Limit(per_profile=tuple((k, v[1]) for k, v in values.items()))
    return low, high


def _score(obj: dict[str, Any], key: str, where: str, p: _Problems) -> int:
    raw = obj.get(key)
    if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= 5:
        p.add(f"{where}.{key}", f"must be a whole number 1..5, got {raw!r}")
        return 1
    return raw


def _answer_values(item: Item) -> set[str]:
    if item.kind is ItemKind.YES_NO:
        return set(YES_NO_VALUES)
    return {o.value for o in item.options} | {NOT_APPLICABLE}


def _condition(raw: dict[str, Any], item: Item, where: str, p: _Problems) -> dict[str, Any]:
    given = [k for k in ("when", "below", "above", "outside") if k in raw]
    if raw.get("if_unanswered") is True:
        if given:
            p.add(where, "a check for an unanswered item has no when/below/above/outside")
        if not raw.get("client_any"):
            p.add(f"{where}.client_any", "an unanswered item is suggested only for the clients it matters to")
        return {}
    if len(given) != 1:
        p.add(where, f"needs exactly one of when/below/above/outside, got {given or 'none'}")
        return {}
    key = given[0]
    numeric = item.kind in (ItemKind.MEASURE, ItemKind.COUNT)
    if key == "when":
        if numeric or item.kind is ItemKind.TEXT:
            p.add(f"{where}.when", f"cannot be used with a {item.kind.value} item")
            return {}
        values = raw["when"] if isinstance(raw["when"], list) else [raw["when"]]
        for value in values:
            if value not in _answer_values(item):
                p.add(f"{where}.when", f"{value!r} is not an answer of {item.id}")
        return {"when": tuple(values)}
    if not numeric:
        p.add(f"{where}.{key}", f"cannot be used with a {item.kind.value} item")
        return {}
    if key == "outside" and item.kind is ItemKind.COUNT:
        p.add(f"{where}.outside", "use below/above with a count item")
        return {}
    source = str(raw.get("source", ""))
    if not source.startswith("REFERENCE §") and not source.startswith(public_citations()):
        p.add(f"{where}.source", "a numeric limit must cite its source as 'REFERENCE §…' or as a public "
                                 "source listed in checklists/sources.toml")
    if key == "outside":
        return {"outside": _range(raw["outside"], f"{where}.outside", p)}
    return {key: _limit(raw[key], f"{where}.{key}", p)}


def _check(raw: Any, item: Item, where: str, p: _Problems) -> Check | None:
    if not isinstance(raw, dict):
        p.add(where, "must be a table")
        return None
    for key in sorted(set(raw) - _CHECK_KEYS):
        p.add(f"{where}.{key}", "unknown key")
    recs = raw.get("recommendations", [])
    if not isinstance(recs, list) or not recs:
        p.add(f"{where}.recommendations", "must list at least one recommendation id")
        recs = []
    later = raw.get("later", [])
    if not isinstance(later, list):
        p.add(f"{where}.later", "must list recommendation ids")
        later = []
    unless_fits = str(raw.get("unless_fits", ""))
    if unless_fits and unless_fits not in SIZING_INPUTS:
        p.add(f"{where}.unless_fits", f"{unless_fits!r} is not a sizing ({', '.join(sorted(SIZING_INPUTS))})")
    if unless_fits and not item.sizing.startswith(unless_fits + "."):
        p.add(f"{where}.unless_fits", f"the item does not feed the {unless_fits!r} sizing (set its 'sizing')")
    reason_text = str(raw.get("reason", ""))
    for name in re.findall(r"\{([^}]*)\}", reason_text):
        if name.startswith("item:"):
            if not re.search(r"\[[^\]]*\{" + re.escape(name) + r"\}[^\]]*\]", reason_text):
                p.add(f"{where}.reason", f"{{{name}}} must sit in an optional [part] that is left out while "
                                         "that item is unanswered")
        elif name not in REASON_PLACEHOLDERS:
            p.add(f"{where}.reason", f"unknown placeholder {{{name}}} (known: {', '.join(sorted(REASON_PLACEHOLDERS))})")
        elif name in CLIENT_PLACEHOLDERS:
            continue   # filled from the client, whatever the item's kind
        elif item.kind not in (ItemKind.MEASURE, ItemKind.COUNT) or (name == "burn_time" and item.kind is not
                                                                     ItemKind.MEASURE):
            p.add(f"{where}.reason", f"{{{name}}} needs a measured value; {item.id} is {item.kind.value}")
    return Check(
        unless_fits=unless_fits, later=tuple(str(r) for r in later), if_unanswered=raw.get("if_unanswered") is True,
        **_condition(raw, item, where, p),
        client_any=_tags(raw, "client_any", where, p),
        client_none=_tags(raw, "client_none", where, p),
        hazard=_enum(Hazard, raw, "hazard", where, p) or Hazard.OTHER,
        likelihood=_score(raw, "likelihood", where, p),
        consequence=_score(raw, "consequence", where, p),
        essential=bool(raw.get("essential", False)),
        violates_precaution=_tags(raw, "violates_precaution", where, p),
        title=_text(raw, "title", where, p),
        reason=_text(raw, "reason", where, p),
        recommendations=tuple(str(r) for r in recs),
        source=_text(raw, "source", where, p, required=False),
    )


def _options(raw: Any, where: str, p: _Problems) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        p.add(f"{where}.options", "a choice item needs at least two options")
        return ()
    options = []
    for n, opt in enumerate(raw):
        if not isinstance(opt, dict) or set(opt) != {"value", "label"}:
            p.add(f"{where}.options[{n}]", "must be { value = ..., label = ... }")
            continue
        if not SLUG.match(str(opt["value"])) or opt["value"] == NOT_APPLICABLE:
            p.add(f"{where}.options[{n}].value", f"{opt['value']!r} must be a slug other than 'na'")
        options.append(Option(str(opt["value"]), str(opt["label"])))
    if len({o.value for o in options}) != len(options):
        p.add(f"{where}.options", "option values repeat")
    return tuple(options)


def _item(raw: Any, checklist_id: str, where: str, p: _Problems) -> Item | None:
    if not isinstance(raw, dict):
        p.add(where, "must be a table")
        return None
    item_id = str(raw.get("id", ""))
    where = f"{where} ({item_id})" if item_id else where
    for key in sorted(set(raw) - _ITEM_KEYS):
        p.add(f"{where}.{key}", "unknown key")
    prefix, _, slug = item_id.partition(".")
    if prefix != checklist_id or not SLUG.match(slug):
        p.add(f"{where}.id", f"must be '{checklist_id}.<slug>', got {item_id!r}")
    kind = _enum(ItemKind, raw, "kind", where, p, ItemKind.TEXT)
    options = _options(raw.get("options"), where, p) if kind is ItemKind.CHOICE else ()
    if kind is not ItemKind.CHOICE and "options" in raw:
        p.add(f"{where}.options", f"only choice items have options, this is {kind.value}")
    quantity = _enum(Quantity, raw, "quantity", where, p) if kind is ItemKind.MEASURE else None
    if kind is not ItemKind.MEASURE and "quantity" in raw:
        p.add(f"{where}.quantity", "only measure items have a quantity")
    show_if = None
    if "show_if" in raw:
        cond = raw["show_if"]
        if isinstance(cond, dict) and set(cond) == {"item", "equals"}:
            equals = cond["equals"] if isinstance(cond["equals"], list) else [cond["equals"]]
            show_if = ShowIf(str(cond["item"]), tuple(str(v) for v in equals))
        else:
            p.add(f"{where}.show_if", "must be { item = ..., equals = [...] }")
    sizing = str(raw.get("sizing", ""))
    key, _, role = sizing.partition(".")
    if sizing and role not in SIZING_INPUTS.get(key, ()):
        known = ", ".join(f"{k}.{r}" for k, roles in SIZING_INPUTS.items() for r in roles)
        p.add(f"{where}.sizing", f"{sizing!r} is not a sizing input (one of {known})")
    fact = str(raw.get("fact", ""))
    if fact and not SLUG.match(fact):
        p.add(f"{where}.fact", f"{fact!r} must be a slug")
    adds = raw.get("adds_factor")
    adds_factor = None
    if adds is not None:
        if not isinstance(adds, dict) or set(adds) != {"factor", "when"} or adds["factor"] not in ANSWER_FACTORS:
            p.add(f"{where}.adds_factor", "must be { factor = <one of " + ", ".join(sorted(ANSWER_FACTORS))
                  + ">, when = [answers] }")
        else:
            adds_factor = (str(adds["factor"]), tuple(str(v) for v in adds["when"]))
    typical = None
    if "typical" in raw:
        span = raw["typical"]
        if kind not in (ItemKind.MEASURE, ItemKind.COUNT):
            p.add(f"{where}.typical", "only measure and count items have a usual range")
        elif (not isinstance(span, list) or len(span) != 2 or not all(isinstance(v, (int, float)) for v in span)
              or span[0] >= span[1]):
            p.add(f"{where}.typical", "must be [low, high] in canonical units (mm, °C, %, lux, N, kg), low < high")
        else:
            typical = (float(span[0]), float(span[1]))
    item = Item(id=item_id, section=_text(raw, "section", where, p), prompt=_text(raw, "prompt", where, p),
                kind=kind, help=_text(raw, "help", where, p, required=False), options=options,
                quantity=quantity, show_if=show_if, sizing=sizing, fact=fact, adds_factor=adds_factor,
                typical=typical)
    raw_checks = raw.get("checks", [])
    if kind is ItemKind.TEXT and raw_checks:
        p.add(f"{where}.checks", "text items cannot have checks")
        raw_checks = []
    checks = [_check(c, item, f"{where}.checks[{n}]", p) for n, c in enumerate(raw_checks)]
    return replace(item, checks=tuple(c for c in checks if c))


def _check_show_if(items: list[Item], p: _Problems) -> None:
    by_id = {i.id: i for i in items}
    for item in items:
        if item.show_if is None:
            continue
        target = by_id.get(item.show_if.item)
        if target is None:
            p.add(f"{item.id}.show_if", f"item {item.show_if.item!r} is not in this checklist")
            continue
        for value in item.show_if.equals:
            if value not in _answer_values(target):
                p.add(f"{item.id}.show_if", f"{value!r} is not an answer of {target.id}")
        seen, cur = {item.id}, target
        while cur.show_if is not None:
            if cur.id in seen or cur.show_if.item in seen:
                p.add(f"{item.id}.show_if", "forms a cycle")
                break
            seen.add(cur.id)
            cur = by_id.get(cur.show_if.item, cur)
            if cur.show_if is None or cur.show_if.item not in by_id:
                break


def _migrations(data: dict[str, Any], items: list[Item], p: _Problems) -> tuple[tuple, tuple]:
    raw = data.get("migrations", {})
    ids = {i.id for i in items}
    renamed = raw.get("renamed", {}) if isinstance(raw, dict) else {}
    retired = raw.get("retired", []) if isinstance(raw, dict) else []
    for old, new in renamed.items():
        if old in ids:
            p.add("migrations.renamed", f"{old!r} was renamed but still exists")
        if new not in ids:
            p.add("migrations.renamed", f"rename target {new!r} does not exist")
    for old in retired:
        if old in ids:
            p.add("migrations.retired", f"{old!r} is retired but still used")
    return tuple(renamed.items()), tuple(retired)


def parse_checklist(path: Path) -> tuple[Checklist | None, list[str]]:
    """Parse one checklist file; returns the checklist (None if unusable) and its problems."""
    p = _Problems(path.name)
    data = _read(path, p)
    if data is None:
        return None, p.messages
    checklist_id, version = _header(data, path, _CHECKLIST_KEYS, p)
    raw_items = data.get("items", [])
    if not isinstance(raw_items, list) or not raw_items:
        p.add("items", "a checklist needs at least one item")
        raw_items = []
    items = [i for n, r in enumerate(raw_items) if (i := _item(r, checklist_id, f"items[{n}]", p))]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            p.add(item.id, "item id is used twice")
        seen.add(item.id)
    _check_show_if(items, p)
    numeric = {i.id for i in items if i.kind in (ItemKind.MEASURE, ItemKind.COUNT)}
    for item in items:
        for n, check in enumerate(item.checks):
            for ref in re.findall(r"\{item:([^}]*)\}", check.reason):
                if ref not in numeric:
                    p.add(f"{item.id}.checks[{n}].reason", f"{{item:{ref}}} must name a measure or count item of "
                                                           "this checklist")
    renamed, retired = _migrations(data, items, p)
    checklist = Checklist(id=checklist_id, version=version, title=_text(data, "title", "header", p),
                          reference=_text(data, "reference", "header", p, required=False),
                          items=tuple(items), renamed=renamed, retired=retired)
    return checklist, p.messages


def _recommendation(raw: Any, file_id: str, where: str, p: _Problems) -> RecommendationTemplate | None:
    if not isinstance(raw, dict):
        p.add(where, "must be a table")
        return None
    rec_id = str(raw.get("id", ""))
    where = f"{where} ({rec_id})" if rec_id else where
    for key in sorted(set(raw) - _REC_KEYS):
        p.add(f"{where}.{key}", "unknown key")
    parts = rec_id.split(".")
    if len(parts) != 3 or parts[0] != "rec" or parts[1] != file_id or not SLUG.match(parts[2]):
        p.add(f"{where}.id", f"must be 'rec.{file_id}.<slug>', got {rec_id!r}")
    who = _text(raw, "who", where, p)
    if who and who not in WHO:
        p.add(f"{where}.who", f"{who!r} is not one of {', '.join(sorted(WHO))}")
    for_conditions = _tags(raw, "for_conditions", where, p)
    tier = raw.get("condition_tier")
    reason = _text(raw, "condition_reason", where, p, required=bool(for_conditions))
    if for_conditions and (not isinstance(tier, int) or not 1 <= tier <= 4):
        p.add(f"{where}.condition_tier", f"must be 1..4 when for_conditions is set, got {tier!r}")
        tier = 4
    if not isinstance(raw.get("today", False), bool):
        p.add(f"{where}.today", "must be true or false")
    for name in re.findall(r"\{([^}]*)\}", reason):
        if name not in CONDITION_PLACEHOLDERS:
            p.add(f"{where}.condition_reason", f"unknown placeholder {{{name}}} "
                                               f"(known: {', '.join(sorted(CONDITION_PLACEHOLDERS))})")
    requires = _tags(raw, "condition_requires", where, p)
    if requires and not for_conditions:
        p.add(f"{where}.condition_requires", "only condition advice (for_conditions) can require tags")
    visits = raw.get("condition_visits", ["home"])
    if not isinstance(visits, list) or not visits or any(v not in VISIT_KINDS for v in visits):
        p.add(f"{where}.condition_visits", f"must list visit kinds from {', '.join(VISIT_KINDS)}")
        visits = ["home"]
    purpose = str(raw.get("purpose", ""))
    if purpose and not SLUG.match(purpose):
        p.add(f"{where}.purpose", f"{purpose!r} must be a slug")
    sized_by = str(raw.get("sized_by", ""))
    if sized_by and sized_by not in SIZING_INPUTS:
        p.add(f"{where}.sized_by", f"{sized_by!r} is not a sizing ({', '.join(sorted(SIZING_INPUTS))})")
    return RecommendationTemplate(
        condition_requires=requires, condition_visits=frozenset(visits), purpose=purpose, sized_by=sized_by,
        weight_bearing=raw.get("weight_bearing") is True, sided=raw.get("sided") is True,
        client_none=_tags(raw, "client_none", where, p), fits_doors=raw.get("fits_doors") is True, id=rec_id, category=_enum(RecCategory, raw, "category", where, p, RecCategory.MODIFICATION),
        title=_text(raw, "title", where, p), family_text=_text(raw, "family_text", where, p),
        clinical_text=_text(raw, "clinical_text", where, p), who=who,
        cost=_enum(Cost, raw, "cost", where, p, Cost.LOW), effort=_enum(Effort, raw, "effort", where, p, Effort.DAYS),
        today=raw.get("today") is True, reference=_text(raw, "reference", where, p, required=False),
        for_conditions=for_conditions, condition_reason=reason,
        condition_tier=tier if for_conditions else None,
    )


def is_library_file(path: Path) -> bool:
    """True for a recommendation library file (it has recommendations, not items)."""
    try:
        with path.open("rb") as fh:
            return "recommendations" in tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return False


def _choice(raw: Any, where: str, p: _Problems) -> Choice | None:
    if not isinstance(raw, dict):
        p.add(where, "must be a table")
        return None
    choice_id = str(raw.get("id", ""))
    where = f"{where} ({choice_id})" if choice_id else where
    for key in sorted(set(raw) - _CHOICE_KEYS):
        p.add(f"{where}.{key}", "unknown key")
    if not CHOICE_ID.match(choice_id):
        p.add(f"{where}.id", f"must be 'choice.<slug>', got {choice_id!r}")
    options = []
    raw_options = raw.get("options", [])
    if not isinstance(raw_options, list) or len(raw_options) < 2:
        p.add(f"{where}.options", "a choice needs at least two options")
        raw_options = []
    for n, opt in enumerate(raw_options):
        at = f"{where}.options[{n}]"
        if not isinstance(opt, dict) or "rec" not in opt:
            p.add(at, "must be { rec = \"rec.…\", ... }")
            continue
        for key in sorted(set(opt) - _CHOICE_OPTION_KEYS):
            p.add(f"{at}.{key}", "unknown key")
        sizing = str(opt.get("sizing", ""))
        suits = opt.get("suits", [])
        if sizing and sizing not in SIZING_OUTCOMES:
            p.add(f"{at}.sizing", f"{sizing!r} is not a sizing ({', '.join(sorted(SIZING_OUTCOMES))})")
        if not isinstance(suits, list) or (sizing and not suits) or (suits and not sizing):
            p.add(f"{at}.suits", "give a sizing and the list of its outcomes this option suits")
            suits = []
        for outcome in suits:
            if sizing in SIZING_OUTCOMES and outcome not in SIZING_OUTCOMES[sizing]:
                p.add(f"{at}.suits", f"{outcome!r} is not an outcome of {sizing} "
                                     f"({', '.join(SIZING_OUTCOMES[sizing])})")
        options.append(ChoiceOption(str(opt["rec"]), sizing, tuple(str(o) for o in suits),
                                    _tags(opt, "client_any", at, p), _tags(opt, "client_none", at, p),
                                    _tags(opt, "prefer_for", at, p)))
    if len({o.recommendation for o in options}) != len(options):
        p.add(f"{where}.options", "an option is listed twice")
    return Choice(choice_id, _text(raw, "title", where, p), tuple(options))


def parse_library(path: Path) -> tuple[list[RecommendationTemplate], list[str]]:
    """Parse one recommendation library file (recommendations, and optionally choices)."""
    recs, _choices, messages = parse_library_with_choices(path)
    return recs, messages


def parse_library_with_choices(path: Path) -> tuple[list[RecommendationTemplate], list[Choice], list[str]]:
    p = _Problems(path.name)
    data = _read(path, p)
    if data is None:
        return [], [], p.messages
    file_id, _ = _header(data, path, _LIBRARY_KEYS, p)
    raw = data.get("recommendations", [])
    if not isinstance(raw, list) or (not raw and "choices" not in data):
        p.add("recommendations", "a library file needs at least one recommendation")
        raw = []
    recs = [r for n, x in enumerate(raw) if (r := _recommendation(x, file_id, f"recommendations[{n}]", p))]
    raw_choices = data.get("choices", [])
    if not isinstance(raw_choices, list):
        p.add("choices", "must be a list of [[choices]] tables")
        raw_choices = []
    choices = [c for n, x in enumerate(raw_choices) if (c := _choice(x, f"choices[{n}]", p))]
    return recs, choices, p.messages


@dataclass(frozen=True, slots=True)
class LoadedData:
    """Every checklist version and recommendation found in a set of files."""

    checklists: dict[tuple[str, int], Checklist]
    recommendations: dict[str, RecommendationTemplate]
    choices: dict[str, Choice] = field(default_factory=dict)
    child_texts: dict[str, str] = field(default_factory=dict)   # family-facing text -> words for the parents
    adult_only: frozenset[str] = frozenset()                      # recommendations never made for a child


CHILD_WORDING = Path(__file__).parent / "wording" / "child.toml"


def parse_child_wording(path: Path) -> tuple[dict[str, str], frozenset[str], list[str]]:
    """``wording/child.toml``: what the parents read instead of a sentence addressed to the client, and
    the advice that is for adults only (walking frames, hip kits, pendant alarms...)."""
    p = _Problems(path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return {}, frozenset(), [f"{path.name}: {exc}"]
    texts: dict[str, str] = {}
    for n, entry in enumerate(data.get("texts", [])):
        adult, child = (entry.get(k) if isinstance(entry, dict) else None for k in ("adult", "child"))
        if not isinstance(adult, str) or not isinstance(child, str) or not adult.strip() or not child.strip():
            p.add(f"texts[{n}]", "needs an adult and a child text")
        elif adult in texts:
            p.add(f"texts[{n}]", f"{adult!r} is listed twice")
        elif not re.search(r"\byour (child|son|daughter)\b|\bchildren\b|\bthey\b|\btheir\b|\bthem\b",
                           child, re.IGNORECASE) and re.search(r"\byou\b", child, re.IGNORECASE):
            p.add(f"texts[{n}].child", "should speak to the parents about their child")
        else:
            texts[adult] = child
    adult_only = data.get("adult_only", [])
    if not isinstance(adult_only, list) or not all(isinstance(a, str) for a in adult_only):
        p.add("adult_only", "must be a list of recommendation ids")
        adult_only = []
    return texts, frozenset(adult_only), p.messages


def load_files(checklist_paths: list[Path], library_paths: list[Path],
               child_wording: Path | None = None) -> LoadedData:
    """Load and cross-check files; raise ChecklistDefinitionError listing every problem."""
    problems: list[str] = []
    child_texts, adult_only = {}, frozenset()
    if child_wording is not None:
        child_texts, adult_only, messages = parse_child_wording(child_wording)
        problems += messages
    recommendations: dict[str, RecommendationTemplate] = {}
    choices: dict[str, tuple[str, Choice]] = {}
    for path in sorted(library_paths):
        recs, file_choices, messages = parse_library_with_choices(path)
        problems += messages
        for rec in recs:
            if rec.id in recommendations:
                problems.append(f"{path.name}: {rec.id}: recommendation id is used twice")
            recommendations[rec.id] = rec
        for choice in file_choices:
            if choice.id in choices:
                problems.append(f"{path.name}: {choice.id}: choice id is used twice")
            choices[choice.id] = (path.name, choice)
    member_of: dict[str, str] = {}
    for name, choice in choices.values():
        for option in choice.options:
            template = recommendations.get(option.recommendation)
            if template is None:
                problems.append(f"{name}: {choice.id}: option {option.recommendation!r} is not in the library")
            elif template.purpose:
                problems.append(f"{name}: {choice.id}: option {option.recommendation!r} has a purpose; an option "
                                "is chosen within its choice, not merged across the visit")
            if option.recommendation in member_of:
                problems.append(f"{name}: {choice.id}: option {option.recommendation!r} is already an option of "
                                f"{member_of[option.recommendation]}")
            member_of[option.recommendation] = choice.id
    checklists: dict[tuple[str, int], Checklist] = {}
    for path in sorted(checklist_paths):
        checklist, messages = parse_checklist(path)
        problems += messages
        if checklist is None:
            continue
        checklists[(checklist.id, checklist.version)] = checklist
        for item in checklist.items:
            for n, check in enumerate(item.checks):
                for rec_id in check.recommendations + check.later:
                    if rec_id not in recommendations and rec_id not in choices:
                        problems.append(f"{path.name}: {item.id}.checks[{n}].recommendations: "
                                        f"{rec_id!r} is not in the recommendation library")
    for rec_id in sorted(adult_only - set(recommendations)):
        problems.append(f"child.toml: adult_only: {rec_id!r} is not in the recommendation library")
    if problems:
        raise ChecklistDefinitionError(problems)
    # An adult-only option is never offered to a child.
    final = {cid: replace(choice, options=tuple(
        replace(o, client_none=o.client_none | {"child"}) if o.recommendation in adult_only else o
        for o in choice.options)) for cid, (_name, choice) in choices.items()}
    return LoadedData(checklists=checklists, recommendations=recommendations, choices=final,
                      child_texts=child_texts, adult_only=adult_only)
