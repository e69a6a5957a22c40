"""End to end through the command line: ``homeassess scenario FILE.toml [--json]`` and its errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
SCENARIOS = Path(__file__).parents[1] / "scenarios" / "data"
S01 = SCENARIOS / "s01_stroke_left_weakness.toml"


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    return subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=300)


def test_scenario_json_creates_the_visit_and_lists_its_recommendations(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cli(data, "scenario", str(S01), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert re.fullmatch(r"[0-9a-f-]{36}", out["assessment_id"]) and re.fullmatch(r"[0-9a-f-]{36}", out["client_id"])
    recs = out["recommendations"]
    keys = {"tier", "title", "reason", "room", "category", "options", "choice_reason", "sizing"}
    assert recs and keys <= set(recs[0])
    assert [r["tier"] for r in recs] == sorted(r["tier"] for r in recs), "most urgent first"
    assert any("mixing valve" in r["title"].lower() for r in recs)
    sized = [r for r in recs if r["sizing"]]
    assert sized and all(set(r["sizing"]) == {"what", "calculation"} for r in sized)
    assert any("460" in r["sizing"]["calculation"] for r in sized), "knee height in the toilet calculation"
    for option in (o for r in recs for o in r["options"]):
        assert {"title", "chosen", "suitable", "note"} <= set(option)
    assert out["findings"] and {"tier", "title", "reason", "room"} <= set(out["findings"][0])
    listed = cli(data, "assessments").stdout.splitlines()
    assert listed[0].split("\t")[0] == out["assessment_id"] and "Arthur S1" in listed[0]


def test_scenario_text_prints_tiers_reasons_and_the_assessment_id_last(tmp_path: Path) -> None:
    result = cli(tmp_path / "data", "scenario", str(S01))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"[0-9a-f-]{36}", lines[-1])
    assert re.match(r"P[1-4]\t", lines[0]) and lines[1].startswith("\treason: ")
    assert any(line.startswith("\tsizing (") and "460" in line for line in lines)


def error_case(tmp_path: Path, text: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return cli(tmp_path / "data", "scenario", str(path)), path


GOOD = S01.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "words"), [
    ('"toilet.support" = "none"', '"toilet.suport" = "none"', "unknown item 'toilet.suport'"),
    ('"bathroom.water_temp" = "58 °C"', '"bathroom.water_temp" = "58 mm"', "unknown unit 'mm'"),
    ('type = "whole_house"', 'type = "wholehouse"', "unknown room type 'wholehouse'"),
    ('knee_height = "460 mm"', 'knee_height = 460 mm', "not valid TOML"),
])
def test_a_bad_file_is_one_error_line_with_its_line_number_and_exit_1(tmp_path: Path, old: str, new: str,
                                                                      words: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new)
    result, path = error_case(tmp_path, text)
    assert result.returncode == 1
    assert result.stdout == ""
    stderr = result.stderr.strip().splitlines()
    assert len(stderr) == 1, result.stderr
    assert stderr[0].startswith(f"error: {path}:{line_of(text, new)}: "), stderr[0]
    assert words in stderr[0] and "Traceback" not in result.stderr


def test_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    result = cli(tmp_path / "data", "scenario", str(tmp_path / "nope.toml"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "nope.toml: cannot be read" in result.stderr


def test_wrong_usage_exits_2(tmp_path: Path) -> None:
    assert cli(tmp_path / "data", "scenario").returncode == 2
    assert cli(tmp_path / "data", "scenario", str(S01), "--jsn").returncode == 2
