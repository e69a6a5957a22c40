"""The supplier order list: agreed recommendations with a product, grouped by supplier (REFERENCE §5.5)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from homeassess.db import models as m
from homeassess.domain.catalogue import CURRENCY, money
from homeassess.domain.client import Cognition, Condition, MobilityAid
from homeassess.domain.costs import FUNDING_LABELS, WHO_LABELS, FundingRoute
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.reports.model import Field, OrderGroup, OrderLine, OrderModel
from homeassess.services.context import AppContext
from homeassess.services.costs import order_line_for, resolve_product
from homeassess.services.lookup import get_live
from homeassess.services.recommendations import recommendation_views
from homeassess.services.reports import run_report_job, write_atomically
from homeassess.services.settings import letterhead_for
from homeassess.services.dto import RecommendationView
from homeassess.services.sizing import visit_sizings
from homeassess.services.visit_record import status_line_for

ORDERED_STATUSES = ("agreed", "ordered")
NO_SUPPLIER = "Supplier to be chosen (generic specification)"
URGENCY_LABELS = {"urgent": "Urgent", "soon": "Soon", "routine": "Routine"}
NONE_KNOWN = "None known (no dogs, aggression, infection risk or clutter reported at the visit)"
TO_SPECIFY = "Product to specify — not yet orderable"
TO_SPECIFY_SUPPLIER = "To specify"

# The order type follows the funding route of the lines (REFERENCE §5.5, §5.6): equipment from the loan store
# stays the service's, what the client or family pays for is theirs, a grant or scheme is named in its own words.
LOAN_ROUTES = frozenset({FundingRoute.COMMUNITY_EQUIPMENT})
PRIVATE_ROUTES = frozenset({FundingRoute.SELF})
LOAN, PRIVATE, MIXED = "Loan", "Private purchase", "Mixed: see each line"
LINE_FUNDING = {FundingRoute.SELF: "Self-funded (private purchase)"}
ARRANGEMENTS = ("hire", "trial")   # chosen by the therapist; the funding routes cannot say these
CARER_WORDS = ("carer", "caregiver", "care giver")


def route_kind(route: FundingRoute) -> str:
    """What one line is for the supplier: on loan, a private purchase, or the grant or scheme's own words."""
    if route in LOAN_ROUTES:
        return LOAN
    if route in PRIVATE_ROUTES:
        return PRIVATE
    if route is FundingRoute.OTHER:
        return "Other funding: see each line"
    return FUNDING_LABELS[route]


def order_type_for(routes: Iterable[FundingRoute], chosen: str = "") -> str:
    """The order's type from its lines' funding; hire or trial only where the therapist chose one."""
    if chosen in ARRANGEMENTS:
        return chosen.capitalize()
    kinds = {route_kind(r) for r in routes}
    if not kinds:
        return "Nothing to order yet"
    return kinds.pop() if len(kinds) == 1 else MIXED


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def height_text(height_mm: float | None, units: DisplayUnits) -> str:
    if height_mm is None:
        return ""
    text = f"{height_mm:.0f} mm AFF"
    if units is DisplayUnits.IMPERIAL:
        text += f" ({height_mm / 25.4:.1f} in)"
    return text


def _alternatives(view: RecommendationView) -> str:
    """One line naming the options not chosen, so a supplier querying the choice sees them."""
    others = [o.title for o in view.options if not o.chosen and o.suitable]
    return "Chosen over: " + ", ".join(others) if others else ""


def order_id_for(assessment: m.Assessment, on: date) -> str:
    return f"HA-{assessment.id[:8].upper()}-{on:%Y%m%d}"


def build_order_model(ctx: AppContext, assessment_id: str) -> OrderModel:
    today = ctx.clock.today()
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        assessment = get_live(session, m.Assessment, assessment_id, "assessment")
        client = assessment.client
        units = DisplayUnits(assessment.units)
        sizings = visit_sizings(session, assessment, ctx.registry)
        rows = {r.id: r for r in session.scalars(select(m.Recommendation)
                                                 .where(m.Recommendation.assessment_id == assessment.id))}
        lines: list[OrderLine] = []
        to_specify: list[OrderLine] = []
        for view in recommendation_views(session, assessment):
            if view.status not in ORDERED_STATUSES or view.category not in ("equipment", "modification"):
                continue
            rec = rows[view.id]
            product = resolve_product(ctx, session, rec.catalogue_item_id)
            if product is None:
                if view.category == "equipment":   # agreed equipment stays on the order, marked "to specify"
                    info = order_line_for(ctx, session, rec, assessment, sizings, view.room_name)
                    to_specify.append(_to_specify_line(view, rec, info))
                continue
            info = order_line_for(ctx, session, rec, assessment, sizings, view.room_name)
            item, generic = product.item, product.generic
            swl_text = ""
            if product.swl_kg:
                swl_text = f"{product.swl_kg:.0f} kg" + (f" (client {client.weight_kg:.0f} kg)" if client.weight_kg else "")
            unit = info.cost_estimate / rec.quantity if info.cost_estimate is not None else None
            currency = info.currency
            if item.source == "supplier" and item.price is not None:
                unit, currency = item.price, item.currency or info.currency  # what the supplier charges
            route = info.funding_route or info.suggested_funding
            height = rec.fit_height_mm if rec.fit_height_mm is not None else info.suggested_height_mm
            trade = product.entry.trade.value if product.entry is not None else rec.who
            lines.append(OrderLine(
                tier=view.tier, supplier=item.supplier if item.source == "supplier" else NO_SUPPLIER,
                supplier_code=item.code if item.source == "supplier" else "",
                generic_code=generic.code if generic is not None else "", hcpcs=product.hcpcs,
                iso9999=product.iso9999, description=item.name,
                size_setting=rec.size_setting or info.suggested_setting, swl_text=swl_text, quantity=rec.quantity,
                unit_price=unit, line_total=unit * rec.quantity if unit is not None else None, currency=currency,
                install=info.install_needed, room=view.room_name, wall_side=rec.fit_location, height_mm=height,
                height_text=height_text(height, units),
                trade=WHO_LABELS.get(trade, trade) if info.install_needed else "",
                funding=_funding_text(route), approval_no=rec.approval_no,
                for_recommendation=view.title,
                notes="; ".join(x for x in (*info.swl_warnings, info.funding_note, _alternatives(view)) if x),
                funding_route=route, rec_id=view.id))
        lines = _merge_duplicates(lines)
        groups = []
        for supplier in sorted({line.supplier for line in lines}, key=lambda s: (s == NO_SUPPLIER, s.lower())):
            group = tuple(sorted((x for x in lines if x.supplier == supplier), key=lambda x: (x.tier, x.description)))
            groups.append(OrderGroup(supplier, group, sum(x.line_total or 0 for x in group),
                                     sum(1 for x in group if x.line_total is None)))
        currency = CURRENCY[StandardProfile(assessment.standard)]
        other_currency = sum(1 for x in lines if x.currency != currency)
        urgency = assessment.order_urgency
        required_by = assessment.order_required_by   # only a date the therapist set; urgency is its own field
        routes = [FundingRoute(x.funding_route) for x in (*lines, *to_specify) if x.funding_route]
        order_type = order_type_for(routes, assessment.order_type)
        order_id = order_id_for(assessment, today)
        name = f"{client.given_name} {client.family_name}".strip()
        identifiers = "; ".join(f"{k}: {v}" for k, v in client.identifiers.items() if str(v).strip())
        need = ", ".join([Condition(c).label for c in client.conditions] +
                         ([MobilityAid(client.mobility_aid).label] if client.mobility_aid != "none" else []))
        return OrderModel(
            title="Equipment order", order_id=order_id, order_date=today, visit_kind=assessment.kind,
            status_line=status_line_for(session, assessment), letterhead=letterhead_for(session, assessment.organisation),
            client_initials="".join(p[0] for p in (client.given_name, client.family_name) if p).upper(),
            reference=assessment.id[:8], visit_date=assessment.visit_date, currency=currency,
            header=(Field("Order ID", order_id), Field("Order date", today.strftime("%d %B %Y")),
                    Field("Urgency", URGENCY_LABELS.get(urgency, urgency)),
                    *([Field("Required by", required_by.strftime("%d %B %Y"))] if required_by else []),
                    Field("Order type", order_type)),
            prescriber=_present((Field("Name", assessment.therapist_name),
                                 Field("Profession", assessment.therapist_profession),
                                 Field("Registration no.", assessment.therapist_registration),
                                 Field("Organisation", assessment.organisation),
                                 Field("Phone", assessment.therapist_phone),
                                 Field("Email", assessment.therapist_email))),
            client=_present((Field("Name", name), Field("Identifier", identifiers),
                             Field("Date of birth", client.date_of_birth.strftime("%d %B %Y")
                                   if client.date_of_birth else ""),
                             Field("Weight", f"{client.weight_kg:.0f} kg" if client.weight_kg else "not recorded"),
                             Field("Height", f"{client.height_mm:.0f} mm" if client.height_mm else ""),
                             Field("Functional need", need))),
            delivery=_present((Field("Address", assessment.delivery_address or client.address),
                               Field("Contact", (assessment.delivery_contact or "").strip()
                                     or delivery_contact_for(client)),
                               Field("Access notes", assessment.access_notes or "None given"))),
            safety_alerts=assessment.safety_alerts.strip() or NONE_KNOWN,
            groups=tuple(groups), total=sum(x.line_total or 0 for x in lines if x.currency == currency),
            not_ordered=tuple(f"{x.description} ({x.room})" for x in to_specify), other_currency_lines=other_currency,
            follow_up=follow_up_sentences(lines, to_specify, order_type), to_specify=tuple(to_specify))


def _funding_text(route: str) -> str:
    r = FundingRoute(route)
    return LINE_FUNDING.get(r, FUNDING_LABELS[r])


def _to_specify_line(view: RecommendationView, rec: m.Recommendation, info) -> OrderLine:  # noqa: ANN001
    """Agreed equipment with no product yet: on the order so it is not forgotten, but not orderable."""
    route = info.funding_route or info.suggested_funding
    return OrderLine(
        tier=view.tier, supplier=TO_SPECIFY_SUPPLIER, supplier_code="", generic_code="", hcpcs="", iso9999="",
        description=view.title, size_setting=rec.size_setting or info.suggested_setting, swl_text="",
        quantity=rec.quantity, unit_price=None, line_total=None, currency=info.currency, install=info.install_needed,
        room=view.room_name, wall_side=rec.fit_location, height_mm=None, height_text="", trade="",
        funding=_funding_text(route), approval_no=rec.approval_no, for_recommendation=view.title,
        notes=view.clinical_text, funding_route=route, to_specify=True, rec_id=view.id)


def follow_up_sentences(lines: list[OrderLine], to_specify: list[OrderLine], order_type: str) -> tuple[str, ...]:
    """Delivery, hand-over and return terms that agree with the order type and what the lines are."""
    kinds = {route_kind(FundingRoute(x.funding_route)) for x in lines if x.funding_route}
    mixed = len(kinds) > 1
    out = []
    if lines:
        out.append("Hand-over and training by the prescriber or supplier at delivery.")
    if any(x.install for x in lines):
        out.append("Items marked for installation: do not use until fitted and checked.")
    if LOAN in kinds:
        out.append("Lines funded by the community equipment service are on loan: they remain the property of the "
                   "service; collect when no longer needed." if mixed else
                   "This equipment is on loan: it remains the property of the service; collect when no longer needed.")
    if PRIVATE in kinds:
        out.append("Self-funded lines are a private purchase: invoice the client, not the service; the items are "
                   "theirs to keep." if mixed else
                   "Private purchase: invoice the client, not the service; the items are theirs to keep.")
    schemes = sorted(kinds - {LOAN, PRIVATE})
    if schemes:
        out.append(f"{'Lines funded by' if mixed else 'Funded by'} {'; '.join(schemes)}: quote the approval number "
                   "on the invoice; where it shows pending, check with the prescriber before supplying.")
    if order_type == "Hire":
        out.append("Hire: collect at the end of the hire period agreed with the prescriber.")
    elif order_type == "Trial":
        out.append("Trial: at the end of the trial, collect the items or confirm the purchase with the prescriber.")
    if to_specify:
        out.append("Lines marked “Product to specify” are not yet orderable: the prescriber will send the product "
                   "details.")
    return tuple(out)


def delivery_contact_for(client: m.Client) -> str:
    """Who the supplier rings about delivery when the therapist typed nobody: a contact recorded as the carer,
    else the first contact when the client has a cognitive impairment, else the client. Phone numbers kept."""
    contacts = [c for c in (client.contacts or []) if str(c.get("name", "")).strip()]
    carer = next((c for c in contacts
                  if any(w in str(c.get("relationship", "")).lower() for w in CARER_WORDS)), None)
    impaired = (client.cognition != Cognition.INTACT.value
                or Condition.DEMENTIA.value in (client.conditions or []))
    chosen = carer or (contacts[0] if impaired and contacts else None)
    name = f"{client.given_name} {client.family_name}".strip()
    if chosen is None:
        return ", ".join(x for x in (name, client.phone) if x)
    relationship = str(chosen.get("relationship", "")).strip()
    text = str(chosen["name"]).strip() + (f" ({relationship})" if relationship else "")
    if str(chosen.get("phone", "")).strip():
        text += f", {str(chosen['phone']).strip()}"
    if not impaired and client.phone:
        text += f"; or {client.given_name or name} on {client.phone}"
    return text


def _merge_duplicates(lines: list[OrderLine]) -> list[OrderLine]:
    """Two recommendations answered by the same loose item (e.g. one alarm pendant) make one line."""
    from dataclasses import replace

    merged: dict[tuple, OrderLine] = {}
    out: list[OrderLine] = []
    for line in lines:
        key = (line.supplier, line.supplier_code, line.generic_code, line.description, line.size_setting)
        first = merged.get(key) if not line.install else None
        if first is None:
            merged[key] = line
            out.append(line)
            continue
        combined = replace(first, tier=min(first.tier, line.tier), quantity=max(first.quantity, line.quantity),
                           for_recommendation=f"{first.for_recommendation}; {line.for_recommendation}")
        combined = replace(combined, line_total=None if combined.unit_price is None
                           else combined.unit_price * combined.quantity)
        out[out.index(first)] = merged[key] = combined
    return out


def _present(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    return tuple(f for f in fields if f.value.strip())


CSV_COLUMNS = ("Order ID", "Supplier", "Supplier code", "Generic code", "HCPCS", "ISO 9999", "Description",
               "Size / setting", "SWL", "Quantity", "Unit price", "Line total", "Currency", "Installation",
               "Room", "Wall / side", "Height AFF (mm)", "Trade", "Funding", "Approval no.", "Priority",
               "For recommendation", "Notes", "Client", "Required by", "Safety alerts", "Line status")


def write_orders_csv(order: OrderModel, out: Path, *, scratch: Path | None = None) -> Path:
    """UTF-8 with a byte-order mark and CRLF lines: Excel and LibreOffice both open it with accents intact."""
    client = next((f.value for f in order.client if f.label == "Name"), "")
    required_by = next((f.value for f in order.header if f.label == "Required by"), "")

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, dialect="excel")
            writer.writerow(CSV_COLUMNS)
            for x in [*(x for g in order.groups for x in g.lines), *order.to_specify]:
                notes = "; ".join(n for n in (TO_SPECIFY, x.notes) if n) if x.to_specify else x.notes
                writer.writerow(_csv_row([
                    order.order_id, x.supplier, x.supplier_code, x.generic_code, x.hcpcs, x.iso9999,
                    x.description, x.size_setting, x.swl_text, str(x.quantity), _num(x.unit_price),
                    _num(x.line_total), x.currency, "Yes" if x.install else "No", x.room,
                    x.wall_side, "" if x.height_mm is None else f"{x.height_mm:.0f}", x.trade, x.funding,
                    x.approval_no, Tier(x.tier).code, x.for_recommendation, notes,
                    client, required_by, order.safety_alerts, TO_SPECIFY if x.to_specify else "Order"]))

    return write_atomically(out, write, scratch=scratch)


# The cells we format from numbers ourselves; every other cell is text (see _cell).
NUMERIC_COLUMNS = frozenset({"Quantity", "Unit price", "Line total", "Height AFF (mm)"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_row(values: list[str]) -> list[str]:
    return [v if column in NUMERIC_COLUMNS else _cell(v) for column, v in zip(CSV_COLUMNS, values, strict=True)]


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _cell(text: str) -> str:
    """Stop a spreadsheet running a text cell as a formula (CSV injection, OWASP's rule): text
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``.

    The rule goes by where a cell comes from, not by what it looks like: every text cell (a
    supplier's name or code from a third-party price list, a product name, a person's note, even
    "-2+3") is escaped; only the numbers formatted here (quantity, prices, height; NUMERIC_COLUMNS)
    are written as they are, so a negative amount would stay a number."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def order_summary_text(order: OrderModel) -> str:
    """'12 order lines (3 from 2 named suppliers; 9 with the supplier to be chosen), total £858.94; …'"""
    text = f"{order_lines_text(order)}, total {money(order.total, order.currency)}"
    if order.to_specify:
        text += f"; {plural(len(order.to_specify), 'item')} still to specify (no product chosen, not in the total)"
    return text


def order_lines_text(order: OrderModel) -> str:
    """The order lines counted, and what the supplier count counts (a generic line has no supplier yet)."""
    count = sum(len(g.lines) for g in order.groups)
    named = [g for g in order.groups if g.supplier != NO_SUPPLIER]
    from_named = sum(len(g.lines) for g in named)
    suppliers = f"from {plural(len(named), 'named supplier')}"
    generic = "with the supplier to be chosen"
    if from_named and from_named < count:
        return f"{plural(count, 'order line')} ({from_named} {suppliers}; {count - from_named} {generic})"
    return f"{plural(count, 'order line')} {suppliers if from_named else generic}" if count else "no order lines"


@dataclass(frozen=True, slots=True)
class UnspecifiedItem:
    """Agreed equipment with no product chosen: the order lists it as "to specify"; the app flags it."""

    rec_id: str
    title: str
    room: str
    template_id: str | None


def items_to_specify(ctx: AppContext, assessment_id: str) -> list[UnspecifiedItem]:
    """What the order will list as "Product to specify — not yet orderable" (cheap: no sizing, no prices)."""
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        chosen = dict(uow.session.execute(select(m.Recommendation.id, m.Recommendation.catalogue_item_id)
                                          .where(m.Recommendation.assessment_id == assessment.id)).all())
        return [UnspecifiedItem(v.id, v.title, v.room_name, v.template_id)
                for v in recommendation_views(uow.session, assessment)
                if v.status in ORDERED_STATUSES and v.category == "equipment"
                and resolve_product(ctx, uow.session, chosen.get(v.id)) is None]


def generate_orders_csv(ctx: AppContext, assessment_id: str, out: Path) -> tuple[Path, OrderModel]:
    order = build_order_model(ctx, assessment_id)
    return write_orders_csv(order, out, scratch=ctx.scratch_dir), order


def generate_order_pdf(ctx: AppContext, assessment_id: str, out: Path, *, progress=None, cancel=None) -> Path:  # noqa: ANN001
    """Job: the supplier order list as PDF; safe in a worker thread."""
    from homeassess.reports.orders_pdf import render_order_pdf

    return run_report_job(lambda: build_order_model(ctx, assessment_id), render_order_pdf, out,
                          progress=progress, cancel=cancel, collecting="Collecting order lines",
                          scratch=ctx.scratch_dir)
