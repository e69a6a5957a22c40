"""History of changes (issue 15): every change recorded with who, when and old → new, told in plain words;
what HomeAssess re-derives is its own, not the therapist's; erasure takes the client's history too. Every test
runs on the SQLite file and on a PostgreSQL team server (``any_ctx``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from homeassess.db import models as m
from homeassess.db.history import ENGINE, utc_now
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import erasure as E
from homeassess.services import history as H
from homeassess.services import recommendations as R
from homeassess.services import settings as S
from homeassess.services.context import AppContext
from homeassess.services.reports import build_report_model

RAIL = "bathroom.shower_rail"


@pytest.fixture
def visit(any_ctx: AppContext) -> tuple[AppContext, str, str, str]:
    """(ctx, client id, visit id, bathroom id) with the therapist named in Settings."""
    ctx = any_ctx
    S.set_setting(ctx, "therapist.name", "Sam Lee")
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez", phone="01865 555 0142",
                                mobility_aid="walking_frame", falls_last_12_months=1)
    view, _ = A.create_assessment(ctx, client.id)
    room, _ = A.add_room(ctx, view.id, "bathroom", "Bathroom")
    return ctx, client.id, view.id, room.id


def prompt(ctx: AppContext, item_id: str) -> str:
    return ctx.registry.latest(item_id.split(".")[0]).item(item_id).prompt


def by_person(views: list[H.ChangeView]) -> list[H.ChangeView]:
    return [v for v in views if not v.automatic]


def test_an_answer_change_is_told_with_old_and_new_and_the_therapists_name(visit) -> None:  # noqa: ANN001
    ctx, _, visit_id, room_id = visit
    A.set_answer(ctx, room_id, RAIL, value="yes")
    A.set_answer(ctx, room_id, RAIL, value="no")
    newest = by_person(H.visit_history(ctx, visit_id))
    assert newest[0].what == f"changed Bathroom: {prompt(ctx, RAIL)} from “Yes” to “No”"
    assert newest[0].sentence.endswith(f" — Sam Lee changed Bathroom: {prompt(ctx, RAIL)} from “Yes” to “No”")
    assert newest[1].what == f"answered Bathroom: {prompt(ctx, RAIL)} “Yes”"
    assert (newest[0].entity, newest[0].field, newest[0].old, newest[0].new) == ("answer", "value", "yes", "no")
    assert newest[0].by == "Sam Lee" and newest[0].at <= utc_now() + timedelta(seconds=1)


def test_a_new_room_a_status_change_and_a_client_field_are_recorded(visit) -> None:  # noqa: ANN001
    ctx, client_id, visit_id, room_id = visit
    A.set_answer(ctx, room_id, RAIL, value="no")
    rec = next(r for r in R.list_recommendations(ctx, visit_id) if r.status == "proposed")
    R.set_status(ctx, rec.id, "agreed")
    C.update_client(ctx, client_id, phone="01865 555 0199")
    told = [v.sentence.split(" — ", 1)[1] for v in by_person(H.client_history(ctx, client_id))]
    assert told[:2] == ["Sam Lee changed the client's phone number from “01865 555 0142” to “01865 555 0199”",
                        f"Sam Lee agreed the recommendation {rec.title}"]
    assert "Sam Lee added the room Bathroom" in told
    assert "Sam Lee added the client Zoë Ångström-Nuñez" in told
    visit_told = [v.what for v in H.visit_history(ctx, visit_id)]
    assert "added the room Bathroom" in visit_told
    assert not any("phone number" in t for t in visit_told)   # the client's own fields are not the visit's


def test_what_the_engine_derives_is_attributed_to_homeassess(visit) -> None:  # noqa: ANN001
    ctx, _, visit_id, room_id = visit
    A.set_answer(ctx, room_id, RAIL, value="no")
    history = H.visit_history(ctx, visit_id)
    derived = [v for v in history if v.entity in ("finding", "recommendation")]
    assert derived and {v.by for v in derived} == {ENGINE}
    assert any(v.what.startswith("added the finding ") for v in derived)
    assert any(v.what.startswith("suggested the recommendation ") for v in derived)
    answer = next(v for v in history if v.entity == "answer")
    assert answer.by == "Sam Lee" and not answer.automatic
    A.set_answer(ctx, room_id, RAIL, value="yes")   # the finding goes again, by the engine
    removed = [v for v in H.visit_history(ctx, visit_id) if v.what.startswith("removed the finding ")]
    assert removed and removed[0].by == ENGINE and removed[0].what != "removed the finding"   # still named


def test_undoing_an_answer_records_the_reverse_change(visit) -> None:  # noqa: ANN001
    ctx, _, visit_id, room_id = visit
    A.set_answer(ctx, room_id, RAIL, value="yes")
    A.set_answer(ctx, room_id, RAIL, value="no")
    A.set_answer(ctx, room_id, RAIL, value="yes", confirm_unusual=True)   # what undo calls (ui/undo.py)
    whats = [v.what for v in by_person(H.visit_history(ctx, visit_id))]
    assert whats[:2] == [f"changed Bathroom: {prompt(ctx, RAIL)} from “No” to “Yes”",
                         f"changed Bathroom: {prompt(ctx, RAIL)} from “Yes” to “No”"]


def test_a_room_removed_and_put_back_and_renamed(visit) -> None:  # noqa: ANN001
    ctx, _, visit_id, room_id = visit
    A.rename_room(ctx, room_id, "Upstairs bathroom")
    A.remove_room(ctx, room_id)
    A.remove_room(ctx, room_id, restore=True)
    whats = [v.what for v in by_person(H.visit_history(ctx, visit_id))]
    assert whats[:3] == ["put back the room Upstairs bathroom", "removed the room Upstairs bathroom",
                         "renamed the room “Bathroom” to “Upstairs bathroom”"]


def test_nothing_is_recorded_for_reading_or_for_internal_settings(visit) -> None:  # noqa: ANN001
    ctx, client_id, visit_id, _ = visit
    before = count(ctx)
    A.get_assessment(ctx, visit_id)
    H.client_history(ctx, client_id)
    A.archive_assessment(ctx, visit_id)
    S.remember_visit(ctx, visit_id)
    assert count(ctx) == before


def test_last_change_time_is_the_newest_and_the_clinical_report_carries_it(visit) -> None:  # noqa: ANN001
    ctx, client_id, visit_id, room_id = visit
    A.set_answer(ctx, room_id, RAIL, value="no")
    newest = H.visit_history(ctx, visit_id)[0].at
    assert H.last_change_at(ctx, visit_id) == newest
    C.update_client(ctx, client_id, notes="Prefers morning visits")   # the client's record is the report's too
    later = H.last_change_at(ctx, visit_id)
    assert later is not None and later > newest
    model = build_report_model(ctx, visit_id, "clinical")
    assert model.last_change == H.when_text(later) and model.checklists
    assert build_report_model(ctx, visit_id, "family").last_change == ""


def test_erasure_removes_the_clients_history_and_leaves_others(visit) -> None:  # noqa: ANN001
    ctx, client_id, visit_id, room_id = visit
    other, _ = C.create_client(ctx, given_name="Ann", family_name="Other")
    A.set_answer(ctx, room_id, RAIL, value="no")
    assert count(ctx, client_id) > 0
    E.erase_client(ctx, client_id, by="Sam Lee")
    assert count(ctx, client_id) == 0 and count(ctx, visit_id=visit_id) == 0
    assert count(ctx, other.id) > 0
    with ctx.uow(read_only=True) as uow:
        texts = uow.session.execute(select(m.Change.old, m.Change.new)).all()
    assert texts and not any("Ångström" in old + new for old, new in texts)


def count(ctx: AppContext, client_id: str | None = None, *, visit_id: str | None = None) -> int:
    with ctx.uow(read_only=True) as uow:
        query = select(func.count()).select_from(m.Change)
        if client_id is not None:
            query = query.where(m.Change.client_id == client_id)
        if visit_id is not None:
            query = query.where(m.Change.assessment_id == visit_id)
        return uow.session.scalar(query) or 0
