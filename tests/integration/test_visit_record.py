"""Consent at the start of a visit, sign-off at the end, addenda after (issue 12), against a real database: the
tests taking ``any_fixture_ctx`` run on the SQLite file and on a PostgreSQL team server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from homeassess.db.engine import DB_FILE, make_engine
from homeassess.db.migrate import migrate, upgrade_to_head
from homeassess.domain.errors import ConflictError, ValidationError
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import photos as P
from homeassess.services import recommendations as R
from homeassess.services import visit_record as V
from homeassess.services.context import AppContext, open_context
from homeassess.services.orders import generate_order_pdf
from homeassess.services.reports import build_report_model, generate_report
from tests.e2e.test_cli_reports import cli, pdf_text
from tests.photo_helpers import make_jpeg

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32   # stands in for the pad's picture; the service stores bytes as given


def visit(ctx: AppContext) -> tuple[str, str]:
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    assessment, _ = A.create_assessment(ctx, client.id, standard="UK", therapist_name="Sam Patel",
                                        therapist_registration="OT61234")
    room, _ = A.add_room(ctx, assessment.id, "demo_room")
    return assessment.id, room.id


def signed_consent(**changes: object) -> V.ConsentInput:
    fields = dict(to_assessment=True, photos_record=True, share_with=(V.SharePerson("Ingrid Ångström", "daughter"),),
                  method=V.ConsentMethod.SIGNED, given_by="Zoë Ångström-Nuñez", given_by_relationship="client",
                  signature_png=PNG)
    return V.ConsentInput(**{**fields, **changes})  # type: ignore[arg-type]


def resolve_everything(ctx: AppContext, assessment_id: str) -> None:
    """Mark every room still holding unanswered items as not assessed."""
    for room, _items in V.outstanding_items(ctx, assessment_id):
        V.mark_not_assessed(ctx, room.id, reason="client tired")


def typed_sign_off() -> V.SignOffInput:
    return V.SignOffInput(name="Sam Patel", registration="OT61234", signed_on=date(2026, 3, 10),
                          method=V.SignOffMethod.TYPED)


# -- migration -------------------------------------------------------------------------------------
def test_upgrade_from_0005_keeps_visits_and_gives_them_neutral_values(tmp_path: Path) -> None:
    from homeassess.services.demo import create_demo

    ctx = open_context(tmp_path / "data")
    assessment_id = create_demo(ctx)
    rooms_before = [(r.id, r.answered) for r in A.list_rooms(ctx, assessment_id)]
    recs_before = {r.id: r.status for r in R.list_recommendations(ctx, assessment_id)}
    db = tmp_path / "data" / DB_FILE
    engine = make_engine(db)
    migrate(engine, "0005", down=True)   # foreign keys off, as the app migrates
    with engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert not {"visit_consent", "not_assessed", "addendum"} & tables
    upgrade_to_head(engine, db, tmp_path / "data" / "backups")
    again = open_context(tmp_path / "data")
    assert [(r.id, r.answered) for r in A.list_rooms(again, assessment_id)] == rooms_before
    assert {r.id: r.status for r in R.list_recommendations(again, assessment_id)} == recs_before
    assert V.current_consent(again, assessment_id) is None   # "not recorded"
    status = V.visit_status(again, assessment_id)
    assert status.status is V.VisitStatus.IN_PROGRESS and not status.consent_recorded
    assert V.list_not_assessed(again, assessment_id) == [] and V.list_addenda(again, assessment_id) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT DISTINCT status, signed_off_by, signed_off_method, signed_off_at "
                                 "FROM assessment")).all() == [("in_progress", "", "", None)]


# -- consent ---------------------------------------------------------------------------------------
def test_consent_changes_are_added_to_the_history_not_overwritten(any_fixture_ctx: AppContext) -> None:
    assessment_id, _ = visit(any_fixture_ctx)
    assert V.current_consent(any_fixture_ctx, assessment_id) is None
    first, _ = V.record_consent(any_fixture_ctx, assessment_id, signed_consent())
    assert first.seq == 1 and first.recorded_by == "Sam Patel" and first.has_signature
    assert V.consent_signature(any_fixture_ctx, assessment_id) == PNG
    changed = V.ConsentInput(to_assessment=True, photos_record=True, photos_teaching=True, share_with=(),
                             method=V.ConsentMethod.VERBAL, given_by="Zoë Ångström-Nuñez", witness="Sam Patel")
    V.record_consent(any_fixture_ctx, assessment_id, changed, by="Ana Ruiz")
    history = V.consent_history(any_fixture_ctx, assessment_id)
    assert [(c.seq, c.method, c.photos_teaching, c.recorded_by) for c in history] == [
        (1, V.ConsentMethod.SIGNED, False, "Sam Patel"), (2, V.ConsentMethod.VERBAL, True, "Ana Ruiz")]
    assert history[0].share_with == (V.SharePerson("Ingrid Ångström", "daughter"),)
    now = V.current_consent(any_fixture_ctx, assessment_id)
    assert now is not None and now.seq == 2 and not now.has_signature
    assert now.how == "Verbal consent from Zoë Ångström-Nuñez, witnessed by Sam Patel"


def test_consent_needs_a_signature_or_a_witness(any_fixture_ctx: AppContext) -> None:
    assessment_id, _ = visit(any_fixture_ctx)
    with pytest.raises(ValidationError) as unsigned:
        V.record_consent(any_fixture_ctx, assessment_id, signed_consent(signature_png=None, given_by=""))
    assert [e.field for e in unsigned.value.errors] == ["given_by", "signature"]
    with pytest.raises(ValidationError) as unwitnessed:
        V.record_consent(any_fixture_ctx, assessment_id, signed_consent(method=V.ConsentMethod.VERBAL))
    assert [e.field for e in unwitnessed.value.errors] == ["witness"]
    assert V.consent_history(any_fixture_ctx, assessment_id) == []


# -- photos need photo consent ---------------------------------------------------------------------
def test_photo_import_is_refused_without_photo_consent(any_fixture_ctx: AppContext, tmp_path: Path) -> None:
    assessment_id, room_id = visit(any_fixture_ctx)
    photo = make_jpeg(tmp_path / "step.jpg", (800, 600))
    with pytest.raises(ConflictError, match=r"Photo consent has not been recorded for the home visit of .* for "
                                            r"Zoë Ångström-Nuñez .*Record photo consent on the visit overview first"):
        P.add_photos(any_fixture_ctx, assessment_id, "Demo room", [photo])
    stored = any_fixture_ctx.photo_store.ingest(photo)
    with pytest.raises(ConflictError, match="Record photo consent on the visit overview first"):
        P.attach_photos(any_fixture_ctx, room_id, [stored])
    V.record_consent(any_fixture_ctx, assessment_id, signed_consent(photos_record=False))
    with pytest.raises(ConflictError, match="Photo consent was not given"):
        P.attach_photos(any_fixture_ctx, room_id, [stored])
    assert P.list_photos(any_fixture_ctx, assessment_id) == []
    V.record_consent(any_fixture_ctx, assessment_id, signed_consent())
    assert P.import_refusal(any_fixture_ctx, room_id=room_id) is None
    views, errors = P.add_photos(any_fixture_ctx, assessment_id, "Demo room", [photo])
    assert len(views) == 1 and errors == []


def test_cli_photos_add_refuses_a_visit_without_photo_consent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    client, _ = C.create_client(ctx, given_name="Ada", family_name="Lovelace")
    assessment, _ = A.create_assessment(ctx, client.id)
    A.add_room(ctx, assessment.id, "bathroom", "Bathroom")
    photo = make_jpeg(tmp_path / "bath.jpg", (800, 600))
    result = cli(data, "photos", "add", assessment.id[:8], "Bathroom", str(photo))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: Photo consent has not been recorded for the home visit of {assessment.visit_date:%d %B %Y} for "
        f"Ada Lovelace (ref {assessment.id[:8]}). Record photo consent on the visit overview first.")
    assert result.stdout == ""
    photos = data / "photos"
    assert not photos.exists() or not any(p.is_file() for p in photos.rglob("*")), "nothing was stored"


# -- sign-off --------------------------------------------------------------------------------------
def test_sign_off_refuses_while_items_are_unanswered_unless_marked_not_assessed(any_fixture_ctx: AppContext) -> None:
    assessment_id, room_id = visit(any_fixture_ctx)
    with pytest.raises(ConflictError, match="Consent has not been recorded.*still unanswered"):
        V.sign_off(any_fixture_ctx, assessment_id, typed_sign_off())
    V.record_consent(any_fixture_ctx, assessment_id, signed_consent())
    [(room, items)] = V.outstanding_items(any_fixture_ctx, assessment_id)
    with pytest.raises(ConflictError, match=f"{len(items)} item\\(s\\) are still unanswered"):
        V.sign_off(any_fixture_ctx, assessment_id, typed_sign_off())
    A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="na")  # not applicable is an answer
    V.mark_not_assessed(any_fixture_ctx, room_id, "demo_room.door_width", reason="door blocked by furniture")
    left = [i.id for _r, found in V.outstanding_items(any_fixture_ctx, assessment_id) for i in found]
    assert "demo_room.rail" not in left and "demo_room.door_width" not in left
    assert any(i.id == "demo_room.door_width" for _r, found in A.unanswered_items(any_fixture_ctx, assessment_id)
               for i in found), "not assessed is not an answer"
    if left:
        V.mark_not_assessed(any_fixture_ctx, room_id, reason="client tired")
    [marked, *_] = V.list_not_assessed(any_fixture_ctx, assessment_id)
    assert V.sign_off_problems(any_fixture_ctx, assessment_id) == []
    status, _ = V.sign_off(any_fixture_ctx, assessment_id, typed_sign_off())
    assert status.label == "Signed off 10/03/2026 by Sam Patel"
    assert A.get_assessment(any_fixture_ctx, assessment_id).status == "finalised"
    assert marked.room_name == "Demo room"


def test_sign_off_needs_registration_when_typed_and_a_signature_on_the_pad(fixture_ctx: AppContext) -> None:
    assessment_id, _ = visit(fixture_ctx)
    with pytest.raises(ValidationError) as typed:
        V.sign_off(fixture_ctx, assessment_id, V.SignOffInput(name="Sam Patel", signed_on=date(2026, 3, 10)))
    assert [e.field for e in typed.value.errors] == ["registration"]
    with pytest.raises(ValidationError) as pad:
        V.sign_off(fixture_ctx, assessment_id, V.SignOffInput(name="", method=V.SignOffMethod.SIGNATURE))
    assert [e.field for e in pad.value.errors] == ["name", "signature", "signed_on"]


def test_sign_off_locks_edits_but_lifecycle_steps_and_addenda_go_on(any_fixture_ctx: AppContext) -> None:
    assessment_id, room_id = visit(any_fixture_ctx)
    A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="no")
    rec = next(r for r in R.list_recommendations(any_fixture_ctx, assessment_id))
    R.set_status(any_fixture_ctx, rec.id, "agreed")
    with pytest.raises(ConflictError, match="not signed off yet"):
        V.add_addendum(any_fixture_ctx, assessment_id, "Too early", "Sam Patel")
    V.record_consent(any_fixture_ctx, assessment_id, signed_consent())
    resolve_everything(any_fixture_ctx, assessment_id)
    V.sign_off(any_fixture_ctx, assessment_id, V.SignOffInput(name="Sam Patel", signed_on=date(2026, 3, 10),
                                                          method=V.SignOffMethod.SIGNATURE, signature_png=PNG))
    assert V.sign_off_signature(any_fixture_ctx, assessment_id) == PNG
    with pytest.raises(ConflictError, match="signed off"):
        A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="yes")
    with pytest.raises(ConflictError):
        A.add_room(any_fixture_ctx, assessment_id, "demo_room")
    with pytest.raises(ConflictError):
        V.mark_not_assessed(any_fixture_ctx, room_id, "demo_room.rail")
    with pytest.raises(ConflictError, match="already signed off"):
        V.sign_off(any_fixture_ctx, assessment_id, typed_sign_off())
    R.set_status(any_fixture_ctx, rec.id, "ordered")   # ordering happens after the report is signed
    assert R.list_recommendations(any_fixture_ctx, assessment_id)[0].status == "ordered"
    note, _ = V.add_addendum(any_fixture_ctx, assessment_id, "Daughter reports the rail bracket is loose.", "Sam Patel",
                             recommendation_id=rec.id)
    assert note.line == f"Addendum 10/03/2026 by Sam Patel (about: {rec.title}): Daughter reports the rail " \
                        "bracket is loose."
    with pytest.raises(ValidationError):
        V.add_addendum(any_fixture_ctx, assessment_id, "  ", "Sam Patel")
    V.record_consent(any_fixture_ctx, assessment_id, signed_consent(share_with=()))  # consent may change after
    assert len(V.consent_history(any_fixture_ctx, assessment_id)) == 2


# -- reports and listings --------------------------------------------------------------------------
def signed_demo(ctx: AppContext, assessment_id: str) -> None:
    resolve_everything(ctx, assessment_id)
    V.sign_off(ctx, assessment_id, typed_sign_off())


def test_addendum_and_status_appear_on_the_clinical_and_family_reports(demo_ctx: tuple[AppContext, str],
                                                                      tmp_path: Path) -> None:
    ctx, assessment_id = demo_ctx
    before = build_report_model(ctx, assessment_id, "clinical")
    assert before.status_line.startswith("Status: in progress")
    assert ("Photos for the clinical record", "Yes") in [(f.label, f.value) for f in before.consent]
    signed_demo(ctx, assessment_id)
    finding = R.list_findings(ctx, assessment_id)[0]
    V.add_addendum(ctx, assessment_id, "Rail fitted by the council on 12/03.", "Sam Patel", finding_id=finding.id)
    clinical, _ = pdf_text(generate_report(ctx, assessment_id, "clinical", tmp_path / "clinical.pdf"))
    flat = " ".join(clinical.split())
    assert "Status: Signed off 10/03/2026 by Sam Patel (registration OT61234)." in flat
    assert f"Addendum 10/03/2026 by Sam Patel (about: {finding.title}): Rail fitted by the council on 12/03." in flat
    assert "Reports may be shared with Ingrid Ångström (daughter)" in flat
    family, _ = pdf_text(generate_report(ctx, assessment_id, "family", tmp_path / "family.pdf"))
    # Addenda are clinical notes: the family report is rebuilt from the corrected record instead.
    assert "Addendum" not in family and "Rail fitted by the council" not in family
    orders, _ = pdf_text(generate_order_pdf(ctx, assessment_id, tmp_path / "orders.pdf"))
    assert "Status: Signed off 10/03/2026 by Sam Patel" in " ".join(orders.split())


def test_progress_report_shows_the_follow_up_status(ctx: AppContext, tmp_path: Path) -> None:
    from homeassess.services.demo_followup import create_follow_up_demo
    from homeassess.services.progress import generate_progress_report

    _first, follow_up = create_follow_up_demo(ctx)
    text_, _ = pdf_text(generate_progress_report(ctx, follow_up, tmp_path / "progress.pdf"))
    assert "Status: in progress — not yet signed off" in " ".join(text_.split())


def test_cli_assessments_shows_the_status(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    client, _ = C.create_client(ctx, given_name="Ada", family_name="Lovelace")
    open_visit, _ = A.create_assessment(ctx, client.id, visit_date=date(2026, 3, 1))
    done, _ = A.create_assessment(ctx, client.id, visit_date=date(2026, 3, 2), therapist_name="Sam Patel")
    V.record_verbal_consent(ctx, done.id, given_by="Ada Lovelace")
    V.sign_off(ctx, done.id, typed_sign_off())
    env_free = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    rows = subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(data), "assessments"],
                          capture_output=True, text=True, env=env_free, check=True).stdout.strip().splitlines()
    status = {row.split("\t")[0]: row.split("\t")[4] for row in rows}
    assert status == {done.id: "signed off 2026-03-10 by Sam Patel", open_visit.id: "in progress"}
