"""Catalogue import, product choice, costs and the order list, through the services. The tests taking ``both``
run on the demo on the SQLite file and on a PostgreSQL team server (``any_demo_ctx``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from homeassess.domain.catalogue import CatalogueFilter
from homeassess.domain.errors import ValidationError
from homeassess.domain.profiles import StandardProfile
from homeassess.services import catalogue as K
from homeassess.services import costs
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext
from homeassess.services.orders import NONE_KNOWN, build_order_model


@pytest.fixture
def ctx(demo_ctx: tuple[AppContext, str]) -> AppContext:
    return demo_ctx[0]


@pytest.fixture
def demo(demo_ctx: tuple[AppContext, str]) -> str:
    return demo_ctx[1]


@pytest.fixture
def both(any_demo_ctx: tuple[AppContext, str]) -> tuple[AppContext, str]:
    return any_demo_ctx


def rec_for(ctx: AppContext, assessment_id: str, template_id: str):
    return next(r for r in R.list_recommendations(ctx, assessment_id) if r.template_id == template_id)


def test_import_keeps_good_rows_reports_bad_ones_and_updates_on_reimport(both: tuple[AppContext, str],
                                                                         tmp_path: Path) -> None:
    ctx, _ = both
    path = tmp_path / "prices.csv"
    path.write_text("Supplier,Code,Name,Price,Sizes,SWL,Generic\n"
                    "Ability Aids,AA-1,Raised toilet seat 100 mm,£22.00,100 mm,190,\n"
                    "Ability Aids,AA-2,Mystery item,abc,,,\n"
                    "Ability Aids,AA-3,Bath board 26in,£30,,190,GEN-XXX-999\n"
                    "Ability Aids,AA-4,Shower stool,£25,,,GEN-BTH-013\n", encoding="utf-8-sig")
    result = K.import_supplier_csv(ctx, path)
    assert (result.added, result.updated) == (2, 0)  # the demo's supplier list is already in
    assert [e.line for e in result.errors] == [3, 4] and "GEN-XXX-999" in str(result.errors[1])
    found = K.search_products(ctx, CatalogueFilter(text="raised toilet seat 100"))
    supplier = next(p for p in found if p.source == "supplier")
    assert supplier.code == "AA-1" and supplier.mapping == "suggested" and supplier.generic_code.startswith("GEN-TOI")
    K.map_supplier_product(ctx, supplier.id, "GEN-TOI-002")
    path.write_text("Supplier,Code,Name,Price\nAbility Aids,AA-1,Raised toilet seat 100 mm,£24.00\n", encoding="utf-8")
    again = K.import_supplier_csv(ctx, path)
    assert (again.added, again.updated, again.errors) == (0, 1, [])
    updated = next(p for p in K.search_products(ctx, CatalogueFilter(text="AA-1")) if p.code == "AA-1")
    assert updated.price == 24 and updated.mapping == "confirmed" and updated.generic_code == "GEN-TOI-002"


def test_choosing_a_product_sets_the_estimate_and_swl_is_checked(both: tuple[AppContext, str]) -> None:
    ctx, demo = both
    rec = rec_for(ctx, demo, "rec.toilet.raised_seat")
    products = K.products_for_recommendation(ctx, rec.id)
    assert products and all(p.generic_code for p in products)
    generic = next(p for p in products if p.source == "generic" and "150 mm" in p.name)
    K.choose_product(ctx, rec.id, generic.id)
    line = costs.order_line(ctx, rec.id)
    assert line.estimate_from == "product" and line.cost_estimate == generic.price
    assert line.suggested_setting == "150 mm raise" and "knee height 520 mm + 20 mm hip margin" in line.sizing_calculation
    costs.set_order_line(ctx, rec.id, quantity=2, cost_estimate=80.0, funding_route="self", approval_no="A-1")
    line = costs.order_line(ctx, rec.id)
    assert (line.quantity, line.cost_estimate, line.estimate_from, line.funding_route) == (2, 80.0, "entered", "self")
    with pytest.raises(ValidationError):
        costs.set_order_line(ctx, rec.id, quantity=0)
    with pytest.raises(ValidationError):
        costs.set_order_line(ctx, rec.id, funding_route="lottery")


def test_swl_warning_for_a_heavier_client(ctx: AppContext, demo: str) -> None:
    from homeassess.services import clients as C
    from homeassess.services.assessments import get_assessment

    client_id = get_assessment(ctx, demo).client_id
    C.update_client(ctx, client_id, weight_kg=175)
    rec = rec_for(ctx, demo, "rec.toilet.raised_seat")
    products = K.products_for_recommendation(ctx, rec.id)
    assert any(any("exceeds the safe working load" in w for w in p.warnings) for p in products)
    best = K.suggested_product(ctx, rec.id)
    assert best is not None and (best.swl_kg or 999) >= 175


def test_totals_and_budget(ctx: AppContext, demo: str) -> None:
    summary = costs.cost_summary(ctx, demo)
    assert summary.currency == "GBP" and summary.totals.total > 0 and summary.budget is None
    assert set(summary.totals.by_tier) <= {1, 2, 3, 4}
    costs.set_budget(ctx, demo, 300)
    plan = costs.cost_summary(ctx, demo).budget
    assert plan is not None and plan.spent <= 300 and plan.outside
    tiers = [x.tier for x in plan.within]
    assert tiers == sorted(tiers)


def test_order_model_groups_by_supplier_with_header_and_alerts(both: tuple[AppContext, str]) -> None:
    ctx, demo = both
    order = build_order_model(ctx, demo)
    suppliers = [g.supplier for g in order.groups]
    assert "Thames Valley Mobility Ltd" in suppliers and suppliers[-1].startswith("Supplier to be chosen")
    lines = [x for g in order.groups for x in g.lines]
    seat = next(x for x in lines if x.supplier_code == "TVM-RTS-150A")
    assert seat.size_setting == "150 mm raise" and seat.hcpcs == "E0244" and seat.unit_price == 38.95
    rail = next(x for x in lines if x.for_recommendation.startswith("Fit a firm rail beside the entrance steps"))
    assert rail.install and "Right-hand side" in rail.wall_side
    assert "Small dog" in order.safety_alerts
    assert order.total == pytest.approx(sum(g.subtotal for g in order.groups))
    costs.set_order_header(ctx, demo, safety_alerts="  ")
    assert build_order_model(ctx, demo).safety_alerts == NONE_KNOWN


def test_order_header_refuses_bad_values(ctx: AppContext, demo: str) -> None:
    with pytest.raises(ValidationError):
        costs.set_order_header(ctx, demo, order_urgency="yesterday")
    with pytest.raises(ValidationError):
        costs.set_order_header(ctx, demo, password="x")


def test_us_visit_prices_in_dollars(ctx: AppContext, demo: str) -> None:
    from homeassess.services.assessments import update_assessment

    update_assessment(ctx, demo, standard="US", units="imperial")
    seat = rec_for(ctx, demo, "rec.toilet.raised_seat")
    assert "rec.toilet.grab_rail" in {o.template_id for o in seat.options}
    R.choose_option(ctx, seat.id, "rec.toilet.grab_rail")  # the rail is another option of the same problem
    rec = rec_for(ctx, demo, "rec.toilet.grab_rail")
    assert rec.id == seat.id and rec.choice_reason == "Chosen by the therapist."
    line = costs.order_line(ctx, rec.id)
    assert line.currency == "USD" and line.suggested_height_mm == 840
    generic = K.search_products(ctx, CatalogueFilter(region=StandardProfile.US, text="raised toilet seat"))
    assert generic[0].price_text.startswith("$")


def test_supplier_lines_keep_their_own_currency_and_stay_out_of_the_total(both: tuple[AppContext, str],
                                                                          tmp_path: Path) -> None:
    ctx, demo = both
    path = tmp_path / "eu.csv"
    path.write_text("Supplier,Code,Name,Price,Generic\nNordic Care,NC-9,Bed raisers 100 mm,45 €,GEN-BED-002\n",
                    encoding="utf-8")
    K.import_supplier_csv(ctx, path)
    rec = rec_for(ctx, demo, "rec.bedroom.bed_raisers")
    before = build_order_model(ctx, demo).total
    euro = next(p for p in K.products_for_recommendation(ctx, rec.id) if p.code == "NC-9")
    K.choose_product(ctx, rec.id, euro.id)
    order = build_order_model(ctx, demo)
    line = next(x for g in order.groups for x in g.lines if x.supplier_code == "NC-9")
    assert (line.currency, line.unit_price) == ("EUR", 45.0)
    assert order.other_currency_lines == 1 and order.total < before


def test_order_line_warns_when_the_client_is_heavier_than_the_product_allows(ctx: AppContext, demo: str) -> None:
    from homeassess.services import clients as C
    from homeassess.services.assessments import get_assessment

    rec = rec_for(ctx, demo, "rec.toilet.raised_seat")  # the demo picks a 159 kg seat
    assert costs.order_line(ctx, rec.id).swl_warnings == ()
    C.update_client(ctx, get_assessment(ctx, demo).client_id, weight_kg=170)
    warnings = costs.order_line(ctx, rec.id).swl_warnings
    assert warnings and "exceeds the safe working load 159 kg" in warnings[0]
    order = build_order_model(ctx, demo)
    seat = next(x for g in order.groups for x in g.lines if x.supplier_code == "TVM-RTS-150A")
    assert "exceeds the safe working load" in seat.notes


def test_a_currency_that_is_not_a_three_letter_code_is_refused_on_its_line(any_ctx: AppContext,
                                                                          tmp_path: Path) -> None:
    """A product's currency is stored in three characters, which a team server enforces (SQLite kept
    "POUNDS" and printed it as the symbol): a longer one is that row's error, and the others import."""
    path = tmp_path / "prices.csv"
    path.write_text("Supplier,Code,Name,Price,Currency\n"
                    "Acme,A1,Bath board,45.00,gbp\n"
                    "Acme,A2,Shower stool,25.00,Pounds sterling\n"
                    "Acme,A3,Perching stool,30.00,E1\n", encoding="utf-8")
    result = K.import_supplier_csv(any_ctx, path)
    assert result.added == 1 and [e.line for e in result.errors] == [3, 4]
    assert "'POUNDS STERLING' is not a three-letter code" in str(result.errors[0])
    [board] = [p for p in K.search_products(any_ctx, CatalogueFilter(text="Acme")) if p.source == "supplier"]
    assert (board.code, board.currency) == ("A1", "GBP")
