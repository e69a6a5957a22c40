"""Any text a user can type renders: hostile text in every field the client editor has, a goal, a room,
a note and a photo caption, then every PDF report builds (services and the command line) and reads back.
The services store awkward text within each field's limit; 10,000-character fields are written as a
database from before the input rules (issue 14) may hold them, and still print, shortened."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from homeassess.reports.text import SHORTENED
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import photos as P
from homeassess.services.context import AppContext, Clock, open_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HEBREW = "שלום עולם"                       # "hello world"
ARABIC = "مرحبا بالعالم"                    # "hello world"
MIXED = "Mrs דבורה כהן-לוי visits"          # an English sentence with a Hebrew name in it
EMOJI = "👍🏽 🚿 ♿"
MARKUP = "<b>&</b>"
CONTROLS = "bell\x07nul\x00esc\x1bdel\x7fc1\x85zw\u200bspace rlo\u202eevil\u202c bom\ufeff tab\tcr\r\nend"
LONG_WORD = "a" * 5000
HUGE = ("The quick brown fox jumps over the lazy dog near the back door step. " * 150)[:10_000]


def hostile(label: str) -> str:
    """One value per field: its label, every kind of awkward text, and a 10,000-character body."""
    return f"{label} {HEBREW} · {ARABIC} · {MIXED} · {EMOJI} · {MARKUP} · {CONTROLS} {LONG_WORD} {HUGE}"


def short(label: str) -> str:
    """For one-line fields: every kind of awkward text without the bulk."""
    return f"{label} {HEBREW} {ARABIC} {EMOJI} {MARKUP} \x00{CONTROLS[:12]}"


def as_before_the_rules(ctx: AppContext, model: str, **where: object) -> object:
    """Rows as a database from before the input rules (issue 14) may hold them: any length, any control
    character. The services refuse such values now; the reports must still print what is already stored."""
    from sqlalchemy import select

    from homeassess.db import models as m

    table = getattr(m, model)

    def write(**fields: object) -> None:
        with ctx.uow() as uow:
            for row in uow.session.scalars(select(table).filter_by(**where)):
                for name, value in fields.items():
                    setattr(row, name, value)
    return write


def make_hostile(ctx: AppContext, first_id: str) -> None:
    client_id = A.get_assessment(ctx, first_id).client_id
    # Through the services: every kind of awkward text, within each field's limit (text_rules.TEXT_LIMITS).
    C.update_client(ctx, client_id, given_name=short("Given"), family_name=short("Family"),
                    contacts=[{"name": short("Contact"), "relationship": "daughter", "phone": short("Phone")}],
                    equipment=[{"name": short("Hoist"), "swl_kg": 150}])
    goal, _ = C.add_goal(ctx, client_id, short("Goal"), short("Activity"))
    rooms = A.list_rooms(ctx, first_id)
    A.rename_room(ctx, rooms[0].id, short("Room"))
    item_id = next(iter(A.room_answers(ctx, rooms[0].id)))
    A.set_note(ctx, rooms[0].id, item_id, "Room note\n" + "one short line\n" * 150)
    photos = P.list_photos(ctx, first_id)
    for photo in photos:
        P.set_caption(ctx, photo.id, short("Caption"))
    # Stored before the rules: 10,000-character fields and raw control characters.
    as_before_the_rules(ctx, "Client", id=client_id)(
        family_name=hostile("Family"), preferred_name=hostile("Preferred"), address=hostile("Address"),
        phone=hostile("Phone"), identifiers={"NHS number": hostile("NHS")}, other_conditions=hostile("Other conditions"),
        precaution_notes=hostile("Precautions"), notes=hostile("Notes"),
        contacts=[{"name": hostile("Contact"), "relationship": hostile("Relationship"), "phone": short("Phone")}],
        equipment=[{"name": hostile("Hoist"), "swl_kg": 150}])
    as_before_the_rules(ctx, "Goal", id=goal.id)(text=hostile("Goal"))
    as_before_the_rules(ctx, "Answer", room_id=rooms[0].id, item_id=item_id)(
        note="Room note\n" + "one short line\n" * 2000 + hostile("and"))
    for photo in photos:
        as_before_the_rules(ctx, "Photo", id=photo.id)(caption=hostile("Caption"))


@pytest.fixture(scope="module")
def hostile_visit(tmp_path_factory: pytest.TempPathFactory, registry) -> tuple[Path, str, str]:  # noqa: ANN001
    from datetime import datetime

    from homeassess.services.demo_followup import create_follow_up_demo

    data = tmp_path_factory.mktemp("hostile") / "data"
    ctx = open_context(data, registry=registry, clock=Clock(now=lambda: datetime(2026, 3, 10, 10, 30)))
    first_id, follow_up_id = create_follow_up_demo(ctx)
    make_hostile(ctx, first_id)
    from homeassess.services import followup as F

    for review in F.follow_up_view(ctx, follow_up_id).findings[:3]:   # the progress report's narrow Note column
        F.set_finding_outcome(ctx, follow_up_id, review.finding.id, "improved", short("Outcome note"))
        as_before_the_rules(ctx, "FindingOutcome", assessment_id=follow_up_id, finding_id=review.finding.id)(
            note=hostile("Outcome note"))
    return data, first_id, follow_up_id


def context(data: Path, registry) -> AppContext:  # noqa: ANN001
    from datetime import datetime

    return open_context(data, registry=registry, clock=Clock(now=lambda: datetime(2026, 3, 10, 10, 30)))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def check_text(text: str) -> None:
    """pypdf reverses the right-to-left pieces it finds, so Hebrew comes back in logical order; Arabic comes
    back as the joined presentation forms drawn, which NFKC turns into the letters typed."""
    assert "\x00" not in text and "\u202e" not in text and "\ufeff" not in text
    assert MARKUP in text                              # printed as typed, not taken as bold
    assert SHORTENED in text                           # a 10,000-character field says it was shortened
    letters = unicodedata.normalize("NFKC", text)
    assert HEBREW in letters and "דבורה כהן-לוי" in letters
    assert ARABIC in letters
    assert "♿" in text                                 # a symbol DejaVu Sans has stays in it


@pytest.mark.parametrize("kind", ["family", "clinical"])
def test_family_and_clinical_reports_build(hostile_visit, registry, tmp_path: Path, kind: str) -> None:  # noqa: ANN001
    from homeassess.services.reports import generate_report

    data, first_id, _ = hostile_visit
    out = tmp_path / f"{kind}.pdf"
    generate_report(context(data, registry), first_id, kind, out)
    check_text(pdf_text(out))


def test_order_list_builds(hostile_visit, registry, tmp_path: Path) -> None:  # noqa: ANN001
    from homeassess.services.orders import generate_order_pdf

    data, first_id, _ = hostile_visit
    out = tmp_path / "orders.pdf"
    generate_order_pdf(context(data, registry), first_id, out)
    check_text(pdf_text(out))


@pytest.mark.parametrize("audience", ["referrer", "family"])
def test_progress_report_builds(hostile_visit, registry, tmp_path: Path, audience: str) -> None:  # noqa: ANN001
    from homeassess.services.progress import generate_progress_report

    data, _, follow_up_id = hostile_visit
    out = tmp_path / "progress.pdf"
    generate_progress_report(context(data, registry), follow_up_id, out, audience=audience)
    text = pdf_text(out)
    assert "\x00" not in text
    if audience == "family":   # the one-page summary shortens its lists rather than spilling over
        assert len(PdfReader(out).pages) == 1
    else:
        assert MARKUP in text


def test_command_line_report_exits_cleanly(hostile_visit, tmp_path: Path) -> None:  # noqa: ANN001
    data, first_id, _ = hostile_visit
    out = tmp_path / "cli-family.pdf"
    env = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    result = subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(data), "report", first_id[:8],
                             "--kind", "family", "--out", str(out)], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    check_text(pdf_text(out))
    assert re.search(r"Page 1 of \d+", pdf_text(out))
