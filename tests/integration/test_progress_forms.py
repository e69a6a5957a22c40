"""Issue 13: the progress report in two forms — the full report for the referrer (GAS explained once, at most six
next steps that say what happens next) and a one-page summary in plain words for the family."""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from homeassess.checklists.registry import Registry
from homeassess.domain.errors import ValidationError
from homeassess.reports.model import Field
from homeassess.reports.progress_pdf import render_progress_pdf
from homeassess.services import costs
from homeassess.services.context import AppContext, Clock, open_context
from homeassess.services.followup import GoalReview
from homeassess.services.progress import build_progress_model, generate_progress_report, goal_word
from homeassess.services.settings import set_setting

NOW = datetime(2026, 3, 10, 10, 30)
JARGON = ("T-score", "ρ", "GAS", "Kiresuk")


@pytest.fixture(scope="module")
def follow_up_template(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> tuple[Path, str]:
    """The demo's review visit, built once for the module; each test gets its own copy."""
    from homeassess.services.demo_followup import create_follow_up_demo

    data = tmp_path_factory.mktemp("follow-up") / "data"
    ctx = open_context(data, registry=registry, clock=Clock(now=lambda: NOW))
    return data, create_follow_up_demo(ctx)[1]


@pytest.fixture
def review(follow_up_template: tuple[Path, str], tmp_path: Path, registry: Registry) -> tuple[AppContext, str]:
    source, follow_up_id = follow_up_template
    target = tmp_path / "data"
    target.mkdir()
    with sqlite3.connect(source / "homeassess.sqlite3") as src, sqlite3.connect(target / "homeassess.sqlite3") as dst:
        src.backup(dst)
    shutil.copytree(source / "photos", target / "photos")
    return open_context(target, registry=registry, clock=Clock(now=lambda: NOW)), follow_up_id


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_goal_words_come_from_the_levels() -> None:
    def goal(level: int | None, baseline: int = -1) -> GoalReview:
        return GoalReview("g", "Shower on my own", {}, 1, baseline, level, "")

    assert [goal_word(goal(x)) for x in (2, 1, 0, -1, -2, None)] == [
        "Better than hoped", "Better than hoped", "As hoped", "Not yet", "Not yet", "Not checked yet"]
    assert goal_word(goal(-1, baseline=-2)) == "Some progress"


def test_referrer_report_explains_gas_once_and_has_at_most_six_next_steps(review: tuple[AppContext, str],
                                                                          tmp_path: Path) -> None:
    ctx, follow_up = review
    model = build_progress_model(ctx, follow_up)
    assert model.audience == "referrer" and model.subtitle == "Full report for the referrer and the care team"
    assert 1 <= len(model.next_steps) <= 6
    steps = " ".join(model.next_steps)
    # What happens next, not a copy of the tables: who acts, the review date, when to re-refer.
    assert "Still to happen, by who acts:" in steps and "equipment supplier (" in steps
    assert "The therapist will chase the" in steps
    assert "Not used: Raise your armchair to the right height" in steps
    assert re.search(r"Next review around \w+ \d{4}, 12 months after the first visit", steps)
    assert "Re-refer sooner after a fall" in steps
    assert "Still a problem" not in steps and "see the table above" not in steps
    flat = " ".join(pdf_pages(generate_progress_report(ctx, follow_up, tmp_path / "referrer.pdf")))
    assert "GAS T-score: 52.7 now, 36.5 at the first visit." in flat
    assert "Goal Attainment Scaling (GAS): each goal is scored from −2" in flat
    assert flat.count("Kiresuk") == 1
    section = flat.split("Next steps", 1)[1]
    assert sum(1 for _ in re.finditer("•", section)) <= 6


def test_next_steps_stay_at_six_for_a_bigger_visit(review: tuple[AppContext, str]) -> None:
    """Every rule firing at once still gives one bullet per rule."""
    from homeassess.services import followup as F

    ctx, follow_up = review
    view = F.follow_up_view(ctx, follow_up)
    for f in view.findings:   # every problem unchanged: the "nothing under way" rule fires too
        F.set_finding_outcome(ctx, follow_up, f.finding.id, "unchanged")
    steps = build_progress_model(ctx, follow_up).next_steps
    assert len(steps) <= 6
    assert len(build_progress_model(ctx, follow_up).next_steps) == len(steps)


def test_family_summary_is_one_page_in_plain_words(review: tuple[AppContext, str], tmp_path: Path) -> None:
    ctx, follow_up = review
    out = generate_progress_report(ctx, follow_up, tmp_path / "family.pdf", audience="family")
    pages = pdf_pages(out)
    assert len(pages) == 1
    text = pages[0]
    for word in JARGON:
        assert word not in text, word
    for expected in ("Progress summary", "For Zoë and family", "In short", "Your goals", "Better than hoped",
                     "As hoped", "Not yet", "What has been done", "Still to come", "Who to contact",
                     "Sam Patel, Occupational Therapist", "01865 555 0190", "sam.patel@octt.example.nhs.uk",
                     "Oxford Community Therapy Team", "You have had no falls since the first visit.",
                     "You feel less worried about falling than before.", "Use a kitchen trolley to move drinks and "
                     "meals (on order)", "Please call us sooner if you have a fall", "Page 1 of 1"):
        assert expected in text, expected
    assert re.search(r"and \d+ more things… \(ask us for the full list\)", text)


def test_family_summary_reads_at_grade_seven_or_below(review: tuple[AppContext, str], tmp_path: Path) -> None:
    textstat = pytest.importorskip("textstat")
    ctx, follow_up = review
    page = PdfReader(generate_progress_report(ctx, follow_up, tmp_path / "f.pdf", audience="family")).pages[0]
    body = page.extract_text().split("In short", 1)[1].split("Who to contact")[0]
    # Each list item is a sentence of its own (bullets carry no full stop).
    items = [x.replace("\n", " ").strip() for x in re.split(r"\n(?=[A-Z“]|\s)", body) if x.strip()]
    text = " ".join(x.rstrip(".") + "." for x in items)
    assert textstat.flesch_kincaid_grade(text) <= 7


def test_family_contact_falls_back_to_settings(review: tuple[AppContext, str]) -> None:
    ctx, follow_up = review
    costs.set_order_header(ctx, follow_up, therapist_phone="", therapist_email="")
    set_setting(ctx, "organisation.phone", "01865 000 222")
    set_setting(ctx, "therapist.email", "ot-team@octt.example.nhs.uk")
    contact = {f.label: f.value for f in build_progress_model(ctx, follow_up, "family").contact}
    assert contact == {"Your therapist": "Sam Patel, Occupational Therapist", "Phone": "01865 000 222",
                       "Email": "ot-team@octt.example.nhs.uk", "Service": "Oxford Community Therapy Team"}


def test_family_summary_stays_one_page_for_a_bigger_visit(review: tuple[AppContext, str], tmp_path: Path) -> None:
    ctx, follow_up = review
    model = build_progress_model(ctx, follow_up, "family")
    long_goal = "I want to be able to get in and out of the house on my own and go to the shops every week"
    big = replace(model, goal_words=model.goal_words + tuple(Field(f"{long_goal} ({n})", "Some progress. Now: "
                                                                   "Walks to the corner shop with a stick")
                                                             for n in range(6)),
                  done=model.done * 4, to_come=model.to_come * 4, summary=model.summary * 2)
    render_progress_pdf(big, tmp_path / "big.pdf")
    pages = pdf_pages(tmp_path / "big.pdf")
    assert len(pages) == 1
    assert re.search(r"and \d+ more goals…", pages[0]) and re.search(r"and \d+ more things…", pages[0])
    assert "Who to contact" in pages[0] and "01865 555 0190" in pages[0]


def test_audience_is_checked_and_the_command_line_knows_the_family_form(review: tuple[AppContext, str],
                                                                      tmp_path: Path) -> None:
    from homeassess.cli import PROGRESS_AUDIENCES, REPORT_KINDS

    ctx, follow_up = review
    with pytest.raises(ValidationError):
        generate_progress_report(ctx, follow_up, tmp_path / "x.pdf", audience="neighbours")
    assert "progress-family" in REPORT_KINDS and PROGRESS_AUDIENCES == {"progress": "referrer",
                                                                       "progress-family": "family"}
