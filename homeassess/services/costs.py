"""Per-recommendation cost, funding and order details; visit totals and the budget cap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.domain.catalogue import CURRENCY, CatalogueEntry
from homeassess.domain.costs import (
    BudgetPlan, CostLine, FundingRoute, Totals, funding_notes, plan_budget, suggest_funding, totals,
)
from homeassess.domain.errors import FieldError, ValidationError
from homeassess.domain.input_rules import check_date, check_number, check_optional
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.sizing import safe_working_load
from homeassess.domain.text_rules import clean_kind, collect
from homeassess.services.assessments import editable_assessment
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.lookup import get_live
from homeassess.services.recommendations import WHO, editable_recommendation, list_recommendations
from homeassess.services.sizing import sized_by, sizing_for, visit_sizings

# Recommendations that still count towards cost: everything not declined.
COSTED_STATUSES = ("proposed", "agreed", "ordered", "installed", "in_use", "not_used")
URGENCIES = ("urgent", "soon", "routine")
ORDER_TYPES = ("", "purchase", "hire", "loan", "trial")   # "": set by the funding routes (old: purchase, loan)


@dataclass(frozen=True, slots=True)
class OrderLineView:
    """What the recommendation editor shows for cost, funding and ordering."""

    rec_id: str
    who: str
    cost_estimate: float | None
    estimate_from: str          # "entered", "product", "free" (advice, referral), "" (none)
    currency: str
    funding_route: str          # as stored ("" = not chosen)
    suggested_funding: str
    funding_note: str
    approval_no: str
    quantity: int
    size_setting: str
    suggested_setting: str
    sizing_calculation: str
    fit_location: str
    fit_height_mm: float | None
    suggested_height_mm: float | None
    install_needed: bool
    product_id: str | None
    product_text: str
    swl_warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResolvedProduct:
    """A chosen catalogue row with the generic item it is (itself, or what a supplier product maps to)."""

    item: m.CatalogueItem
    generic: m.CatalogueItem | None
    entry: CatalogueEntry | None

    @property
    def swl_kg(self) -> float | None:
        return self.item.swl_kg or (self.generic.swl_kg if self.generic is not None else None)

    @property
    def hcpcs(self) -> str:
        return self.item.hcpcs or (self.generic.hcpcs if self.generic is not None else "")

    @property
    def iso9999(self) -> str:
        return self.item.iso9999 or (self.generic.iso9999 if self.generic is not None else "")

    def unit_price(self, region: StandardProfile) -> float | None:
        """A supplier's price, or the middle of the generic item's typical range for the region."""
        if self.item.source == "generic" and self.entry is not None:
            return self.entry.typical_cost(region)
        return self.item.price


def resolve_product(ctx: AppContext, session: Session, item_id: str | None) -> ResolvedProduct | None:
    item = session.get(m.CatalogueItem, item_id) if item_id else None
    if item is None:
        return None
    generic = item if item.source == "generic" else (session.get(m.CatalogueItem, item.generic_id)
                                                     if item.generic_id else None)
    return ResolvedProduct(item, generic, ctx.catalogue.get(generic.code) if generic is not None else None)


def order_line(ctx: AppContext, rec_id: str) -> OrderLineView:
    with ctx.uow(read_only=True) as uow:
        rec = get_live(uow.session, m.Recommendation, rec_id, "recommendation")
        assessment = uow.session.get(m.Assessment, rec.assessment_id)
        room = uow.session.get(m.Room, rec.room_id) if rec.room_id else None
        return order_line_for(ctx, uow.session, rec, assessment, visit_sizings(uow.session, assessment, ctx.registry),
                           room.name if room else None)


def order_line_for(ctx: AppContext, session: Session, rec: m.Recommendation, assessment: m.Assessment,
                sizings: list, room_name: str | None) -> OrderLineView:
    region = StandardProfile(assessment.standard)
    product = resolve_product(ctx, session, rec.catalogue_item_id)
    unit = product.unit_price(region) if product is not None else None
    if rec.cost_estimate is not None:
        estimate, source = rec.cost_estimate, "entered"
    elif unit is not None:
        estimate, source = unit * rec.quantity, "product"
    elif rec.cost == "free":
        estimate, source = 0.0, "free"
    else:
        estimate, source = None, ""
    hcpcs = product.hcpcs if product is not None else ""
    suggested = suggest_funding(region=region, category=rec.category, cost=estimate, hcpcs=hcpcs)
    route = FundingRoute(rec.funding_route) if rec.funding_route else suggested
    sizing = sizing_for(sizings, sized_by(ctx.registry, rec.template_id), room_name, region,
                        DisplayUnits(assessment.units))
    product_text, warnings = "", ()
    weight = assessment.client.weight_kg
    if product is not None:
        item = product.item
        product_text = f"{item.supplier}: {item.code} {item.name}" if item.source == "supplier" else \
            f"{item.name} ({item.code}, generic)"
        if product.swl_kg and weight:
            warnings = safe_working_load(client_weight_kg=weight, swl_kg=product.swl_kg, product=item.name)
    install = product.entry.install if product is not None and product.entry is not None else False
    return OrderLineView(
        rec_id=rec.id, who=rec.who, cost_estimate=estimate, estimate_from=source, currency=CURRENCY[region],
        funding_route=rec.funding_route, suggested_funding=suggested.value,
        funding_note=funding_notes(route, estimate, hcpcs), approval_no=rec.approval_no, quantity=rec.quantity,
        size_setting=rec.size_setting, suggested_setting=sizing.setting if sizing and sizing.feasible else "",
        sizing_calculation=sizing.calculation if sizing else "", fit_location=rec.fit_location,
        fit_height_mm=rec.fit_height_mm, suggested_height_mm=sizing.fit_height_mm if sizing else None,
        install_needed=rec.install_needed if rec.install_needed is not None else install,
        product_id=rec.catalogue_item_id, product_text=product_text, swl_warnings=warnings)


_UNSET: Any = object()


def set_order_line(ctx: AppContext, rec_id: str, *, who: str | None = None, cost_estimate: Any = _UNSET,
                   funding_route: str | None = None, approval_no: str | None = None, quantity: int | None = None,
                   size_setting: str | None = None, fit_location: str | None = None, fit_height_mm: Any = _UNSET,
                   install_needed: Any = _UNSET) -> Changes:
    """Change any of the order/cost fields; ``None`` for a number clears it (falls back to the product)."""
    errors: list[FieldError] = []
    if who is not None and who not in WHO:
        errors.append(FieldError("who", f"must be one of {', '.join(WHO)}"))
    if cost_estimate is not _UNSET:
        cost_estimate = collect(errors, check_optional, cost_estimate, field="cost_estimate", rule="cost_estimate")
    if funding_route is not None and funding_route and funding_route not in {f.value for f in FundingRoute}:
        errors.append(FieldError("funding_route", "is not a funding route"))
    if quantity is not None:
        quantity = collect(errors, check_number, quantity, field="quantity", rule="order_quantity")
    if fit_height_mm is not _UNSET:
        fit_height_mm = collect(errors, check_optional, fit_height_mm, field="fit_height_mm", rule="fit_height_mm")
    if install_needed is not _UNSET and install_needed is not None and not isinstance(install_needed, bool):
        errors.append(FieldError("install_needed", "Needs installation must be yes or no"))
    texts = {name: None if value is None else collect(errors, clean_kind, value, field=name, kind=kind)
             for name, value, kind in (("approval_no", approval_no, "code"), ("size_setting", size_setting, "line"),
                                       ("fit_location", fit_location, "title"))}
    approval_no, size_setting, fit_location = texts["approval_no"], texts["size_setting"], texts["fit_location"]
    if errors:
        raise ValidationError(errors)
    with ctx.uow() as uow:
        rec = editable_recommendation(uow.session, rec_id)
        for name, value in (("who", who), ("funding_route", funding_route), ("approval_no", approval_no),
                            ("quantity", quantity), ("size_setting", size_setting), ("fit_location", fit_location)):
            if value is not None:
                setattr(rec, name, value.strip() if isinstance(value, str) else value)
        for name, value in (("cost_estimate", cost_estimate), ("fit_height_mm", fit_height_mm),
                            ("install_needed", install_needed)):
            if value is not _UNSET:
                setattr(rec, name, value)
        rec.updated_at = ctx.clock.now()
    return Changes(recommendations=True)


@dataclass(frozen=True, slots=True)
class CostSummary:
    currency: str
    lines: list[CostLine]
    totals: Totals
    budget: BudgetPlan | None


def cost_summary(ctx: AppContext, assessment_id: str) -> CostSummary:
    views = [v for v in list_recommendations(ctx, assessment_id) if v.status in COSTED_STATUSES]
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        sizings = visit_sizings(uow.session, assessment, ctx.registry)
        rows = {r.id: r for r in uow.session.scalars(select(m.Recommendation)
                                                     .where(m.Recommendation.assessment_id == assessment_id))}
        lines = []
        for view in views:
            line = order_line_for(ctx, uow.session, rows[view.id], assessment, sizings, view.room_name)
            lines.append(CostLine(view.id, view.title, int(view.tier), view.score, line.cost_estimate,
                                  line.funding_route or line.suggested_funding))
        currency, cap = CURRENCY[StandardProfile(assessment.standard)], assessment.budget_cap
    return CostSummary(currency, lines, totals(lines), plan_budget(lines, cap) if cap is not None else None)


def set_budget(ctx: AppContext, assessment_id: str, cap: float | None) -> Changes:
    cap = check_optional(cap, field="budget_cap", rule="budget_cap")
    with ctx.uow() as uow:
        editable_assessment(uow.session, assessment_id).budget_cap = cap
    return Changes(assessment_meta=True)


ORDER_HEADER_FIELDS = ("therapist_name", "therapist_profession", "therapist_registration", "organisation",
                       "therapist_phone", "therapist_email", "order_urgency", "order_required_by", "order_type",
                       "delivery_address", "delivery_contact", "access_notes", "safety_alerts")
#: Each free-text field of the order header and its kind in ``text_rules.TEXT_LIMITS``.
ORDER_HEADER_TEXT = {"therapist_name": "name", "therapist_profession": "title", "therapist_registration": "code",
                     "organisation": "name", "therapist_phone": "code", "therapist_email": "title",
                     "delivery_address": "address", "delivery_contact": "line", "access_notes": "note",
                     "safety_alerts": "note"}


def order_header(ctx: AppContext, assessment_id: str) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        return {name: getattr(assessment, name) for name in ORDER_HEADER_FIELDS}


def set_order_header(ctx: AppContext, assessment_id: str, **fields: Any) -> Changes:
    """Prescriber, urgency, delivery and safety-alert details printed on every order."""
    errors = [FieldError(k, "is not an order field") for k in fields if k not in ORDER_HEADER_FIELDS]
    if "order_urgency" in fields and fields["order_urgency"] not in URGENCIES:
        errors.append(FieldError("order_urgency", f"must be one of {', '.join(URGENCIES)}"))
    if "order_type" in fields and fields["order_type"] not in ORDER_TYPES:
        errors.append(FieldError("order_type", f"must be one of {', '.join(ORDER_TYPES)}"))
    if fields.get("order_required_by") is not None:
        fields["order_required_by"] = collect(errors, check_date, fields["order_required_by"],
                                              field="order_required_by", rule="order_required_by",
                                              today=ctx.clock.today())
    for name, kind in ORDER_HEADER_TEXT.items():
        if name in fields:
            fields[name] = collect(errors, clean_kind, fields[name], field=name, kind=kind)
    if errors:
        raise ValidationError(errors)
    with ctx.uow() as uow:
        assessment = editable_assessment(uow.session, assessment_id)
        for name, value in fields.items():
            setattr(assessment, name, value.strip() if isinstance(value, str) else value)
        assessment.updated_at = ctx.clock.now()
    return Changes(assessment_meta=True)
