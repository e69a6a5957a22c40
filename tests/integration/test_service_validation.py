"""Hostile input through the real services on a temporary data folder (issue 14): each value is refused with
ValidationError in plain words, and what was stored before is still there. The tests taking ``visit_both``,
``any_ctx`` or ``any_fixture_ctx`` run on the SQLite file and on a PostgreSQL team server, which enforces each
column's length where SQLite does not: a refusal must come from the service, never from the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from homeassess.domain.errors import UnusualValueError, ValidationError
from homeassess.domain.text_rules import NAME_LIMIT, NOTE_LIMIT
from homeassess.services import assessments as A
from homeassess.services import catalogue as K
from homeassess.services import clients as C
from homeassess.services import costs
from homeassess.services import followup as F
from homeassess.services import recommendations as R
from homeassess.services import settings as S
from homeassess.services import visit_record as V
from homeassess.services.context import AppContext

NAN, INF = float("nan"), float("inf")
INVISIBLE = ["", "   ", "\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u200b\u00a0\u3000"]


def refused(call, *args, **kwargs) -> str:  # noqa: ANN001
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert not isinstance(caught.value, UnusualValueError)
    return caught.value.errors[0].message


def a_visit(ctx: AppContext) -> tuple[AppContext, str, str, str]:
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez", aid_width_mm=650.0)
    assessment, _ = A.create_assessment(ctx, client.id, standard="UK", therapist_name="Sam Patel")
    room, _ = A.add_room(ctx, assessment.id, "demo_room", "Hall")
    A.set_answer(ctx, room.id, "demo_room.door_width", number=760)
    return ctx, client.id, assessment.id, room.id


@pytest.fixture
def visit(fixture_ctx: AppContext) -> tuple[AppContext, str, str, str]:
    return a_visit(fixture_ctx)


@pytest.fixture
def visit_both(any_fixture_ctx: AppContext) -> tuple[AppContext, str, str, str]:
    """``visit`` on the SQLite file and on a PostgreSQL team server."""
    return a_visit(any_fixture_ctx)


@pytest.mark.parametrize("number", [NAN, INF, -INF, 1e308, -5, "abc", "nan", True, [760], Decimal("NaN")])
def test_a_hostile_measurement_is_refused_and_the_answer_is_kept(visit: tuple, number: object) -> None:
    ctx, _, _, room_id = visit
    message = refused(A.set_answer, ctx, room_id, "demo_room.door_width", number=number, confirm_unusual=True)
    assert message and "Traceback" not in message and len(message) < 200
    assert A.room_answers(ctx, room_id)["demo_room.door_width"].number == 760.0


def test_numbers_given_as_decimal_or_numeric_text_are_stored_as_numbers(visit: tuple) -> None:
    ctx, _, _, room_id = visit
    A.set_answer(ctx, room_id, "demo_room.door_width", number=Decimal("812.5"))
    assert A.room_answers(ctx, room_id)["demo_room.door_width"].number == 812.5
    A.set_answer(ctx, room_id, "demo_room.door_width", number="800")
    assert A.room_answers(ctx, room_id)["demo_room.door_width"].number == 800.0


def test_a_count_of_20000_is_refused_with_the_domain_message(any_ctx: AppContext) -> None:
    ctx = any_ctx
    client, _ = C.create_client(ctx, given_name="Ann", family_name="Lee")
    assessment, _ = A.create_assessment(ctx, client.id, standard="UK", therapist_name="Sam Patel")
    room, _ = A.add_room(ctx, assessment.id, "entrance")
    A.set_answer(ctx, room.id, "entrance.step_count", number=3)
    for count in (20000, 2.5, -1, NAN, INF, "three"):
        refused(A.set_answer, ctx, room.id, "entrance.step_count", number=count, confirm_unusual=True)
    assert refused(A.set_answer, ctx, room.id, "entrance.step_count", number=20000) == \
        "A count must be a whole number from 0 to 10000"
    assert A.room_answers(ctx, room.id)["entrance.step_count"].number == 3.0


def test_text_answers_and_notes_are_cleaned_and_refused_when_too_long(visit_both: tuple) -> None:
    ctx, _, _, room_id = visit_both
    A.set_note(ctx, room_id, "demo_room.door_width", "Frame\x00 loose\r\nat the top")
    A.set_answer(ctx, room_id, "demo_room.notes", value="Cat\x1b flap\r\nin door")
    answers = A.room_answers(ctx, room_id)
    assert answers["demo_room.door_width"].note == "Frame loose\nat the top"
    assert answers["demo_room.notes"].value == "Cat flap\nin door"
    assert "too long" in refused(A.set_note, ctx, room_id, "demo_room.door_width", "n" * (NOTE_LIMIT + 1))
    assert "too long" in refused(A.set_answer, ctx, room_id, "demo_room.notes", value="n" * (NOTE_LIMIT + 1))
    assert "must be text" in refused(A.set_note, ctx, room_id, "demo_room.door_width", 12)
    answers = A.room_answers(ctx, room_id)
    assert answers["demo_room.door_width"].note == "Frame loose\nat the top"
    assert answers["demo_room.notes"].value == "Cat flap\nin door"


@pytest.mark.parametrize("name", INVISIBLE)
def test_names_that_show_nothing_are_refused_everywhere(visit: tuple, name: str) -> None:
    ctx, client_id, assessment_id, room_id = visit
    refused(C.create_client, ctx, given_name=name, family_name="Lee")
    refused(C.update_client, ctx, client_id, family_name=name)
    refused(A.rename_room, ctx, room_id, name)
    refused(C.add_goal, ctx, client_id, name)
    refused(R.add_custom_recommendation, ctx, assessment_id, title=name, reason="it helps")
    refused(V.add_addendum, ctx, assessment_id, name, "Sam Patel")
    assert C.get_client(ctx, client_id).family_name == "Ångström-Nuñez"
    assert [r.name for r in A.list_rooms(ctx, assessment_id)] == ["Hall"]
    assert C.get_client(ctx, client_id).goals == ()


def test_client_fields_hostile_values_are_refused_and_the_profile_is_intact(visit_both: tuple) -> None:
    ctx, client_id, _, _ = visit_both
    for fields in ({"aid_width_mm": NAN}, {"aid_width_mm": INF}, {"aid_width_mm": -5}, {"aid_width_mm": "abc"},
                   {"weight_kg": 1e308}, {"falls_last_12_months": 20000}, {"falls_last_12_months": True},
                   {"given_name": "x" * (NAME_LIMIT + 1)}, {"notes": "n" * (NOTE_LIMIT + 1)},
                   {"date_of_birth": date(1850, 1, 1)}, {"date_of_birth": "next week"},
                   {"equipment": [{"name": "Bed", "swl_kg": NAN}]}, {"equipment": [{"name": "\u200b", "swl_kg": 150}]},
                   {"contacts": [{"name": "x" * (NAME_LIMIT + 1), "relationship": "", "phone": ""}]},
                   {"lives_alone": "yes"}):
        refused(C.update_client, ctx, client_id, **fields)
    detail = C.get_client(ctx, client_id)
    assert detail.profile.aid_width_mm == 650.0 and detail.given_name == "Zoë" and detail.profile.equipment == ()
    C.update_client(ctx, client_id, given_name=" Zoë\x00\u200b ", notes="line one\r\nline two", aid_width_mm="640")
    detail = C.get_client(ctx, client_id)
    assert (detail.given_name, detail.notes, detail.profile.aid_width_mm) == ("Zoë", "line one\nline two", 640.0)


def test_visit_meta_and_dates_are_checked(visit_both: tuple) -> None:
    ctx, _, assessment_id, _ = visit_both
    before = A.get_assessment(ctx, assessment_id)
    refused(A.update_assessment, ctx, assessment_id, visit_date=date(2030, 1, 1))
    refused(A.update_assessment, ctx, assessment_id, visit_date=date(1899, 1, 1))
    refused(A.update_assessment, ctx, assessment_id, visit_date="soon")
    refused(A.update_assessment, ctx, assessment_id, therapist_name="x" * (NAME_LIMIT + 1))
    refused(A.update_assessment, ctx, assessment_id, referral_reason="n" * (NOTE_LIMIT + 1))
    assert A.get_assessment(ctx, assessment_id) == before
    A.update_assessment(ctx, assessment_id, people_present="Zoë\r\nher daughter\x07")
    assert A.get_assessment(ctx, assessment_id).people_present == "Zoë\nher daughter"


def test_recommendations_costs_and_order_fields(visit_both: tuple) -> None:
    ctx, _, assessment_id, _ = visit_both
    rec_id, _ = R.add_custom_recommendation(ctx, assessment_id, title="Fit a key safe", reason="carers can get in")
    costs.set_order_line(ctx, rec_id, quantity=2, cost_estimate=80.0, fit_height_mm=900)
    for fields in ({"quantity": 20000}, {"quantity": 0}, {"quantity": 1.5}, {"quantity": "two"},
                   {"cost_estimate": NAN}, {"cost_estimate": INF}, {"cost_estimate": -1}, {"cost_estimate": "abc"},
                   {"fit_height_mm": -5}, {"fit_height_mm": NAN}, {"install_needed": "yes"},
                   {"approval_no": "x" * 101}):
        refused(costs.set_order_line, ctx, rec_id, **fields)
    line = costs.order_line(ctx, rec_id)
    assert (line.quantity, line.cost_estimate, line.fit_height_mm) == (2, 80.0, 900.0)
    costs.set_budget(ctx, assessment_id, 300)
    for cap in (NAN, INF, -1, "lots", 1e12):
        refused(costs.set_budget, ctx, assessment_id, cap)
    assert costs.cost_summary(ctx, assessment_id).budget.cap == 300
    refused(costs.set_order_header, ctx, assessment_id, order_required_by=date(2040, 1, 1))
    refused(costs.set_order_header, ctx, assessment_id, delivery_address="a" * 1001)
    refused(R.edit_recommendation, ctx, rec_id, title="t" * 201)
    refused(R.change_tier, ctx, rec_id, 2, "\u200b")
    refused(R.add_manual_finding, ctx, A.list_rooms(ctx, assessment_id)[0].id, title="Loose mat", reason="\ufeff")
    assert next(r for r in R.list_recommendations(ctx, assessment_id) if r.id == rec_id).title == "Fit a key safe"


def test_follow_up_measures_and_scores(visit_both: tuple) -> None:
    ctx, client_id, assessment_id, _ = visit_both
    follow_up, _ = F.start_follow_up(ctx, assessment_id)
    F.set_outcome_measures(ctx, follow_up.id, falls=1, fes_i=30)
    for fields in ({"falls": NAN}, {"falls": 20000}, {"falls": "one"}, {"falls": True}, {"fes_i": "abc"},
                   {"fes_i": 16.5}, {"fes_i": INF}):
        refused(F.set_outcome_measures, ctx, follow_up.id, **fields)
    view = A.get_assessment(ctx, follow_up.id)
    assert (view.falls_since_last_visit, view.fes_i_total) == (1, 30)
    refused(F.start_follow_up, ctx, assessment_id, visit_date=date(2040, 1, 1))
    goal, _ = C.add_goal(ctx, client_id, "Shower on my own")
    refused(F.set_goal_score, ctx, follow_up.id, goal.id, True)
    refused(C.update_goal, ctx, goal.id, weight=NAN)
    refused(C.update_goal, ctx, goal.id, weight=20000)
    refused(F.overdue, ctx, weeks=NAN)


def test_settings_consent_sign_off_and_addenda(visit_both: tuple) -> None:
    ctx, _, assessment_id, _ = visit_both
    S.set_setting(ctx, "therapist.name", "Sam Patel")
    assert "too long" in refused(S.set_setting, ctx, "therapist.name", "x" * (NAME_LIMIT + 1))
    assert S.set_setting(ctx, "organisation.address", "1 High St\r\nTown\x00")[0] == "1 High St\nTown"
    assert S.get_settings(ctx)["therapist.name"] == "Sam Patel"
    consent = V.ConsentInput(to_assessment=True, photos_record=True, method=V.ConsentMethod.VERBAL,
                             given_by="\u200b", witness="Sam Patel")
    assert refused(V.record_consent, ctx, assessment_id, consent) == \
        "Say who gave consent (the client or their representative)."
    share = V.ConsentInput(to_assessment=True, photos_record=True, method=V.ConsentMethod.VERBAL,
                           given_by="Zoë", witness="Sam Patel", share_with=(V.SharePerson("\u2060"),))
    assert refused(V.record_consent, ctx, assessment_id, share) == V.UNNAMED
    assert V.current_consent(ctx, assessment_id) is None
    long_note = V.ConsentInput(to_assessment=True, photos_record=True, method=V.ConsentMethod.VERBAL,
                               given_by="Zoë", witness="Sam Patel", note="n" * 5001)
    assert "too long" in refused(V.record_consent, ctx, assessment_id, long_note)   # refused, no longer cut
    sign = V.SignOffInput(name="\u200b", registration="OT1", signed_on=date(2026, 3, 10))
    assert refused(V.sign_off, ctx, assessment_id, sign) == "Type the therapist's name."
    assert "more than a year ahead" in refused(V.sign_off, ctx, assessment_id,
                                               V.SignOffInput(name="Sam", registration="OT1",
                                                              signed_on=date(2040, 1, 1)))
    assert "too long" in refused(V.add_addendum, ctx, assessment_id, "n" * 5001, "Sam Patel")
    refused(V.mark_not_assessed, ctx, A.list_rooms(ctx, assessment_id)[0].id, reason="n" * (NOTE_LIMIT + 1))


def test_a_supplier_list_with_hostile_cells_keeps_only_good_rows(any_ctx: AppContext, tmp_path: Path) -> None:
    ctx = any_ctx
    prices = tmp_path / "prices.csv"
    prices.write_text("supplier,code,name,price,swl\n"
                      "Acme,A1,Bath board,45.00,150\n"
                      "Acme,A2,Rail,nan,\n"
                      "Acme,A3,Hoist,inf,\n"
                      "Acme,A4,Seat,1e308,\n"
                      "Acme,A5,Frame,12,-5\n"
                      f"Acme,A6,{'x' * 201},12,\n"
                      "Ac\x07me,A7,Stool\x1b,9.50,\n", encoding="utf-8")
    result = K.import_supplier_csv(ctx, prices)
    assert result.added == 2 and [e.line for e in result.errors] == [3, 4, 5, 6, 7]
    assert "is not a number" in str(result.errors[0]) and "too long" in str(result.errors[4])
    stool = next(p for p in K.search_products(ctx, K.CatalogueFilter(text="Stool")) if p.code == "A7")
    assert stool.supplier == "Acme" and stool.name == "Stool"
