"""HomeAssess against four public-domain home-safety checklists (issue 11).

``homeassess/checklists/comparison/public_checklists.toml`` maps every item of the CDC STEADI
"Check for Safety" brochure, NIA "Preventing Falls at Home: Room by Room", HSSAT v5 and CPSC
Pub. 701 to the HomeAssess items that cover it. Here we check that the mapping is complete, that it
names real items and answers, and that every mapped hazard makes a finding with a recommendation
for a generic adult (50, no conditions, no client tags) on a UK home visit, through the real services.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from homeassess.checklists.registry import Registry
from homeassess.domain.checklist import ItemKind
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext

COMPARISON = Path(__file__).resolve().parents[2] / "homeassess" / "checklists" / "comparison" / "public_checklists.toml"
ENTRIES: list[dict] = tomllib.loads(COMPARISON.read_text(encoding="utf-8"))["items"]
INSTRUMENTS = {
    "CDC STEADI Check for Safety": 20,          # the fewest items we expect from each instrument
    "NIA Preventing Falls at Home: Room by Room": 25,
    "HSSAT v5 (Home Safety Self-Assessment Tool)": 60,
    "CPSC Pub. 701 Safety for Older Consumers: Home Safety Checklist": 35,
}
GENERIC_ADULT = date(1975, 1, 1)


def room_type(item_id: str) -> str:
    return item_id.split(".", 1)[0]


def mappings() -> list[tuple[dict, dict]]:
    return [(entry, m) for entry in ENTRIES for m in entry["homeassess"]]


def _id(pair: tuple[dict, dict]) -> str:
    entry, m = pair
    return f"{entry['instrument']} | {entry['number']} -> {m['item']}={m['answer']}"


def visit(ctx: AppContext, *, standard: str = "UK", kind: str = "home", **profile: object) -> str:
    profile.setdefault("date_of_birth", GENERIC_ADULT)
    client, _ = C.create_client(ctx, given_name="Generic", family_name="Adult", allow_duplicate=True, **profile)
    assessment, _ = A.create_assessment(ctx, client.id, standard=standard, kind=kind)
    return assessment.id


def answer(ctx: AppContext, room_id: str, item_id: str, value: object) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        A.set_answer(ctx, room_id, item_id, number=value)
    else:
        A.set_answer(ctx, room_id, item_id, value=str(value))


def _check_answer(registry: Registry, item_id: str, value: object) -> str | None:
    checklist = registry.latest(room_type(item_id))
    try:
        item = checklist.item(item_id)
    except (KeyError, LookupError, ValueError):
        return f"{item_id}: no such item in {checklist.id} v{checklist.version}"
    if item.kind in (ItemKind.MEASURE, ItemKind.COUNT):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return f"{item_id}: a {item.kind.value} item needs a number, not {value!r}"
    elif item.kind is ItemKind.YES_NO:
        if value not in ("yes", "no"):
            return f"{item_id}: yes_no answer {value!r}"
    elif item.kind is ItemKind.CHOICE:
        if value not in {o.value for o in item.options}:
            return f"{item_id}: {value!r} is not an option ({', '.join(o.value for o in item.options)})"
    else:
        return f"{item_id}: a {item.kind.value} item cannot be mapped"
    return None


def test_four_instruments_each_with_a_fair_number_of_items() -> None:
    counts = Counter(e["instrument"] for e in ENTRIES)
    assert set(counts) == set(INSTRUMENTS)
    for name, fewest in INSTRUMENTS.items():
        assert counts[name] >= fewest, f"{name}: only {counts[name]} items"
    keys = [(e["instrument"], e["number"]) for e in ENTRIES]
    assert len(keys) == len(set(keys)), "an instrument item is listed twice"
    assert all(e["paraphrase"].strip() for e in ENTRIES)


def test_every_hazard_maps_to_an_item_so_coverage_is_complete() -> None:
    hazards = [e for e in ENTRIES if "not_a_hazard" not in e]
    unmapped = [f"{e['instrument']} {e['number']}" for e in hazards if not e["homeassess"]]
    assert not unmapped, f"coverage {100 * (len(hazards) - len(unmapped)) / len(hazards):.0f} %: " + ", ".join(unmapped)
    advice = [e for e in ENTRIES if "not_a_hazard" in e]
    assert all(not e["homeassess"] and e["not_a_hazard"].strip() for e in advice)
    assert len(advice) <= 0.05 * len(ENTRIES), "keep the not-a-hazard entries few"


def test_mapped_items_exist_in_the_latest_checklists_with_valid_answers(registry: Registry) -> None:
    problems = []
    for entry, m in mappings():
        where = f"{entry['instrument']} {entry['number']}"
        for item_id, value in [*entry.get("given", {}).items(), (m["item"], m["answer"])]:
            if problem := _check_answer(registry, item_id, value):
                problems.append(f"{where}: {problem}")
    for entry in ENTRIES:
        rooms = {room_type(m["item"]) for m in entry["homeassess"]}
        stray = [g for g in entry.get("given", {}) if room_type(g) not in rooms]
        if stray:
            problems.append(f"{entry['instrument']} {entry['number']}: given {stray} matches no mapped room")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("pair", mappings(), ids=_id)
def test_each_mapped_hazard_fires_for_a_generic_adult(ctx: AppContext, pair: tuple[dict, dict]) -> None:
    entry, m = pair
    item_id, kind = m["item"], room_type(m["item"])
    v = visit(ctx)
    view, _ = A.add_room(ctx, v, kind)
    for given_id, value in entry.get("given", {}).items():
        if room_type(given_id) == kind and given_id != item_id:
            answer(ctx, view.id, given_id, value)
    answer(ctx, view.id, item_id, m["answer"])
    findings = [f for f in R.list_findings(ctx, v) if f.item_id == item_id]
    assert findings, f"{entry['instrument']} {entry['number']}: {item_id}={m['answer']!r} makes no finding"
    linked = [r for r in R.list_recommendations(ctx, v) if set(r.finding_ids) & {f.id for f in findings}]
    assert linked, f"{entry['instrument']} {entry['number']}: the finding on {item_id} has no recommendation"
