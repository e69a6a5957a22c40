"""Scenario files (docs/scenarios.md): parsing, every problem reported with its file and line, and running one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from homeassess.checklists.registry import Registry
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.services.assessments import list_rooms, room_answers
from homeassess.services.clients import get_client
from homeassess.services.context import AppContext
from homeassess.services.scenario import KeyLines, ScenarioError, load_scenario, run_scenario

DATA = Path(__file__).parents[1] / "scenarios" / "data"

GOOD = '''\
title = "A small visit"

[visit]
kind = "home"
standard = "US"
units = "imperial"
date = 2026-03-02

[client]
given_name = "Ada"
family_name = "Test"
age = 80
conditions = ["stroke"]
mobility_aid = "walking_frame"
aid_width = "22 in"
aid_length = 19                 # a bare number is in the visit's units (inches)
knee_height = "18 in"
weight = "176 lb"
falls_last_12_months = 2
cognition = "mild_impairment"
hearing = "impaired"
lives_alone = true
goals = ["Shower without help"]

[[client.contacts]]
name = "Bea"
relationship = "daughter"

[[rooms]]
type = "toilet"
name = "Downstairs WC"
[rooms.answers]
"toilet.seat_height" = "16 in"
"toilet.transfer" = "with_difficulty"
"toilet.night_visits" = 2
"toilet.lighting" = "na"
"toilet.notes" = "Pulls on the basin"

[[rooms]]
type = "bathroom"
answers."bathroom.setup" = "shower_tray"
answers."bathroom.water_temp" = "125 °F"
answers."bathroom.shower_step" = "2 in"
'''


def write(tmp_path: Path, text: str, name: str = "case.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problem(tmp_path: Path, registry: Registry, text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text), registry)
    return caught.value


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.toml")), ids=lambda p: p.stem)
def test_every_scenario_file_loads(path: Path, registry: Registry) -> None:
    scenario = load_scenario(path, registry)
    assert scenario.rooms and scenario.title


def test_a_good_file_is_read_into_service_values(tmp_path: Path, registry: Registry) -> None:
    s = load_scenario(write(tmp_path, GOOD), registry)
    assert (s.kind, s.standard, s.units, s.visit_date) == ("home", StandardProfile.US, DisplayUnits.IMPERIAL,
                                                           date(2026, 3, 2))
    assert s.client["knee_height_mm"] == pytest.approx(457.2)
    assert s.client["aid_length_mm"] == pytest.approx(482.6)
    assert s.client["weight_kg"] == pytest.approx(79.83, abs=0.01)
    assert s.client["contacts"] == [{"name": "Bea", "phone": "", "relationship": "daughter"}]
    assert s.client_fields(date(2026, 3, 2))["date_of_birth"] == date(1946, 3, 2)
    assert s.goals == ("Shower without help",)
    wc, bathroom = s.rooms
    assert (wc.name, bathroom.name) == ("Downstairs WC", "Bathroom (bath / shower)")
    answers = {a.item_id: (a.value, a.number) for a in wc.answers}
    assert answers["toilet.seat_height"] == (None, pytest.approx(406.4))
    assert answers["toilet.night_visits"] == (None, 2.0)
    assert answers["toilet.lighting"] == ("na", None)
    assert answers["toilet.notes"] == ("Pulls on the basin", None)
    temp = next(a for a in bathroom.answers if a.item_id == "bathroom.water_temp")
    assert temp.number == pytest.approx(51.67, abs=0.01)
    assert temp.line == line_of(GOOD, "water_temp")


def test_age_gives_that_age_on_the_visit_date(tmp_path: Path, registry: Registry) -> None:
    s = load_scenario(write(tmp_path, GOOD), registry)
    for visit in (date(2026, 3, 10), date(2028, 2, 29), date(2026, 12, 31)):
        dob = s.client_fields(visit)["date_of_birth"]
        assert visit.year - dob.year - ((visit.month, visit.day) < (dob.month, dob.day)) == 80


@pytest.mark.parametrize(("old", "new", "needle", "words"), [
    ('"toilet.lighting" = "na"', '"toilet.lights" = "yes"', "toilet.lights", "unknown item 'toilet.lights'"),
    ('"toilet.lighting" = "na"', '"bathroom.water_temp" = "40 °C"', "bathroom.water_temp\" = \"40",
     "item of room type 'bathroom', not 'toilet'"),
    ('"toilet.transfer" = "with_difficulty"', '"toilet.transfer" = "sometimes"', "sometimes",
     "'sometimes' is not one of its choices"),
    ('"toilet.lighting" = "na"', '"toilet.lighting" = true', "toilet.lighting", '"yes", "no" or "na"'),
    ('"bathroom.water_temp" = "125 °F"', '"bathroom.water_temp" = "58 mm"', "58 mm", "unknown unit 'mm'"),
    ('"toilet.seat_height" = "16 in"', '"toilet.seat_height" = "16 lux"', "16 lux", "unknown unit 'lux'"),
    ('"toilet.night_visits" = 2', '"toilet.night_visits" = "2"', "night_visits", "is a count"),
    ('mobility_aid = "walking_frame"', 'mobility_aid = "wheelie"', "wheelie", "'wheelie' is not one of"),
    ('conditions = ["stroke"]', 'conditions = ["stroke", "gout"]', "gout", "'gout' not known"),
    ('hearing = "impaired"', 'hearing_aid = true', "hearing_aid", "unknown key 'hearing_aid' in [client]"),
    ('kind = "home"', 'kind = "office"', "office", "kind 'office' is not one of home, workplace"),
    ('units = "imperial"', 'units = "imperial"\nunit = "x"', 'unit = "x"', "unknown key 'unit' in [visit]"),
    ('type = "toilet"', 'type = "toilets"', "toilets", "unknown room type 'toilets' (did you mean 'toilet'?)"),
    ('weight = "176 lb"', 'weight = "900 lb"', "900 lb", "weight: Weight must be between 10 and 400 kg"),
    ('age = 80', 'age = 80\ndate_of_birth = 1946-01-01', "date_of_birth", "either age or date_of_birth"),
    ('answers."bathroom.shower_step" = "2 in"', 'answers."bathroom.rim_height" = "20 in"', "rim_height",
     "only asked when bathroom.setup is bath_only or shower_over_bath"),
])
def test_each_problem_names_the_file_and_the_line_of_its_key(tmp_path: Path, registry: Registry, old: str,
                                                             new: str, needle: str, words: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new)
    error = problem(tmp_path, registry, text)
    assert error.line == line_of(text, needle), str(error)
    assert str(error).startswith(f"{tmp_path / 'case.toml'}:{error.line}: ")
    assert words in str(error)
    assert "\n" not in str(error)


def test_toml_syntax_errors_keep_their_line(tmp_path: Path, registry: Registry) -> None:
    text = GOOD.replace('knee_height = "18 in"', 'knee_height = 18 in')
    error = problem(tmp_path, registry, text)
    assert error.line == line_of(text, "knee_height = 18 in")
    assert "not valid TOML" in str(error)
    unfinished = problem(tmp_path, registry, "[client]\ngoals = [\"a\",\n")
    assert unfinished.line == 2 and "end of the file" in str(unfinished)


def test_every_problem_is_listed_and_the_first_is_shown_with_a_count(tmp_path: Path, registry: Registry) -> None:
    text = GOOD.replace('"toilet.transfer" = "with_difficulty"', '"toilet.transfer" = "sometimes"') \
               .replace('kind = "home"', 'kind = "office"')
    error = problem(tmp_path, registry, text)
    assert [p.line for p in error.problems] == [line_of(text, "office"), line_of(text, "sometimes")]
    assert str(error).endswith("(and 1 more)")


def test_a_file_that_cannot_be_read_is_one_error(tmp_path: Path, registry: Registry) -> None:
    with pytest.raises(ScenarioError, match=r"missing\.toml: cannot be read"):
        load_scenario(tmp_path / "missing.toml", registry)


def test_key_lines_skip_strings_arrays_and_follow_arrays_of_tables() -> None:
    text = '\n'.join([
        'title = "x = 1"',                  # 1
        'note = """',                       # 2
        'fake = "inside a string"',         # 3
        '"""',                              # 4
        '[client]',                         # 5
        'goals = [',                        # 6
        '  "a = b",',                       # 7
        ']',                                # 8
        '[[rooms]]',                        # 9
        'type = "hallway"',                 # 10
        '[[rooms]]',                        # 11
        "type = 'toilet'  # comment = no",  # 12
        '[rooms.answers]',                  # 13
        '"toilet.seat_height" = "400 mm"',  # 14
        '[[rooms]]',                        # 15
        'answers . "toilet.flush" = "yes"', # 16
    ])
    lines = KeyLines(text)
    assert lines.of("title") == 1 and ("fake",) not in lines.lines and ("a",) not in lines.lines
    assert lines.of("client", "goals") == 6
    assert lines.of("rooms", 0, "type") == 10 and lines.of("rooms", 1, "type") == 12
    assert lines.of("rooms", 1, "answers", "toilet.seat_height") == 14
    assert lines.of("rooms", 1, "answers", "toilet.flush") == 13       # falls back to its table
    assert lines.of("rooms", 2, "answers", "toilet.flush") == 16


def test_running_a_scenario_creates_the_client_and_visit(ctx: AppContext, tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, GOOD), ctx.registry)
    result = run_scenario(ctx, scenario)
    client = get_client(ctx, result.client_id)
    assert client.display_name == "Ada Test" and [g.text for g in client.goals] == ["Shower without help"]
    assert client.profile.age_on(date(2026, 3, 2)) == 80 and client.profile.lives_alone
    rooms = list_rooms(ctx, result.assessment_id)
    assert [r.name for r in rooms] == ["Downstairs WC", "Bathroom (bath / shower)"]
    assert room_answers(ctx, rooms[0].id)["toilet.transfer"].value == "with_difficulty"
    assert result.recommendations and all(r.tier in ("P1", "P2", "P3", "P4") for r in result.recommendations)
    assert any(f.item_id == "bathroom.water_temp" for f in result.findings)
    data = result.to_json()
    assert set(data) == {"assessment_id", "client_id", "recommendations", "findings"}
    assert {"tier", "title", "reason", "room", "category", "options", "choice_reason", "sizing"} \
        <= set(data["recommendations"][0])
