"""The equipment catalogue as the therapist uses it: browse, import a supplier's list, pick a product.

Generic entries come from the shipped data files and are mirrored into ``catalogue_item`` rows
(source "generic") so a recommendation can point at a generic or a supplier product alike.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.catalogue.supplier_csv import MAX_BYTES, RowError, SupplierFile, parse_supplier_csv
from homeassess.db import models as m
from homeassess.domain.catalogue import CURRENCY, CatalogueEntry, CatalogueFilter, money, suggest_generic
from homeassess.domain.errors import FieldError, NotFoundError, ValidationError
from homeassess.domain.input_files import UnusablePathError, read_input_bytes
from homeassess.domain.profiles import StandardProfile
from homeassess.domain.sizing import safe_working_load
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.lookup import get_live
from homeassess.services.recommendations import editable_recommendation


#: A currency as stored (``catalogue_item.currency`` holds three characters: ISO 4217 codes).
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class ProductView:
    """A generic entry or a supplier product, as the browser and the product picker show it."""

    id: str
    source: str          # "generic" or "supplier"
    supplier: str
    code: str
    name: str
    description: str
    sizes: str
    swl_kg: float | None
    price: float | None  # supplier price, or the typical cost for the region
    price_text: str      # "£24.50" or "£25–£55 typical"
    currency: str
    generic_code: str
    generic_name: str
    mapping: str
    iso9999: str
    hcpcs: str
    category: str
    install: bool
    trade: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    suggested: int
    errors: list[RowError]

    def summary(self, name: str) -> str:
        text = f"{name}: {self.added} added, {self.updated} updated"
        if self.suggested:
            text += f", {self.suggested} matched to a generic item by name (please check)"
        if self.errors:
            text += f"; {len(self.errors)} row(s) skipped"
        return text


def ensure_generic_rows(ctx: AppContext, session: Session) -> dict[str, m.CatalogueItem]:
    """Mirror the shipped generic entries into the table (idempotent); code → row."""
    rows = {r.code: r for r in session.scalars(select(m.CatalogueItem).where(m.CatalogueItem.source == "generic"))}
    if ctx.generic_rows_synced and len(rows) >= len(ctx.catalogue):
        return rows
    now = ctx.clock.now()
    for entry in ctx.catalogue.entries.values():
        row = rows.get(entry.code)
        if row is None:
            row = rows[entry.code] = m.CatalogueItem(source="generic", code=entry.code, created_at=now)
            session.add(row)
        row.name, row.description, row.iso9999, row.hcpcs = entry.name, entry.description, entry.iso9999, entry.hcpcs
        row.sizes, row.swl_kg = entry.sizes, entry.swl_kg
    session.flush()
    ctx.generic_rows_synced = True
    return rows


def _generic_view(entry: CatalogueEntry, row_id: str, region: StandardProfile) -> ProductView:
    low, high = entry.cost_range(region)
    currency = CURRENCY[region]
    return ProductView(
        id=row_id, source="generic", supplier="", code=entry.code, name=entry.name, description=entry.description,
        sizes=entry.sizes, swl_kg=entry.swl_kg, price=entry.typical_cost(region),
        price_text=f"{money(low, currency)}–{money(high, currency)} typical", currency=currency,
        generic_code=entry.code, generic_name=entry.name, mapping="", iso9999=entry.iso9999, hcpcs=entry.hcpcs,
        category=entry.category.value, install=entry.install, trade=entry.trade.value)


def _supplier_view(ctx: AppContext, row: m.CatalogueItem, generic: m.CatalogueItem | None) -> ProductView:
    entry = ctx.catalogue.get(generic.code) if generic is not None else None
    return ProductView(
        id=row.id, source="supplier", supplier=row.supplier, code=row.code, name=row.name,
        description=row.description or (entry.description if entry else ""), sizes=row.sizes, swl_kg=row.swl_kg,
        price=row.price, price_text=money(row.price, row.currency), currency=row.currency,
        generic_code=entry.code if entry else "", generic_name=entry.name if entry else "", mapping=row.mapping,
        iso9999=row.iso9999 or (entry.iso9999 if entry else ""), hcpcs=row.hcpcs or (entry.hcpcs if entry else ""),
        category=entry.category.value if entry else "", install=entry.install if entry else False,
        trade=entry.trade.value if entry else "supplier")


def search_products(ctx: AppContext, flt: CatalogueFilter) -> list[ProductView]:
    """Generic entries matching the filter, each followed by the supplier products mapped to it;
    unmapped supplier products matching the words come last."""
    entries = ctx.catalogue.search(flt)
    with ctx.uow(read_only=ctx.generic_rows_synced) as uow:
        rows = ensure_generic_rows(ctx, uow.session)
        suppliers = list(uow.session.scalars(select(m.CatalogueItem).where(m.CatalogueItem.source == "supplier")))
        # Sorted here, not by ORDER BY: a server's collation (en_US, say) orders "acme" and "Bell" unlike
        # SQLite's code-point order, and the list must read the same on either.
        suppliers.sort(key=lambda s: (s.supplier, s.name, s.id))
        by_generic: dict[str | None, list[m.CatalogueItem]] = {}
        for s in suppliers:
            by_generic.setdefault(s.generic_id, []).append(s)
        out: list[ProductView] = []
        shown: set[str] = set()
        for entry in entries:
            generic_row = rows[entry.code]
            out.append(_generic_view(entry, generic_row.id, flt.region))
            mapped = by_generic.get(generic_row.id, [])
            out += [_supplier_view(ctx, s, generic_row) for s in mapped]
            shown |= {s.id for s in mapped}
        if not flt.recommendation_id:
            # Supplier products whose own wording matches, whatever they are mapped to.
            words = flt.text.lower().split()
            by_id = {r.id: r for r in rows.values()}
            for s in suppliers:
                generic_row = by_id.get(s.generic_id or "")
                entry = ctx.catalogue.get(generic_row.code) if generic_row is not None else None
                if s.id in shown or (flt.category is not None and (entry is None or entry.category is not flt.category)):
                    continue
                if words and all(w in f"{s.supplier} {s.code} {s.name} {s.sizes}".lower() for w in words):
                    out.append(_supplier_view(ctx, s, generic_row))
    return out


def _parse_price_list(path: Path, data: bytes, currency: str) -> SupplierFile:
    if b"\x00" in data:  # no text file holds NUL bytes; echoing the "header" of one would print junk
        raise UnusablePathError(path, "not a CSV price list (it holds binary data)")
    try:
        return parse_supplier_csv(data, default_currency=currency)
    except csv.Error as exc:  # e.g. one field longer than the csv module's 128 kB limit
        raise UnusablePathError(path, f"not a CSV price list ({exc})") from None
    except ValidationError as exc:  # the parser knows no file name: say which file it was
        raise UnusablePathError(path, "; ".join(e.message if e.field == "file" else f"{e.field}: {e.message}"
                                                for e in exc.errors)) from None


def import_supplier_csv(ctx: AppContext, path: Path, *, region: StandardProfile = StandardProfile.UK) -> ImportResult:
    """Add or update a supplier's products; good rows are kept, each bad row is reported by line.

    A folder, pipe or device, an unreadable file or one over 20 MB is refused before anything is
    read, and a file that is not a price list (binary, empty, no header) after: UnusablePathError,
    naming ``path``."""
    data = read_input_bytes(path, max_bytes=MAX_BYTES)
    parsed = _parse_price_list(path, data, CURRENCY[region])
    errors = list(parsed.errors)
    added = updated = suggested = 0
    now = ctx.clock.now()
    with ctx.uow() as uow:
        generic = ensure_generic_rows(ctx, uow.session)
        existing = {(r.supplier.casefold(), r.code.casefold()): r for r in uow.session.scalars(
            select(m.CatalogueItem).where(m.CatalogueItem.source == "supplier"))}
        for row in parsed.rows:
            if row.generic and row.generic not in generic:
                errors.append(RowError(row.line, f"generic code {row.generic!r} is not in the catalogue"))
                continue
            if not _CURRENCY_CODE.fullmatch(row.currency):
                # Refused here, not cut: a team server enforces the column's three characters (SQLite
                # would keep "POUNDS" and print it as the symbol), and one bad row must not stop the rest.
                errors.append(RowError(row.line, f"currency {row.currency!r} is not a three-letter code "
                                                 "such as GBP, USD or EUR"))
                continue
            item = existing.get((row.supplier.casefold(), row.code.casefold()))
            if item is None:
                item = m.CatalogueItem(source="supplier", supplier=row.supplier, code=row.code, created_at=now)
                uow.session.add(item)
                added += 1
            else:
                updated += 1
            item.name, item.price, item.currency, item.sizes, item.swl_kg = (
                row.name, row.price, row.currency, row.sizes, row.swl_kg)
            if row.generic:
                item.generic_id, item.mapping = generic[row.generic].id, "given"
            elif item.mapping != "confirmed":
                match = suggest_generic(row.name, ctx.catalogue)
                item.generic_id = generic[match.code].id if match else None
                item.mapping = "suggested" if match else ""
                suggested += match is not None
    errors.sort(key=lambda e: e.line)
    return ImportResult(added, updated, suggested, errors)


def map_supplier_product(ctx: AppContext, item_id: str, generic_code: str | None) -> Changes:
    """Confirm or change which generic item a supplier product is (None: not mapped)."""
    with ctx.uow() as uow:
        generic = ensure_generic_rows(ctx, uow.session)
        item = uow.session.get(m.CatalogueItem, item_id)
        if item is None or item.source != "supplier":
            raise NotFoundError("no such supplier product")
        if generic_code is not None and generic_code not in generic:
            raise ValidationError([FieldError("generic", f"{generic_code} is not in the catalogue")])
        item.generic_id = generic[generic_code].id if generic_code else None
        item.mapping = "confirmed" if generic_code else ""
    return Changes(recommendations=True)


def products_for_recommendation(ctx: AppContext, rec_id: str) -> list[ProductView]:
    """Products that answer a recommendation, with safe-working-load warnings for this client."""
    with ctx.uow(read_only=True) as uow:
        rec = get_live(uow.session, m.Recommendation, rec_id, "recommendation")
        assessment = uow.session.get(m.Assessment, rec.assessment_id)
        region, weight, template_id = StandardProfile(assessment.standard), assessment.client.weight_kg, rec.template_id
    if not template_id:
        return []
    views = search_products(ctx, CatalogueFilter(region=region, recommendation_id=template_id))
    if weight is None:
        return views
    return [_with_swl(v, weight) for v in views]


def _with_swl(view: ProductView, weight: float) -> ProductView:
    if view.swl_kg is None:
        return view
    return replace(view, warnings=safe_working_load(client_weight_kg=weight, swl_kg=view.swl_kg, product=view.name))


def choose_product(ctx: AppContext, rec_id: str, item_id: str | None) -> Changes:
    """Order this recommendation as a generic or supplier product; the cost estimate follows the price."""
    with ctx.uow() as uow:
        rec = editable_recommendation(uow.session, rec_id)
        ensure_generic_rows(ctx, uow.session)
        if item_id is None:
            rec.catalogue_item_id = None
        else:
            item = uow.session.get(m.CatalogueItem, item_id)
            if item is None:
                raise NotFoundError("no such product in the catalogue")
            rec.catalogue_item_id = item.id
            rec.cost_estimate = None  # the product's price is the estimate until one is entered
        rec.updated_at = ctx.clock.now()
    return Changes(recommendations=True)


def suggested_product(ctx: AppContext, rec_id: str) -> ProductView | None:
    """The product that fits best: one matching the sizing's value (e.g. a 150 mm seat for a 150 mm raise)
    within the client's weight, a supplier's version of it if one is mapped, else the first that fits."""
    from homeassess.services.costs import order_line

    products = products_for_recommendation(ctx, rec_id)
    if not products:
        return None
    line = order_line(ctx, rec_id)
    setting = line.suggested_setting
    safe = [p for p in products if not any("exceeds" in w for w in p.warnings)] or products
    generic = [p for p in safe if p.source == "generic"]
    size_word = setting.split(" mm")[0].split()[-1] + " mm" if " mm" in setting else ""
    # Otherwise the least costly adequate item; the therapist can choose another.
    cheapest = min(generic, key=lambda p: p.price or 0) if generic else safe[0]
    best = next((p for p in generic if size_word and size_word in p.name), cheapest)
    supplier = next((p for p in safe if p.source == "supplier" and p.generic_code == best.code), None)
    return supplier or best
