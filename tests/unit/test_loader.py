"""The loader accepts the shipped data and reports every problem in broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from homeassess.checklists.__main__ import main as validate_main
from homeassess.checklists.loader import load_files, parse_checklist
from homeassess.checklists.registry import Registry, shipped_paths
from homeassess.domain.checklist import ItemKind
from homeassess.domain.errors import ChecklistDefinitionError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "checklists"
GOOD_LIBRARY = FIXTURES / "good" / "demo.v1.toml"

EXPECTED_BROKEN = [
    "broken_room.v2.toml: colour: unknown key",
    "broken_room.v2.toml: id: 'broken' does not match the file name ('broken_room')",
    "broken_room.v2.toml: version: 1 does not match the file name (v2)",
    "broken_room.v2.toml: items[0] (broken_room.a).checks[0].when: 'maybe' is not an answer of broken_room.a",
    "broken_room.v2.toml: items[0] (broken_room.a).checks[0].hazard: 'explosion' is not valid: one of fall,",
    "broken_room.v2.toml: items[0] (broken_room.a).checks[0].likelihood: must be a whole number 1..5, got 7",
    "broken_room.v2.toml: items[1] (broken_room.a).checks[0].source: a numeric limit must cite its source",
    "broken_room.v2.toml: items[1] (broken_room.a).checks[0].below: needs exactly the keys AU, UK, US, got UK, US",
    "broken_room.v2.toml: items[1] (broken_room.a).checks[0].client_any: 'astronaut' is not a client tag",
    "broken_room.v2.toml: items[1] (broken_room.a).checks[0].hazard: is required: one of fall,",
    "broken_room.v2.toml: items[2] (broken_room.b).options: a choice item needs at least two options",
    "broken_room.v2.toml: broken_room.a: item id is used twice",
    "broken_room.v2.toml: broken_room.b.show_if: item 'broken_room.zzz' is not in this checklist",
    "broken_room.v2.toml: broken_room.a.checks[0].recommendations: 'rec.nowhere.x' is not in the recommendation library",
    "unparseable.v1.toml: file: not valid TOML",
]


def test_every_problem_in_broken_files_is_reported_with_file_and_item() -> None:
    with pytest.raises(ChecklistDefinitionError) as info:
        load_files(sorted((FIXTURES / "bad").glob("*.toml")), [GOOD_LIBRARY])
    problems = info.value.problems
    for expected in EXPECTED_BROKEN:
        assert any(p.startswith(expected) for p in problems), f"missing: {expected}\n" + "\n".join(problems)
    assert len(problems) == len(EXPECTED_BROKEN)


def test_good_fixture_loads_into_immutable_objects() -> None:
    checklist, problems = parse_checklist(FIXTURES / "good" / "demo_room.v1.toml")
    assert problems == [] and checklist is not None
    assert [i.kind for i in checklist.items][:2] == [ItemKind.MEASURE, ItemKind.YES_NO]
    with pytest.raises(AttributeError):
        checklist.title = "changed"  # type: ignore[misc]


def test_validator_command_reports_problems_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_main(["validate", str(FIXTURES / "bad" / "broken_room.v2.toml"), str(GOOD_LIBRARY)]) == 1
    out = capsys.readouterr().out
    assert "'astronaut' is not a client tag" in out and "problem(s)" in out
    assert validate_main(["validate"]) == 0
    assert validate_main([]) == 2


def test_shipped_data_is_valid_and_large_enough(registry: Registry) -> None:
    room_types = registry.room_types()
    assert len(room_types) >= 14
    assert sum(len(c.items) for c in room_types) >= 250
    assert len(registry.recommendations()) >= 80
    categories = {r.category.value for r in registry.recommendations()}
    assert categories == {"modification", "equipment", "education", "referral"}


def test_every_shipped_numeric_threshold_cites_the_reference_or_a_listed_public_source(registry: Registry) -> None:
    from homeassess.checklists.loader import public_citations

    for checklist in registry.room_types():
        for item in checklist.items:
            for check in item.checks:
                if check.below or check.above or check.outside:
                    assert check.source.startswith(("REFERENCE §", *public_citations())), \
                        f"{item.id} has an uncited threshold"


def test_a_public_source_must_be_listed_before_a_check_can_cite_it(tmp_path: Path) -> None:
    from homeassess.checklists.loader import parse_checklist

    path = tmp_path / "pool.v1.toml"
    path.write_text('''schema = 1
id = "pool"
version = 1
title = "Pool"

[[items]]
id = "pool.fence_height"
section = "Pool"
prompt = "Height of the pool fence"
kind = "measure"
quantity = "length"
checks = [
  { below = 1200, source = "AS 1926.1-2012 (barrier height)", hazard = "drowning", likelihood = 2, consequence = 5, title = "Low pool fence", reason = "a child can climb a low fence", recommendations = ["rec.pool.fence"] },
  { below = 1100, source = "Some blog (fences)", hazard = "drowning", likelihood = 2, consequence = 5, title = "Low pool fence", reason = "a child can climb a low fence", recommendations = ["rec.pool.fence"] },
]
''', encoding="utf-8")
    _checklist, problems = parse_checklist(path)
    assert len(problems) == 1 and "checks[1].source" in problems[0] and "sources.toml" in problems[0]


def test_every_shipped_item_kind_is_used(registry: Registry) -> None:
    kinds = {i.kind for c in registry.room_types() for i in c.items}
    assert kinds == set(ItemKind)


def test_every_shipped_recommendation_is_reachable(registry: Registry) -> None:
    # Any installed version counts: a visit pinned to an older checklist still suggests its recommendations.
    referenced = {r for c in registry.data.checklists.values() for i in c.items for ch in i.checks
                  for r in ch.recommendations}
    # A check listing one option of a choice (or the choice itself) offers every option of it.
    for choice_id in {registry.choice_of(r) or r for r in referenced if registry.is_choice(registry.choice_of(r) or r)}:
        referenced |= {o.recommendation for o in registry.choice(choice_id).options}
    for rec in registry.recommendations():
        assert rec.id in referenced or rec.for_conditions, f"{rec.id} is never suggested"


def test_shipped_file_names_carry_versions() -> None:
    checklists, libraries = shipped_paths()
    assert all(".v" in p.name for p in checklists + libraries)


def test_a_recommendation_can_rule_out_clients_by_tag_and_unknown_tags_are_refused(tmp_path: Path) -> None:
    from homeassess.checklists.loader import parse_library_with_choices

    path = tmp_path / "stairs.v1.toml"
    path.write_text('''schema = 1
id = "stairs"
version = 1

[[recommendations]]
id = "rec.stairs.lift"
category = "equipment"
title = "Assess for a stairlift"
family_text = "A seat that carries you up and down."
clinical_text = "Stairlift."
who = "supplier"
cost = "high"
effort = "weeks"
client_none = ["sitting_support", "hoist"]

[[recommendations]]
id = "rec.stairs.other"
category = "equipment"
title = "Something else"
family_text = "Text."
clinical_text = "Text."
who = "supplier"
cost = "low"
effort = "days"
client_none = ["tall_people"]
''', encoding="utf-8")
    recs, _choices, problems = parse_library_with_choices(path)
    assert recs[0].client_none == frozenset({"sitting_support", "hoist"})
    assert len(problems) == 1 and "tall_people" in problems[0]


def test_the_answer_placeholder_needs_a_number_to_show(tmp_path: Path) -> None:
    from homeassess.checklists.loader import parse_checklist

    path = tmp_path / "work_task.v1.toml"
    path.write_text('''schema = 1
id = "work_task"
version = 1
title = "Task"

[[items]]
id = "work_task.lifts"
section = "Task"
prompt = "Lifts a shift"
kind = "count"
checks = [{ above = 200, source = "HSE L23 (frequency)", hazard = "ergonomic", likelihood = 3, consequence = 3, title = "Many lifts", reason = "lifting about {answer} times a shift adds up", recommendations = ["rec.a.b"] }]

[[items]]
id = "work_task.grip"
section = "Task"
prompt = "Good grip"
kind = "yes_no"
checks = [{ when = ["no"], hazard = "ergonomic", likelihood = 2, consequence = 2, title = "Poor grip", reason = "{answer} is not a number", recommendations = ["rec.a.b"] }]
''', encoding="utf-8")
    checklist, problems = parse_checklist(path)
    assert checklist is not None and len(problems) == 1 and "work_task.grip" in problems[0]


def test_childrens_wording_is_checked_for_who_it_speaks_to(tmp_path: Path) -> None:
    from homeassess.checklists.loader import parse_child_wording

    path = tmp_path / "child.toml"
    path.write_text('''adult_only = ["rec.general.hip_kit"]

[[texts]]
adult = "you have fallen before"
child = "your child has fallen before"

[[texts]]
adult = "you cannot reach the taps"
child = "you cannot reach the taps"

[[texts]]
adult = "you have fallen before"
child = "your child has fallen before"

[[texts]]
adult = "no child text"
''', encoding="utf-8")
    texts, adult_only, problems = parse_child_wording(path)
    assert texts == {"you have fallen before": "your child has fallen before"}
    assert adult_only == frozenset({"rec.general.hip_kit"})
    assert [p.split(": ")[1] for p in problems] == ["texts[1].child", "texts[2]", "texts[3]"]


def test_a_workplace_visit_is_offered_the_workplace_checklists_first(registry: Registry) -> None:
    work = [c.id for c in registry.room_types_for("workplace")]
    home = [c.id for c in registry.room_types_for("home")]
    assert work[:3] == ["workstation", "workplace_access", "work_task"] and sorted(work) == sorted(home)
    assert home[0] == "entrance" and home[-3:] == ["workstation", "workplace_access", "work_task"]


def test_a_reason_may_quote_another_answer_only_in_an_optional_part(tmp_path: Path) -> None:
    from homeassess.checklists.loader import parse_checklist
    from homeassess.domain.findings import Answer, Context, derive_findings
    from homeassess.domain.profiles import StandardProfile

    path = tmp_path / "stairs.v1.toml"
    path.write_text('''schema = 1
id = "stairs"
version = 1
title = "Stairs"

[[items]]
id = "stairs.count"
section = "Use"
prompt = "Steps"
kind = "count"

[[items]]
id = "stairs.carried"
section = "Use"
prompt = "Carried weight"
kind = "measure"
quantity = "weight"
checks = [{ above = 13, source = "HSE L23 (chest height)", hazard = "transfer", likelihood = 3, consequence = 3, title = "Carried", reason = "carrying {answer}[ up {item:stairs.count} steps] strains backs", recommendations = ["rec.a.b"] }]

[[items]]
id = "stairs.bad"
section = "Use"
prompt = "Bad"
kind = "measure"
quantity = "weight"
checks = [{ above = 13, source = "HSE L23 (chest height)", hazard = "transfer", likelihood = 3, consequence = 3, title = "Bad", reason = "up {item:stairs.count} steps and {item:stairs.nothing}", recommendations = ["rec.a.b"] }]
''', encoding="utf-8")
    checklist, problems = parse_checklist(path)
    assert len(problems) == 3 and all("stairs.bad" in p for p in problems)
    ctx = Context(tags=frozenset(), measures={}, standard=StandardProfile.UK)
    carried = {"stairs.carried": Answer("stairs.carried", number=16)}
    (alone,) = [f for f in derive_findings(checklist, carried, ctx) if f.item_id == "stairs.carried"]
    assert alone.reason_clause == "carrying 16 kg (35 lb) strains backs"
    both = {**carried, "stairs.count": Answer("stairs.count", number=15)}
    (quoted,) = [f for f in derive_findings(checklist, both, ctx) if f.item_id == "stairs.carried"]
    assert quoted.reason_clause == "carrying 16 kg (35 lb) up 15 steps strains backs"
