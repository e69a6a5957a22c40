"""End to end through the command line: demo visit -> family and clinical PDFs, text checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.e2e


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    return subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=300)


def pdf_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("cli") / "data"
    result = cli(data, "demo")
    assert result.returncode == 0, result.stderr
    return data, result.stdout.strip().splitlines()[-1]


def test_demo_prints_its_assessment_id_last_and_lists_it(demo: tuple[Path, str]) -> None:
    data, assessment_id = demo
    assert re.fullmatch(r"[0-9a-f-]{36}", assessment_id)
    clients = cli(data, "clients").stdout
    assert "Zoë Ångström-Nuñez" in clients
    rows = cli(data, "assessments").stdout.strip().splitlines()
    assert rows[0].split("\t")[0] == assessment_id and rows[0].split("\t")[3] == "home"


def test_checklists_json_lists_every_room_type(demo: tuple[Path, str]) -> None:
    data, _ = demo
    rows = json.loads(cli(data, "checklists", "--json").stdout)
    assert len(rows) >= 14 and sum(r["items"] for r in rows) >= 250
    assert {"id", "title", "items"} == set(rows[0])
    from homeassess.checklists.registry import Registry

    shipped = {c.id: len(c.items) for c in Registry.load().room_types()}
    assert {r["id"]: r["items"] for r in rows} == shipped and "work_task" in shipped


def test_family_report_lists_tiered_recommendations_in_order(demo: tuple[Path, str], tmp_path: Path) -> None:
    data, assessment_id = demo
    out = tmp_path / "family.pdf"
    result = cli(data, "report", assessment_id[:8], "--kind", "family", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text, pages = pdf_text(out)
    flat = " ".join(text.split())
    assert "Zoë Ångström-Nuñez" in flat and "Home safety report" in flat
    # The demo leaves its low-priority suggestions to discuss: the report lists what was agreed.
    positions = [flat.find(h) for h in ("Urgent — please do these first", "High priority — in the next few weeks",
                                        "Medium priority — when you can")]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert "Low priority — for comfort" not in flat and "to discuss" not in flat
    assert "Why:" in flat and "What you can do today" in flat and "Your goals" in flat
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    assert "Client ZÅ" in flat and "Confidential" in flat


def test_clinical_report_shows_measured_values_against_the_standard(demo: tuple[Path, str], tmp_path: Path) -> None:
    data, assessment_id = demo
    out = tmp_path / "clinical.pdf"
    assert cli(data, "report", assessment_id, "--kind", "clinical", "--out", str(out)).returncode == 0
    text, pages = pdf_text(out)
    flat = " ".join(text.split())
    assert "Zoë Ångström-Nuñez" in flat and "Posterior hip precautions" in flat
    assert re.search(r"\d+ mm \(\d+(\.\d)? in\)", flat), "measured values with both units"
    assert "at least" in flat or "at most" in flat
    assert "REFERENCE §3" in flat and "L×C" in flat
    assert pages >= 3


def test_errors_are_one_line_with_exit_codes(demo: tuple[Path, str], tmp_path: Path) -> None:
    data, assessment_id = demo
    missing = cli(data, "report", "ffffffff", "--kind", "family", "--out", str(tmp_path / "x.pdf"))
    assert missing.returncode == 1 and missing.stderr.startswith("error: ") and len(missing.stderr.splitlines()) == 1
    bad_kind = cli(data, "report", assessment_id, "--kind", "poster", "--out", str(tmp_path / "x.pdf"))
    assert bad_kind.returncode == 2
    unwritable = cli(data, "report", assessment_id, "--kind", "family", "--out", "/proc/nope/x.pdf")
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr


def test_order_list_pdf_and_csv_from_the_demo(demo: tuple[Path, str], tmp_path: Path) -> None:
    import csv

    data, assessment_id = demo
    pdf = tmp_path / "orders.pdf"
    result = cli(data, "report", assessment_id[:8], "--kind", "orders", "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    text, pages = pdf_text(pdf)
    flat = " ".join(text.split())
    assert pages >= 2
    for expected in ("Equipment order HA-", "SAFETY ALERTS", "Small dog", "Prescriber", "Sam Patel", "OT61234",
                     "Zoë Ångström-Nuñez", "NHS number", "68 kg", "Supplier: Thames Valley Mobility Ltd",
                     "TVM-RTS-150A", "150 mm raise", "E0244", "Chosen over:", "Handyperson", "Order total",
                     "Community equipment service", "CES-24-118734", "Page 1 of"):
        assert expected in flat, expected

    out = tmp_path / "orders.csv"
    result = cli(data, "orders", assessment_id, "--csv", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Excel reads UTF-8 with a BOM
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) >= 10 and all(r["Order ID"].startswith("HA-") for r in rows)
    seat = next(r for r in rows if r["Supplier code"] == "TVM-RTS-150A")
    assert seat["Size / setting"] == "150 mm raise" and seat["Unit price"] == "38.95" and seat["Quantity"] == "1"
    assert seat["Client"] == "Zoë Ångström-Nuñez" and seat["Currency"] == "GBP"
    assert "Chosen over: Put a toilet frame around the toilet, Fit a grab rail beside the toilet" in seat["Notes"]
    rail = next(r for r in rows if r["For recommendation"].startswith("Fit a firm rail beside the entrance steps"))
    assert rail["Installation"] == "Yes" and rail["Trade"] == "Handyperson"
    assert {r["Supplier"] for r in rows} >= {"Thames Valley Mobility Ltd", "Homecraft Direct"}


def test_catalogue_cli_imports_a_price_list_and_names_bad_rows(demo: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = demo
    prices = tmp_path / "prices.csv"
    prices.write_text("Supplier,Code,Name,Price\nAcme,A-1,Shower stool,£25\nAcme,A-2,Bad row,abc\n", encoding="utf-8")
    result = cli(data, "catalogue", "import", str(prices))
    assert result.returncode == 1
    assert "1 added" in result.stdout and "error: prices.csv: line 3: price 'abc' is not a number" in result.stderr
    found = cli(data, "catalogue", "search", "shower", "stool")
    assert "A-1\tAcme\tShower stool\t£25" in found.stdout


def test_demo_follow_up_to_progress_report(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cli(data, "demo", "--follow-up")
    assert result.returncode == 0, result.stderr
    first_id, follow_up_id = result.stdout.strip().splitlines()[-2:]
    listed = cli(data, "assessments").stdout
    assert f"{follow_up_id}\t" in listed and "\tfollow_up\t" in listed and f"{first_id}\t" in listed
    pdf = tmp_path / "progress.pdf"
    result = cli(data, "report", follow_up_id, "--kind", "progress", "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    text, pages = pdf_text(pdf)
    flat = " ".join(text.split())
    assert pages >= 3
    # Goals (−1, −1, −1) at baseline and (+1, 0, −1) now with weights (2, 2, 1): T 36.54 → 52.69.
    assert "GAS T-score: 52.7" in flat and "36.5 at the first visit" in flat
    assert "GAS T-score now 52.69" in flat and "GAS T-score at the first visit 36.54" in flat
    assert "Before and after" in flat
    assert flat.count("Before (first visit)") == 2 and flat.count("After (review)") == 2
    assert "Toilet too low for your hip precautions (Toilet) — Resolved" in flat
    assert "Loose rug in the hallway (Hallway) — Resolved" in flat
    for expected in ("In use", "Not used", "Ordered", "Falls since the first visit 0", "34 (high concern)",
                     "24 (moderate concern)", "Still to happen, by who acts:", "Use a kitchen trolley",
                     "Goal Attainment Scaling (GAS): each goal is scored"):
        assert expected in flat, expected
    reader = PdfReader(pdf)
    images = [img for page in reader.pages for img in page.images]
    assert len(images) >= 4
    family = tmp_path / "progress-family.pdf"
    result = cli(data, "report", follow_up_id, "--kind", "progress-family", "--out", str(family))
    assert result.returncode == 0, result.stderr
    text, pages = pdf_text(family)
    flat = " ".join(text.split())
    assert pages == 1 and "Better than hoped" in flat and "Who to contact" in flat
    assert not any(word in flat for word in ("T-score", "ρ", "GAS", "Kiresuk"))
    wrong = cli(data, "report", first_id, "--kind", "progress", "--out", str(tmp_path / "x.pdf"))
    assert wrong.returncode == 1 and "not a follow-up visit" in wrong.stderr
