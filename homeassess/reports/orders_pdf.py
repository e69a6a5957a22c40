"""The supplier order list as a landscape PDF: header blocks, a safety-alert box, one table per supplier."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from homeassess.domain.catalogue import money
from homeassess.reports.model import Field, OrderGroup, OrderModel
from homeassess.reports.pdf import ReportRenderer, esc
from homeassess.reports.styles import BAND, PALE, RULE, TIER_COLOURS
from homeassess.reports.text import BLOCK_LIMIT

ALERT = colors.HexColor("#B42318")
ALERT_TINT = colors.HexColor("#FEF3F2")


NO_SUPPLIER_PREFIX = "Supplier to be chosen"
TO_SPECIFY = "Product to specify — not yet orderable"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class TableWithTail(Flowable):
    """A heading, a table and what follows it (order total, hand-over, signature): the table's last rows stay on
    one page with that tail, and the heading with the table's first rows.

    The table fills the page as far as it can, except its last ``keep`` rows (the last line and its subtotal);
    those go on with the tail, and ReportLab repeats the header row there. A tail taller than a page just flows on.
    """

    def __init__(self, head: list[Flowable], table: Table, tail: list[Flowable], keep: int = 1) -> None:
        super().__init__()
        self.head, self.table, self.tail, self.keep = head, table, tail, keep

    def _heights(self, flowables: list[Flowable], width: float) -> float:
        return sum(f.wrapOn(self.canv, width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, table_height = self.table.wrapOn(self.canv, avail_width, avail_height)
        self.width = avail_width
        self.height = self._heights(self.head, avail_width) + table_height + self._heights(self.tail, avail_width)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self._heights(self.head, avail_width)
        self.table.wrapOn(self.canv, avail_width, room)
        before_kept = sum(self.table._rowHeights[:-self.keep]) + 0.01   # noqa: SLF001 (set by wrap)
        parts = self.table.split(avail_width, min(room, before_kept)) if room > 0 else []
        if len(parts) == 2:
            return [*self.head, parts[0], TableWithTail([], parts[1], self.tail, self.keep)]
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return [*self.head, self.table, *self.tail]   # cannot be kept together on any page: flow as it comes
        return []                                          # nothing fits above the tail here: all to the next page

    def draw(self) -> None:
        y = self.height
        for f in (*self.head, self.table, *self.tail):
            y -= f.getSpaceBefore()
            w, h = f.wrapOn(self.canv, self.width, 10_000)
            y -= h
            f.drawOn(self.canv, 0, y, _sW=self.width - w)   # aligned as the frame would (hAlign)
            y -= f.getSpaceAfter()


class OrderListRenderer(ReportRenderer):
    landscape = True
    margin = 14 * mm
    base_size = 9.5

    def __init__(self, model: OrderModel) -> None:
        super().__init__(model)  # type: ignore[arg-type]
        # Each supplier group opens with a CondPageBreak (and a short one is kept whole), so its heading never
        # sits alone; keep-with-next would carry a long group whole to the next page and leave this one half empty.
        self.styles["h1"].keepWithNext = 0

    def story(self) -> list[Flowable]:
        o: OrderModel = self.model  # type: ignore[assignment]
        story: list[Flowable] = [self.p(f"Equipment order {esc(o.order_id)}", "title"),
                                 self.p("Supplier order list from an occupational therapy "
                                        f"{'workplace' if o.visit_kind == 'workplace' else 'home'} assessment",
                                        "subtitle"),
                                 *self.status_block(), self._blocks(), Spacer(1, 6), self._alerts(), Spacer(1, 4)]
        sections = [self._group(g) for g in o.groups]
        if o.to_specify:
            n = len(o.to_specify)
            story.append(self.p(f"<font color='#B42318'><b>Also on this order: {_plural(n, 'agreed item')} with no "
                                f"product chosen yet</b></font> ({'it is' if n == 1 else 'they are'} listed under "
                                "“To specify” after the order lines and cannot be ordered yet).", "body"))
            sections.append(self._to_specify())
        if not sections:
            story.append(self.p("No agreed equipment on this visit: nothing to order.", "h2"))
            return story + self._tail()
        for heading, table, count in sections[:-1]:
            # A short group stays with its heading; a long one may start on this page and run on.
            story += [CondPageBreak(40 * mm), *([KeepTogether([heading, table])] if count <= 3 else [heading, table])]
        heading, table, _ = sections[-1]
        # The last order line, the total, the hand-over terms and the signature share a page.
        keep = 1 if o.to_specify else 2   # a supplier table ends in its subtotal row
        return story + [CondPageBreak(40 * mm), TableWithTail([heading], table, self._tail(), keep)]

    def _tail(self) -> list[Flowable]:
        o: OrderModel = self.model  # type: ignore[assignment]
        tail: list[Flowable] = []
        if o.groups or o.to_specify:
            tail.append(self.p(self._total_text(), "h2"))
        tail.append(self.p("Delivery, installation and hand-over", "h2"))
        tail += [self.p("• " + esc(s), "body") for s in o.follow_up]
        tail += [Spacer(1, 10), self.field_table([Field("Prescriber signature", " "), Field("Date", " ")], 60 * mm)]
        return tail

    def _total_text(self) -> str:
        """What each count counts: order lines, named suppliers, lines still without one, items to specify."""
        o: OrderModel = self.model  # type: ignore[assignment]
        count = sum(len(g.lines) for g in o.groups)
        named = [g for g in o.groups if not g.supplier.startswith(NO_SUPPLIER_PREFIX)]
        from_named = sum(len(g.lines) for g in named)
        suppliers, generic = f"from {_plural(len(named), 'named supplier')}", "with the supplier to be chosen"
        if from_named and from_named < count:
            which = f" ({from_named} {suppliers}; {count - from_named} {generic})"
        else:
            which = f" {suppliers if from_named else generic}" if count else ""
        text = f"<b>Order total: {esc(money(o.total, o.currency))}</b> for {_plural(count, 'order line')}{which}"
        notes = []
        if o.other_currency_lines:
            notes.append(f"{_plural(o.other_currency_lines, 'line')} priced in another currency "
                         f"{'is' if o.other_currency_lines == 1 else 'are'} not in this total")
        if o.to_specify:
            n = len(o.to_specify)
            notes.append(f"{_plural(n, 'item')} to specify {'is' if n == 1 else 'are'} not in this total")
        return text + (". " + "; ".join(notes).capitalize() + "." if notes else ".")

    def _block(self, title: str, fields: tuple[Field, ...], width: float) -> Table:
        rows = [[self.p(f"<b>{esc(title)}</b>", "cell_bold"), ""]]
        rows += [[self.p(esc(f.label), "cell_small"), self.p(esc(f.value, BLOCK_LIMIT), "cell")] for f in fields]
        table = Table(rows, colWidths=[21 * mm, width - 21 * mm])
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 0.6, RULE), ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        return table

    def _blocks(self) -> Table:
        o: OrderModel = self.model  # type: ignore[assignment]
        w = (self.frame_width - 3 * 4 * mm) / 4
        cells = [[self._block("Order", o.header, w), self._block("Prescriber", o.prescriber, w),
                  self._block("Client", o.client, w), self._block("Delivery", o.delivery, w)]]
        table = Table(cells, colWidths=[w + 4 * mm] * 3 + [w])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm)]))
        return table

    def _alerts(self) -> Table:
        o: OrderModel = self.model  # type: ignore[assignment]
        table = Table([[self.p("<font color='#B42318'><b>SAFETY ALERTS for delivery and fitting staff</b></font>",
                               "cell_bold"), self.p(esc(o.safety_alerts), "cell_bold")]],
                      colWidths=[70 * mm, self.frame_width - 70 * mm])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.4, ALERT), ("BACKGROUND", (0, 0), (-1, -1), ALERT_TINT),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        return table

    def _columns(self, widths: list[float]) -> list[float]:
        scale = self.frame_width / (sum(widths) * mm)
        return [w * mm * scale for w in widths]

    def _table_style(self) -> list:
        return [("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3)]

    def _to_specify(self) -> tuple[Flowable, Table, int]:
        """Agreed equipment with no product: listed so it is not forgotten, clearly not orderable yet."""
        o: OrderModel = self.model  # type: ignore[assignment]
        heading = self.p(f"To specify: {_plural(len(o.to_specify), 'agreed item')} with no product chosen yet", "h1")
        col = self._columns([7, 106, 9, 60, 40, 9])
        head = ["#", "Item and specification", "Qty", "Sizing / setting and room", "Funding", "Pri."]
        rows: list[list] = [[self.p(f"<b>{h}</b>", "cell_small") for h in head]]
        style = self._table_style()
        for n, x in enumerate(o.to_specify, start=1):
            item = [f"<b>{esc(x.description)}</b>", f"<font color='#B42318'><b>{TO_SPECIFY}</b></font>"]
            if x.notes:
                item.append(f"<font color='#667085'>Specification: {esc(x.notes)}</font>")
            place = [f"Size / setting: <b>{esc(x.size_setting)}</b>" if x.size_setting
                     else "Size / setting: <i>to confirm</i>", f"Room: {esc(x.room)}"]
            rows.append([self.p(str(n), "cell"), self.p("<br/>".join(item), "cell"), self.p(str(x.quantity), "cell"),
                         self.p("<br/>".join(place), "cell"), self.p(esc(x.funding), "cell"),
                         self.p(f"<font color='white'><b>{x.tier.code}</b></font>", "cell")])
            style.append(("BACKGROUND", (5, n), (5, n), TIER_COLOURS[x.tier]))
        table = Table(rows, colWidths=col, repeatRows=1)
        table.setStyle(TableStyle(style))
        return heading, table, len(o.to_specify)

    def _group(self, group: OrderGroup) -> tuple[Flowable, Table, int]:
        title = group.supplier if group.supplier.startswith(NO_SUPPLIER_PREFIX) else f"Supplier: {group.supplier}"
        heading = self.p(esc(title), "h1")
        col = self._columns([7, 36, 70, 9, 17, 18, 60, 40, 9])
        head = ["#", "Codes", "Item, size / setting", "Qty", "Unit price", "Line total",
                "Installation and fitting location", "Funding / approval", "Pri."]
        rows: list[list] = [[self.p(f"<b>{h}</b>", "cell_small") for h in head]]
        style = self._table_style()
        for n, x in enumerate(group.lines, start=1):
            codes = [f"<b>{esc(x.supplier_code)}</b>" if x.supplier_code else "<i>no supplier code</i>"]
            codes += [f"Generic&nbsp;{esc(x.generic_code)}" if x.generic_code else "",
                      f"HCPCS {esc(x.hcpcs)}" if x.hcpcs else "", f"ISO 9999 {esc(x.iso9999)}" if x.iso9999 else ""]
            item = [f"<b>{esc(x.description)}</b>"]
            if x.size_setting:
                item.append(f"Size / setting: <b>{esc(x.size_setting)}</b>")
            if x.swl_text:
                item.append(f"SWL {esc(x.swl_text)}")
            item.append(f"<font color='#667085'>For: {esc(x.for_recommendation)}</font>")
            if x.notes:
                item.append(f"<font color='#B42318'>{esc(x.notes)}</font>")
            if x.install:
                place = [f"<b>Install</b>: {esc(x.trade or 'trade to confirm')}", f"Room: {esc(x.room)}"]
                place.append(f"Wall / side: {esc(x.wall_side)}" if x.wall_side else "Wall / side: <i>to confirm</i>")
                place.append(f"Height: <b>{esc(x.height_text)}</b>" if x.height_text
                             else "Height AFF: <i>to confirm on site</i>")
            else:
                place = ["No installation", f"Room: {esc(x.room)}"]
                if x.wall_side:
                    place.append(esc(x.wall_side))
            funding = [esc(x.funding), f"Approval: {esc(x.approval_no)}" if x.approval_no else "Approval: <i>pending</i>"]
            rows.append([self.p(str(n), "cell"), self.p("<br/>".join(c for c in codes if c), "cell"),
                         self.p("<br/>".join(item), "cell"), self.p(str(x.quantity), "cell"),
                         self.p(esc(money(x.unit_price, x.currency)), "cell"),
                         self.p(esc(money(x.line_total, x.currency)), "cell"),
                         self.p("<br/>".join(place), "cell"), self.p("<br/>".join(funding), "cell"),
                         self.p(f"<font color='white'><b>{x.tier.code}</b></font>", "cell")])
            style.append(("BACKGROUND", (8, n), (8, n), TIER_COLOURS[x.tier]))
        subtotal = f"<b>Subtotal {esc(money(group.subtotal, group.lines[0].currency if group.lines else ''))}</b>"
        subtotal += f" for {_plural(len(group.lines), 'line')}"
        if group.unpriced:
            subtotal += f" ({_plural(group.unpriced, 'line')} without a price)"
        rows.append(["", "", self.p(subtotal, "cell"), "", "", "", "", "", ""])
        style += [("SPAN", (2, len(rows) - 1), (-1, len(rows) - 1)), ("LINEABOVE", (0, -1), (-1, -1), 1, BAND)]
        table = Table(rows, colWidths=col, repeatRows=1)
        table.setStyle(TableStyle(style))
        return heading, table, len(group.lines)


def render_order_pdf(model: OrderModel, out: Path) -> None:
    OrderListRenderer(model).render(out)  # type: ignore[arg-type]
