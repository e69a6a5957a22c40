"""Catalogue loading, supplier CSV parsing, funding and the budget cap (pure domain, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from homeassess.catalogue.loader import load_catalogue, shipped_paths
from homeassess.catalogue.supplier_csv import parse_price, parse_supplier_csv
from homeassess.checklists.registry import Registry
from homeassess.domain.catalogue import Catalogue, CatalogueFilter, Category, suggest_generic
from homeassess.domain.costs import CostLine, FundingRoute, funding_notes, plan_budget, suggest_funding, totals
from homeassess.domain.errors import CatalogueDefinitionError, ValidationError
from homeassess.domain.profiles import StandardProfile as SP
from homeassess.domain.sizing import perching_stool

GOOD_ITEM = '''
[[items]]
code = "GEN-TOI-001"
name = "Raised toilet seat, 100 mm"
category = "toileting"
iso9999 = "09 12"
description = "Clamps onto the pan."
sizes = "100 mm (4 in)"
swl_kg = 190
hcpcs = "E0244"
cost_us = [20, 50]
cost_uk = [15, 40]
cost_au = [30, 70]
install = "none"
trade = "supplier"
for_recommendations = ["rec.toilet.raised_seat"]
sizing = "raise_toilet"
reference = "REFERENCE §2.14"
'''


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(recommendation_ids=set(Registry.load().data.recommendations))


def test_shipped_catalogue_has_120_plus_valid_items_with_costs_for_every_region(shipped: Catalogue) -> None:
    assert len(shipped) >= 120
    assert {e.category for e in shipped.entries.values()} == set(Category)
    for entry in shipped.entries.values():
        assert set(entry.costs) == {SP.US, SP.UK, SP.AU}
    codes = {e.hcpcs for e in shipped.entries.values()}
    assert {"E0240", "E0241", "E0244", "E0247"} <= codes


def test_every_sizing_recommendation_has_a_product(shipped: Catalogue) -> None:
    for template in ("rec.toilet.raised_seat", "rec.bathroom.bath_board", "rec.kitchen.perching_stool",
                     "rec.toilet.grab_rail", "rec.entrance.ramp", "rec.bedroom.bed_raisers"):
        assert shipped.for_recommendation(template), template


def write(tmp_path: Path, body: str, name: str = "test.v1.toml") -> Path:
    path = tmp_path / name
    path.write_text('schema = 1\nid = "test"\nversion = 1\n' + body, encoding="utf-8")
    return path


def test_loader_accepts_a_good_file(tmp_path: Path) -> None:
    catalogue = load_catalogue([write(tmp_path, GOOD_ITEM)], recommendation_ids={"rec.toilet.raised_seat"})
    entry = catalogue.get("GEN-TOI-001")
    assert entry is not None and entry.typical_cost(SP.UK) == 28 and entry.hcpcs == "E0244"


def test_loader_reports_every_problem_with_file_and_code(tmp_path: Path) -> None:
    bad = (GOOD_ITEM.replace('"09 12"', '"99 12"').replace("[15, 40]", "[40, 15]").replace('"E0244"', '"X1"')
           .replace('"supplier"', '"wizard"').replace('"raise_toilet"', '"raise_roof"')
           .replace("swl_kg = 190", "swl_kg = 9000\ncolour = \"red\""))
    with pytest.raises(CatalogueDefinitionError) as err:
        load_catalogue([write(tmp_path, bad + GOOD_ITEM)], recommendation_ids=set())
    text = "\n".join(err.value.problems)
    for expected in ("iso9999 '99 12'", "cost_uk must be", "hcpcs 'X1'", "trade 'wizard'", "sizing 'raise_roof'",
                     "swl_kg must be", "unknown key 'colour'", "unknown recommendation 'rec.toilet.raised_seat'",
                     "code is used twice"):
        assert expected in text
    assert all(p.startswith("test.v1.toml: ") for p in err.value.problems)


def test_loader_names_a_broken_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueDefinitionError, match="not valid TOML"):
        load_catalogue([write(tmp_path, "[[items]\ncode = ")])


def test_search_filters(shipped: Catalogue) -> None:
    rails = shipped.search(CatalogueFilter(text="grab rail", category=Category.RAILS))
    assert rails and all(e.category is Category.RAILS for e in rails)
    heavy = shipped.search(CatalogueFilter(min_swl_kg=250))
    assert heavy and all((e.swl_kg or 0) >= 250 for e in heavy)
    cheap = shipped.search(CatalogueFilter(max_cost=20, region=SP.US))
    assert cheap and all(e.cost_range(SP.US)[0] <= 20 for e in cheap)
    assert all(e.hcpcs for e in shipped.search(CatalogueFilter(hcpcs_only=True)))


def test_supplier_names_are_matched_to_generic_items(shipped: Catalogue) -> None:
    match = suggest_generic("Raised toilet seat 150 mm with arms", shipped)
    assert match is not None and "Raised toilet seat" in match.name
    assert suggest_generic("Garden gnome", shipped) is None


CSV = ("Supplier;Product code;Description;Unit price;Size;SWL (kg)\r\n"
       "Nordic Care ÅB;NC-1;Toilet seat raiser – 100 mm;45,50 €;100 mm;190\r\n"
       "Nordic Care ÅB;NC-2;;12;;\r\n"
       "Nordic Care ÅB;NC-3;Bath board;twelve;;heavy\r\n"
       ";;;;;\r\n"
       "Nordic Care ÅB;NC-1;Duplicate;10;;\r\n"
       "Nordic Care ÅB;NC-4;Perching stool;£1,234.50;;127 kg\r\n")


def test_supplier_csv_keeps_good_rows_and_names_each_bad_one() -> None:
    parsed = parse_supplier_csv(CSV.encode("utf-8-sig"), default_currency="GBP")
    assert [(r.code, r.price, r.currency) for r in parsed.rows] == [("NC-1", 45.5, "EUR"), ("NC-4", 1234.5, "GBP")]
    assert parsed.rows[0].supplier == "Nordic Care ÅB" and parsed.rows[1].swl_kg == 127
    messages = [str(e) for e in parsed.errors]
    assert messages[0] == "line 3: name is empty"
    assert messages[1].startswith("line 4: price 'twelve' is not a number; SWL 'heavy'")
    assert messages[2] == "line 6: code 'NC-1' for Nordic Care ÅB is already on line 2"


def test_supplier_csv_from_excel_in_windows_1252() -> None:
    data = "Supplier,Code,Name,Price\nAcmé,A1,Chaise percée,£30\n".encode("cp1252")
    parsed = parse_supplier_csv(data, default_currency="GBP")
    assert parsed.rows[0].supplier == "Acmé" and parsed.rows[0].name == "Chaise percée"


def test_supplier_csv_without_required_columns_is_refused() -> None:
    with pytest.raises(ValidationError, match="missing column"):
        parse_supplier_csv(b"Code,Name\nA1,Thing\n", default_currency="GBP")
    with pytest.raises(ValidationError, match="empty"):
        parse_supplier_csv(b"  \n", default_currency="GBP")


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("£1,234.50", 1234.5, "GBP"), ("45,00 €", 45.0, "EUR"), ("A$89", 89.0, "AUD"), ("$12", 12.0, "USD"),
    ("1.234,5", 1234.5, ""), ("7", 7.0, "")])
def test_prices(text: str, value: float, currency: str) -> None:
    assert parse_price(text) == (value, currency)


def test_funding_follows_region_cost_and_coverage() -> None:
    assert suggest_funding(region=SP.UK, category="equipment", cost=30) is FundingRoute.COMMUNITY_EQUIPMENT
    assert suggest_funding(region=SP.UK, category="modification", cost=400) is FundingRoute.MINOR_ADAPTATION
    assert suggest_funding(region=SP.UK, category="modification", cost=8000) is FundingRoute.DFG
    assert suggest_funding(region=SP.US, category="equipment", cost=150, hcpcs="E0247") is FundingRoute.MEDICARE
    assert suggest_funding(region=SP.US, category="equipment", cost=40, hcpcs="E0244") is FundingRoute.SELF
    assert suggest_funding(region=SP.AU, category="modification", cost=9000) is FundingRoute.NDIS_HOME_MODS
    assert "GY" in funding_notes(FundingRoute.MEDICARE, 40, "E0244")
    assert "Disabled Facilities Grant" in funding_notes(FundingRoute.MINOR_ADAPTATION, 1500)
    assert "quote" in funding_notes(FundingRoute.NDIS_AT, 2000)


LINES = [CostLine("a", "Stair rail", 1, 20, 350, "dfg"), CostLine("b", "Night lights", 1, 16, 20, "self"),
         CostLine("c", "Level shower", 2, 12, 6500, "dfg"), CostLine("d", "Reacher", 2, 9, 14, "self"),
         CostLine("e", "Key safe", 3, 6, 80, "self"), CostLine("f", "Bed lever", 2, 12, None, "")]


def test_totals_per_tier_and_funding() -> None:
    result = totals(LINES)
    assert result.by_tier == {1: 370, 2: 6514, 3: 80}
    assert result.by_funding == {"dfg": 6850, "self": 114}
    assert result.total == 6964 and result.not_estimated == 1


def test_budget_fills_by_tier_then_value_and_says_what_is_left_out() -> None:
    plan = plan_budget(LINES, 500)
    assert [x.id for x in plan.within] == ["a", "b", "d", "e"]
    assert plan.spent == 464 and plan.left == 36
    outside = {x.id: why for x, why in plan.outside}
    assert outside["c"] == "needs 6,500; only 130 left" and outside["f"] == "no cost estimate yet"
    assert [x.id for x in plan_budget(LINES, 0).within] == []
    with pytest.raises(ValueError):
        plan_budget(LINES, -1)


@pytest.mark.parametrize(("knee", "worktop", "seat", "warn"), [
    (520, 900, 620, False), (20.5 * 25.4, 36 * 25.4, 621, False), (520, 720, 620, True), (750, 1000, None, False)])
def test_perching_stool_height(knee: float, worktop: float, seat: float | None, warn: bool) -> None:
    result = perching_stool(knee_height_mm=knee, worktop_height_mm=worktop)
    assert result.value_mm == (round(seat) if seat else None) or (seat and abs(result.value_mm - seat) < 1)
    assert bool(result.warnings) is warn
    assert result.calculation.startswith(f"knee height {knee:.0f} mm + 100 mm perch")
    if seat is None:
        assert not result.feasible and "chair" in result.alternative


def test_shipped_paths_are_found() -> None:
    assert [p.name for p in shipped_paths()] == ["home_and_mobility.v1.toml", "personal_care.v1.toml"]
