"""Issue 13: a family report a clinic hands out unedited, and a clinical report that stands up.

Every check reads the PDF text (pypdf), the way the family, the clinician and the next reader see it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from homeassess.domain.priority import MODIFIER_CLAUSES
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services import settings as S
from homeassess.services.context import AppContext
from homeassess.services.reports import build_report_model, generate_report, proposed_count
from homeassess.services.visit_record import mark_not_assessed

textstat = pytest.importorskip("textstat", reason="textstat (test extra) measures the reading grade")


def pages_of(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def body_text(pages: list[str]) -> str:
    """What the reader reads: without the band (2 lines) and the footer (3 lines) on every page."""
    return "\n".join("\n".join(p.splitlines()[2:-3]) for p in pages)


def agree_all(ctx: AppContext, assessment_id: str) -> None:
    for rec in R.list_recommendations(ctx, assessment_id):
        if rec.status == "proposed":
            R.set_status(ctx, rec.id, "agreed", decided_by="client")


@pytest.fixture
def all_agreed(demo_ctx: tuple[AppContext, str]) -> tuple[AppContext, str]:
    ctx, assessment_id = demo_ctx
    agree_all(ctx, assessment_id)
    return ctx, assessment_id


def test_demo_family_report_with_everything_agreed_fits_six_pages(all_agreed, tmp_path: Path) -> None:
    ctx, assessment_id = all_agreed
    pages = pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "family.pdf"))
    assert len(pages) <= 6, f"{len(pages)} pages"
    first = flat(pages[0])
    # Page 1 is something to act on: goals, the top actions, today's jobs and who to contact.
    for heading in ("Your goals", "What to do first", "What you can do today", "Questions? Contact us"):
        assert heading in first
    assert "“Get to the toilet at night without falling”" in first
    top = re.findall(r"see number (\d+)\.", first)
    assert top[:5] == ["1", "2", "3", "4", "5"]


def test_family_report_reads_at_school_grade_seven_or_below(all_agreed, tmp_path: Path) -> None:
    ctx, assessment_id = all_agreed
    text = body_text(pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "family.pdf")))
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= 7.0, f"Flesch–Kincaid grade {grade}"


def test_each_change_and_its_reason_appear_once_and_shared_factors_once(all_agreed, tmp_path: Path) -> None:
    ctx, assessment_id = all_agreed
    model = build_report_model(ctx, assessment_id, "family")
    text = flat("\n".join(pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "family.pdf"))))
    listing = text.split("All the changes, in order", 1)[1]   # page 1 names the top five; the list explains
    lines = [r for g in model.priorities for r in g.recommendations]
    assert any(r.family_reason.startswith("The same as for number") for r in lines), "two answers, one problem"
    for rec in lines:
        if not rec.family_reason.startswith("The same as"):
            assert text.count(flat(rec.family_reason)) == 1, rec.family_reason
        assert listing.count(f"{rec.number}. {rec.title}") == 1, rec.title
    assert model.factors, "the demo client has falls and lives alone: said once in the introduction"
    for factor in model.factors:
        assert text.lower().count(factor.lower()) == 1, factor
    for clause in MODIFIER_CLAUSES.values():
        assert text.lower().count(clause.lower()) <= 1, clause


def test_summary_counts_name_what_they_count_and_match_the_list(all_agreed, tmp_path: Path) -> None:
    ctx, assessment_id = all_agreed
    model = build_report_model(ctx, assessment_id, "family")
    text = flat("\n".join(pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "family.pdf"))))
    listed = [r for g in model.priorities for r in g.recommendations]
    listing = text.split("All the changes, in order", 1)[1]
    positions = [listing.find(f"{r.number}. {r.title}") for r in listed]
    assert [r.number for r in listed] == list(range(1, len(listed) + 1))
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    said = re.search(r"We agreed with you (\d+) changes: (\d+) urgent, (\d+) high priority", text)
    assert said and int(said.group(1)) == len(listed)
    assert int(said.group(2)) == sum(1 for r in listed if r.tier.value == 1)
    assert int(said.group(3)) == sum(1 for r in listed if r.tier.value == 2)
    urgent = sum(1 for r in listed if r.tier.value == 1)
    assert f"Start with the {urgent} urgent change" in text


def test_only_agreed_changes_unless_the_therapist_includes_the_proposed_ones(demo_ctx, tmp_path: Path) -> None:
    ctx, assessment_id = demo_ctx
    waiting = [r for r in R.list_recommendations(ctx, assessment_id) if r.status == "proposed"]
    assert waiting and proposed_count(ctx, assessment_id) == len(waiting)
    final = flat("\n".join(pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "f.pdf"))))
    assert all(f". {r.title}" not in final for r in waiting)
    assert "draft" not in final.lower() and "to discuss" not in final
    draft = flat("\n".join(pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "d.pdf",
                                                    include_proposed=True))))
    assert "draft to discuss" in draft and all(r.title in draft for r in waiting)
    assert draft.count("(to discuss)") == len(waiting)


def test_internal_notes_never_reach_the_family(any_demo_ctx: tuple[AppContext, str], tmp_path: Path) -> None:
    """On the SQLite file and on a PostgreSQL team server (whose photos come from the server into the cache)."""
    ctx, assessment_id = any_demo_ctx
    recs = R.list_recommendations(ctx, assessment_id)
    lamp = next(r for r in recs if r.status == "agreed" and r.tier.value == 2)
    R.change_tier(ctx, lamp.id, 3, "lamp is a quick cheap fix but not urgent")
    other = next(r for r in recs if r.status == "proposed")
    R.set_status(ctx, other.id, "declined", decided_by="therapist", why="clinically not indicated at present")
    visit = A.get_assessment(ctx, assessment_id)
    room = A.list_rooms(ctx, assessment_id)[0]
    A.set_note(ctx, room.id, ctx.registry.latest(room.room_type).items[0].id, "daughter worried about the stairs")
    C.update_client(ctx, visit.client_id, notes="Carer's own health is poor; fell twice before the referral.")
    family = flat("\n".join(pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "f.pdf",
                                                     include_proposed=True))))
    for internal in ("lamp is a quick cheap fix", "clinically not indicated", "daughter worried",
                     "Carer's own health", "Priority set"):
        assert internal not in family
    assert lamp.title in family   # still listed, with its own reason
    clinical = flat("\n".join(pages_of(generate_report(ctx, assessment_id, "clinical", tmp_path / "c.pdf"))))
    assert "Priority set to P3 by the therapist: lamp is a quick cheap fix but not urgent" in clinical
    assert ("decision by the therapist (clinical decision): clinically not indicated at present" in clinical)
    assert "Carer's own health is poor" in clinical and "daughter worried about the stairs" in clinical


def test_family_contact_details_come_from_settings_on_the_command_line(tmp_path: Path) -> None:
    from tests.e2e.test_cli_reports import cli

    data = tmp_path / "data"
    assessment_id = cli(data, "demo").stdout.strip().splitlines()[-1]
    for key, value in (("therapist.name", "Priya Shah"), ("therapist.phone", "020 7946 0999"),
                       ("therapist.email", "priya.shah@example.org"), ("organisation.name", "Riverside OT")):
        assert cli(data, "settings", "set", key, value).returncode == 0
    # The demo visit names its own therapist and phone; a new visit takes them from Settings.
    client_id = cli(data, "clients").stdout.split("\t")[0]
    from homeassess.services.context import open_context

    ctx = open_context(data)
    visit, _ = A.create_assessment(ctx, client_id)
    out = tmp_path / "family.pdf"
    assert cli(data, "report", visit.id, "--kind", "family", "--out", str(out)).returncode == 0
    first = flat(pages_of(out)[0])
    for value in ("Priya Shah", "020 7946 0999", "priya.shah@example.org", "Riverside OT"):
        assert value in first
    demo_first = flat(pages_of(generate_report(ctx, assessment_id, "family", tmp_path / "demo.pdf"))[0])
    assert "01865 555 0190" in demo_first and "sam.patel@octt.example.nhs.uk" in demo_first


def test_clinical_report_is_a_record_that_stands_up(demo_ctx, tmp_path: Path) -> None:
    ctx, assessment_id = demo_ctx
    room, _ = A.add_room(ctx, assessment_id, "garage", "Garage")
    mark_not_assessed(ctx, room.id, reason="locked, no key at the visit")
    text = flat("\n".join(pages_of(generate_report(ctx, assessment_id, "clinical", tmp_path / "c.pdf"))))
    assert "you have" not in text.lower() and "Urgent because" not in text
    assert re.search(r"\d+ falls? in 12 months", text)
    assert "posterior THR precautions" in text
    assert "Not assessed: locked, no key at the visit." in text and "No findings." not in text
    assert "Checklists used:" in text and re.search(r"checklist v\d", text)
    assert "Consent to the assessment" in text
    assert "decision by the client: Zoë would rather wait and see how she manages" in text


def test_stroke_without_pain_is_not_told_about_painful_hands(ctx: AppContext) -> None:
    from homeassess.domain.client import ClientProfile, Condition, hands_phrase_of

    assert hands_phrase_of(ClientProfile(conditions=frozenset({Condition.STROKE}))) == "weak hands"
    assert hands_phrase_of(ClientProfile(conditions=frozenset({Condition.ARTHRITIS}))) == "painful hands"
    client, _ = C.create_client(ctx, given_name="Ray", family_name="Okafor", conditions=["stroke"],
                                weak_side="left")
    visit, _ = A.create_assessment(ctx, client.id)
    A.add_room(ctx, visit.id, "kitchen", "Kitchen")
    reasons = " ".join(r.reason + " " + r.title for r in R.list_recommendations(ctx, visit.id))
    assert "painful" not in reasons
