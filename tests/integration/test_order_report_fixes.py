"""Issue 13: the order list read as a supplier would — order type from funding, required-by only when set,
the delivery contact, the signature with the last line, agreed items still to specify, counts that say what
they count."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from homeassess.domain.costs import FundingRoute
from homeassess.domain.priority import Tier
from homeassess.reports.model import Field, OrderGroup, OrderLine, OrderModel
from homeassess.reports.orders_pdf import render_order_pdf
from homeassess.services import catalogue as K
from homeassess.services import clients as C
from homeassess.services import costs
from homeassess.services import recommendations as R
from homeassess.services.assessments import get_assessment
from homeassess.services.context import AppContext
from homeassess.services.orders import (
    LOAN, MIXED, PRIVATE, TO_SPECIFY, build_order_model, generate_order_pdf, generate_orders_csv, items_to_specify,
    order_summary_text, order_type_for,
)

PROPERTY = "the property of the service"


@pytest.fixture
def ctx(demo_ctx: tuple[AppContext, str]) -> AppContext:
    return demo_ctx[0]


@pytest.fixture
def demo(demo_ctx: tuple[AppContext, str]) -> str:
    return demo_ctx[1]


def pages_text(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def field(fields: tuple[Field, ...], label: str) -> str | None:
    return next((f.value for f in fields if f.label == label), None)


def fund_every_line(ctx: AppContext, visit: str, route: str) -> None:
    for rec in R.list_recommendations(ctx, visit):
        if rec.status in ("agreed", "ordered") and rec.category in ("equipment", "modification"):
            costs.set_order_line(ctx, rec.id, funding_route=route)


def test_order_type_follows_the_funding_of_the_lines() -> None:
    assert order_type_for([FundingRoute.COMMUNITY_EQUIPMENT] * 3) == LOAN
    assert order_type_for([FundingRoute.SELF]) == PRIVATE
    assert order_type_for([FundingRoute.DFG, FundingRoute.DFG]) == "Disabled Facilities Grant"
    assert order_type_for([FundingRoute.NDIS_AT]) == "NDIS assistive technology"
    assert order_type_for([FundingRoute.SELF, FundingRoute.COMMUNITY_EQUIPMENT]) == MIXED == "Mixed: see each line"
    assert order_type_for([FundingRoute.SELF], "purchase") == PRIVATE   # the old default no longer decides
    assert order_type_for([FundingRoute.SELF], "loan") == PRIVATE
    assert order_type_for([FundingRoute.COMMUNITY_EQUIPMENT], "trial") == "Trial"   # an arrangement, kept


def test_demo_order_is_mixed_and_says_which_lines_are_on_loan(ctx: AppContext, demo: str, tmp_path: Path) -> None:
    order = build_order_model(ctx, demo)
    assert field(order.header, "Order type") == MIXED
    assert any("community equipment service are on loan" in s and PROPERTY in s for s in order.follow_up)
    assert any(s.startswith("Lines funded by Council minor adaptation") for s in order.follow_up)
    flat = " ".join(pages_text(generate_order_pdf(ctx, demo, tmp_path / "o.pdf")))
    assert "Order type Mixed: see each line" in flat and "Order type Purchase" not in flat


def test_all_loan_all_private_and_grant_orders(ctx: AppContext, demo: str, tmp_path: Path) -> None:
    fund_every_line(ctx, demo, "community_equipment")
    order = build_order_model(ctx, demo)
    assert field(order.header, "Order type") == LOAN
    assert "This equipment is on loan: it remains the property of the service; collect when no longer needed." \
        in order.follow_up

    fund_every_line(ctx, demo, "self")
    order = build_order_model(ctx, demo)
    assert field(order.header, "Order type") == PRIVATE
    assert not any(PROPERTY in s for s in order.follow_up)
    assert any(s.startswith("Private purchase: invoice the client") for s in order.follow_up)
    flat = " ".join(pages_text(generate_order_pdf(ctx, demo, tmp_path / "private.pdf")))
    assert "Order type Private purchase" in flat and PROPERTY not in flat and "Self-funded (private purchase)" in flat

    fund_every_line(ctx, demo, "dfg")
    order = build_order_model(ctx, demo)
    assert field(order.header, "Order type") == "Disabled Facilities Grant"
    assert not any(PROPERTY in s for s in order.follow_up)
    assert any(s.startswith("Funded by Disabled Facilities Grant: quote the approval number") for s in order.follow_up)

    costs.set_order_header(ctx, demo, order_type="trial")
    order = build_order_model(ctx, demo)
    assert field(order.header, "Order type") == "Trial"
    assert any(s.startswith("Trial: at the end of the trial") for s in order.follow_up)


def test_required_by_only_when_the_therapist_set_one(ctx: AppContext, demo: str, tmp_path: Path) -> None:
    order = build_order_model(ctx, demo)
    assert field(order.header, "Required by") is None and field(order.header, "Urgency") == "Soon"
    flat = " ".join(pages_text(generate_order_pdf(ctx, demo, tmp_path / "a.pdf")))
    assert "Required by" not in flat and "Urgency Soon" in flat
    _, order = generate_orders_csv(ctx, demo, tmp_path / "a.csv")
    rows = list(csv.DictReader((tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {r["Required by"] for r in rows} == {""}

    costs.set_order_header(ctx, demo, order_required_by=date(2026, 4, 1))
    assert field(build_order_model(ctx, demo).header, "Required by") == "01 April 2026"
    flat = " ".join(pages_text(generate_order_pdf(ctx, demo, tmp_path / "b.pdf")))
    assert "Required by 01 April 2026" in flat
    generate_orders_csv(ctx, demo, tmp_path / "b.csv")
    rows = list(csv.DictReader((tmp_path / "b.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {r["Required by"] for r in rows} == {"01 April 2026"}


def test_delivery_contact_is_the_carer_when_the_profile_says_so(ctx: AppContext, demo: str, tmp_path: Path) -> None:
    client_id = get_assessment(ctx, demo).client_id
    costs.set_order_header(ctx, demo, delivery_contact="")     # nobody typed: the profile decides
    assert field(build_order_model(ctx, demo).delivery, "Contact") == "Zoë Ångström-Nuñez, 01865 555 0142"

    C.update_client(ctx, client_id, contacts=[
        {"name": "Łukasz Wróbel", "relationship": "neighbour, holds a key", "phone": "07700 900 118"},
        {"name": "Ingrid Ångström", "relationship": "daughter, main carer", "phone": "07700 900 461"}])
    contact = field(build_order_model(ctx, demo).delivery, "Contact")
    assert contact == "Ingrid Ångström (daughter, main carer), 07700 900 461; or Zoë on 01865 555 0142"
    flat = " ".join(pages_text(generate_order_pdf(ctx, demo, tmp_path / "carer.pdf")))
    assert "Ingrid Ångström (daughter, main carer), 07700 900 461" in flat

    C.update_client(ctx, client_id, cognition="moderate_impairment", contacts=[
        {"name": "Łukasz Wróbel", "relationship": "neighbour, holds a key", "phone": "07700 900 118"}])
    # Cognitive impairment: the first contact, and not the client's own number.
    assert field(build_order_model(ctx, demo).delivery, "Contact") == \
        "Łukasz Wróbel (neighbour, holds a key), 07700 900 118"

    costs.set_order_header(ctx, demo, delivery_contact="Ring the warden, 01865 000 000")
    assert field(build_order_model(ctx, demo).delivery, "Contact") == "Ring the warden, 01865 000 000"


def test_agreed_equipment_with_no_product_is_listed_to_specify(ctx: AppContext, demo: str, tmp_path: Path) -> None:
    order = build_order_model(ctx, demo)
    bench = next(x for x in order.to_specify if x.description.startswith("Use a tub transfer bench"))
    assert bench.to_specify and bench.room == "Bathroom" and bench.quantity == 1 and "520 mm" in bench.size_setting
    assert bench.line_total is None and all(not x.to_specify for g in order.groups for x in g.lines)
    assert [i.rec_id for i in items_to_specify(ctx, demo)] == [x.rec_id for x in order.to_specify]
    assert "1 item still to specify" in order_summary_text(order)

    flat = " ".join(pages_text(generate_order_pdf(ctx, demo, tmp_path / "o.pdf")))
    assert "To specify: 1 agreed item with no product chosen yet" in flat
    assert f"Use a tub transfer bench with a hand-held shower {TO_SPECIFY}" in flat
    assert "Also on this order: 1 agreed item with no product chosen yet" in flat

    generate_orders_csv(ctx, demo, tmp_path / "o.csv")
    rows = list(csv.DictReader((tmp_path / "o.csv").read_text(encoding="utf-8-sig").splitlines()))
    row = next(r for r in rows if r["Description"].startswith("Use a tub transfer bench"))
    assert row["Supplier"] == "To specify" and row["Line status"] == TO_SPECIFY and row["Notes"].startswith(TO_SPECIFY)
    assert row["Room"] == "Bathroom" and row["Quantity"] == "1" and "520 mm" in row["Size / setting"]
    assert row["Unit price"] == "" and {r["Line status"] for r in rows} == {"Order", TO_SPECIFY}

    product = next(p for p in K.search_products(ctx, K.CatalogueFilter(text="tub transfer bench"))
                   if p.code == "GEN-BTH-005")
    K.choose_product(ctx, bench.rec_id, product.id)
    order = build_order_model(ctx, demo)
    assert order.to_specify == () and items_to_specify(ctx, demo) == []
    assert any(x.rec_id == bench.rec_id for g in order.groups for x in g.lines)


def test_total_line_counts_say_what_they_count(ctx: AppContext, demo: str, tmp_path: Path) -> None:
    flat = " ".join(pages_text(generate_order_pdf(ctx, demo, tmp_path / "o.pdf")))
    order = build_order_model(ctx, demo)
    lines = sum(len(g.lines) for g in order.groups)
    named = [g for g in order.groups if not g.supplier.startswith("Supplier to be chosen")]
    from_named = sum(len(g.lines) for g in named)
    expected = (f"for {lines} order lines ({from_named} from {len(named)} named suppliers; {lines - from_named} "
                "with the supplier to be chosen). 1 item to specify is not in this total.")
    assert expected in flat
    assert "line(s)" not in flat and "supplier(s)" not in flat
    assert re.search(r"Subtotal £[\d.,]+ for \d+ lines?", flat)
    assert "Supplier: Supplier to be chosen" not in flat and "Supplier to be chosen (generic specification)" in flat


def test_signature_is_on_the_page_of_the_last_order_line(ctx: AppContext, demo: str, tmp_path: Path) -> None:
    def same_page(path: Path, last: str) -> None:
        pages = pages_text(path)
        signature = [n for n, t in enumerate(pages) if "Prescriber signature" in t]
        line = [n for n, t in enumerate(pages) if last in t]
        assert signature == [line[-1]] == [len(pages) - 1], (signature, line, len(pages))
        assert "Order total" in pages[-1]

    order = build_order_model(ctx, demo)
    same_page(generate_order_pdf(ctx, demo, tmp_path / "demo.pdf"), order.to_specify[-1].description)
    # Without the item to specify, the last line is the last of the last supplier group.
    product = next(p for p in K.search_products(ctx, K.CatalogueFilter(text="tub transfer bench"))
                   if p.code == "GEN-BTH-005")
    K.choose_product(ctx, order.to_specify[0].rec_id, product.id)
    order = build_order_model(ctx, demo)
    same_page(generate_order_pdf(ctx, demo, tmp_path / "no-spec.pdf"), order.groups[-1].lines[-1].description)


def synthetic_line(n: int, *, tall: bool = False) -> OrderLine:
    return OrderLine(
        tier=Tier.P2, supplier="Acme", supplier_code=f"A-{n}", generic_code="", hcpcs="", iso9999="",
        description=f"Item number {n:03d}", size_setting="", swl_text="", quantity=1, unit_price=10.0,
        line_total=10.0, currency="GBP", install=tall, room="Kitchen", wall_side="Left" if tall else "",
        height_mm=None, height_text="", trade="Handyperson" if tall else "", funding="Self-funded", approval_no="",
        for_recommendation="A recommendation " * (6 if tall else 1), funding_route="self")


@pytest.mark.parametrize("count", [1, 4, 9, 13, 17, 22, 28, 35])
def test_signature_stays_with_the_last_line_whatever_the_length(count: int, tmp_path: Path) -> None:
    lines = tuple(synthetic_line(n, tall=n % 3 == 0) for n in range(1, count + 1))
    model = OrderModel(
        title="Equipment order", order_id="HA-TEST", order_date=date(2026, 3, 10), client_initials="AB",
        reference="test", visit_date=date(2026, 3, 10), currency="GBP", header=(Field("Order ID", "HA-TEST"),),
        prescriber=(), client=(), delivery=(), safety_alerts="None known",
        groups=(OrderGroup("Acme", lines, 10.0 * count, 0),), total=10.0 * count,
        follow_up=("Hand-over and training by the prescriber or supplier at delivery.",) * 4)
    render_order_pdf(model, tmp_path / "o.pdf")
    pages = pages_text(tmp_path / "o.pdf")
    last = f"Item number {count:03d}"
    assert [n for n, t in enumerate(pages) if last in t] == [len(pages) - 1]
    assert "Prescriber signature" in pages[-1] and f"Order total: £{10 * count} for {count} order line" in pages[-1]
    assert "from 1 named supplier." in pages[-1]
    for n in range(1, count + 1):   # every line printed once
        assert sum(t.count(f"Item number {n:03d}") for t in pages) == 1
