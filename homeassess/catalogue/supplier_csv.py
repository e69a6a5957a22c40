"""Read a supplier's price list from CSV: one product per row, every bad row named.

Columns (header names are matched loosely, in any order): supplier, code, name, price,
sizes, SWL (kg); optional currency and generic (a generic catalogue code to map to).
Files saved by Excel are often UTF-8 with a byte-order mark, Windows-1252, or use ";".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from homeassess.domain.errors import FieldError, ValidationError
from homeassess.domain.input_rules import NUMBERS, as_number
from homeassess.domain.text_rules import clean_kind

MAX_BYTES = 20 * 1024 * 1024
ALIASES = {
    "supplier": {"supplier", "supplier name", "vendor"},
    "code": {"code", "supplier code", "product code", "item code", "sku", "catalogue code", "part number"},
    "name": {"name", "product", "product name", "description", "item", "item name"},
    "price": {"price", "unit price", "cost", "price each", "rrp"},
    "sizes": {"sizes", "size", "dimensions", "size range"},
    "swl_kg": {"swl", "swl (kg)", "swl kg", "safe working load", "safe working load (kg)", "max user weight",
               "max user weight (kg)"},
    "currency": {"currency"},
    "generic": {"generic", "generic code", "maps to"},
}
REQUIRED = ("supplier", "code", "name", "price")
#: Each text column and its kind in ``text_rules.TEXT_LIMITS`` (what the order list and reports print).
TEXT_KINDS = {"supplier": "name", "code": "code", "name": "title", "sizes": "line", "currency": "code",
              "generic": "code"}
CURRENCIES = {"£": "GBP", "$": "USD", "A$": "AUD", "AU$": "AUD", "US$": "USD", "€": "EUR"}


@dataclass(frozen=True, slots=True)
class SupplierRow:
    line: int
    supplier: str
    code: str
    name: str
    price: float
    currency: str
    sizes: str = ""
    swl_kg: float | None = None
    generic: str = ""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class SupplierFile:
    rows: list[SupplierRow]
    errors: list[RowError]


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse_supplier_csv(data: bytes, *, default_currency: str) -> SupplierFile:
    """Good rows and per-row errors; a file with no usable header raises ValidationError."""
    if len(data) > MAX_BYTES:
        raise ValidationError([FieldError("file", "is larger than 20 MB; is it really a price list?")])
    text = decode(data)
    if not text.strip():
        raise ValidationError([FieldError("file", "is empty")])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, [])
    columns = _columns(header)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError([FieldError("header", "missing column(s): " + ", ".join(missing)
                                          + f" (found: {', '.join(h.strip() for h in header if h.strip()) or 'none'})")])
    rows, errors, seen = [], [], {}
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        line = reader.line_num
        try:
            row = _row(record, columns, line, default_currency)
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        key = (row.supplier.casefold(), row.code.casefold())
        if key in seen:
            errors.append(RowError(line, f"code {row.code!r} for {row.supplier} is already on line {seen[key]}"))
            continue
        seen[key] = line
        rows.append(row)
    return SupplierFile(rows, errors)


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = " ".join(name.strip().lower().replace("_", " ").split())
        for field_name, names in ALIASES.items():
            if key in names and field_name not in found:
                found[field_name] = index
    return found


def _row(record: list[str], columns: dict[str, int], line: int, default_currency: str) -> SupplierRow:
    problems: list[str] = []
    cells: dict[str, str] = {}

    def cell(name: str) -> str:
        if name not in cells:
            index = columns.get(name)
            raw = record[index] if index is not None and index < len(record) else ""
            try:   # control characters removed; a cell longer than its field is refused, never cut
                cells[name] = clean_kind(raw, field=name, kind=TEXT_KINDS.get(name, "line"), label=name)
            except ValidationError as exc:
                problems.append(exc.errors[0].message)
                cells[name] = ""
        return cells[name]

    problems += [f"{name} is empty" for name in ("supplier", "code", "name") if not cell(name)]
    price, currency = None, (cell("currency").upper() or default_currency)
    try:
        price, symbol_currency = parse_price(cell("price"))
        currency = cell("currency").upper() or symbol_currency or default_currency
    except ValueError as exc:
        problems.append(str(exc))
    swl = None
    if cell("swl_kg"):
        rule = NUMBERS["product_swl_kg"]
        match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(kg)?", cell("swl_kg").lower())
        if not match or not rule.low <= (swl := float(match[1].replace(",", "."))) <= rule.high:
            problems.append(f"SWL {cell('swl_kg')!r} is not a weight in kg between {rule.low:g} and {rule.high:g}")
            swl = None
    if problems:
        raise ValueError("; ".join(problems))
    assert price is not None
    return SupplierRow(line, cell("supplier"), cell("code"), cell("name"), price, currency, cell("sizes"), swl,
                       cell("generic").upper())


def parse_price(text: str) -> tuple[float, str]:
    """'£1,234.50', '45,00 €', 'A$89' → (amount, currency or '')."""
    raw = text.strip()
    if not raw:
        raise ValueError("price is empty")
    currency = ""
    for symbol in sorted(CURRENCIES, key=len, reverse=True):
        if symbol in raw:
            currency = CURRENCIES[symbol]
            raw = raw.replace(symbol, "")
            break
    raw = raw.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{1,2}", raw) or re.fullmatch(r"\d+,\d{1,2}", raw):
        raw = raw.replace(".", "").replace(",", ".")  # European decimal comma
    else:
        raw = raw.replace(",", "")
    try:   # a plain finite number: "nan", "inf" and "1e999" are not prices
        value = as_number(raw, field="price", label="price")
    except ValidationError:
        raise ValueError(f"price {text.strip()!r} is not a number") from None
    rule = NUMBERS["unit_price"]
    if not rule.low <= value <= rule.high:
        raise ValueError(f"price {text.strip()!r} is outside 0 – {rule.high:,.0f}")
    return value, currency
