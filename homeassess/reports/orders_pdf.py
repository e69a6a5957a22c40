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

ALERT = colors.HexColor("#B42318")
ALERT_TINT = colors.HexColor("#FEF3F2")


class OrderListRenderer(ReportRenderer):
    landscape = True
    margin = 14 * mm
    base_size = 9.5

    def story(self) -> list[Flowable]:
        o: OrderModel = self.model  # type: ignore[assignment]
        story: list[Flowable] = [self.p(f"Equipment order {esc(o.order_id)}", "title"),
                                 self.p("Supplier order list from an occupational therapy "
                                        f"{'workplace' if o.visit_kind == 'workplace' else 'home'} assessment",
                                        "subtitle"),
                                 *self.status_block(), self._blocks(), Spacer(1, 6), self._alerts(), Spacer(1, 4)]
        if not o.groups:
            story.append(self.p("No agreed equipment has a product chosen yet: nothing to order.", "h2"))
        for group in o.groups:
            story += [CondPageBreak(40 * mm), *self._group(group)]
        if o.groups:
            extra = (f"; {o.other_currency_lines} line(s) priced in another currency are not in this total"
                     if o.other_currency_lines else "")
            story.append(self.p(f"<b>Order total: {esc(money(o.total, o.currency))}</b> "
                                f"({sum(len(g.lines) for g in o.groups)} line(s), {len(o.groups)} supplier(s){extra})",
                                "h2"))
        story += [self.p("Delivery, installation and hand-over", "h2")]
        story += [self.p("• " + esc(s), "body") for s in o.follow_up]
        story += [Spacer(1, 10), self.field_table([Field("Prescriber signature", " "), Field("Date", " ")],
                                                  60 * mm)]
        return story

    def _block(self, title: str, fields: tuple[Field, ...], width: float) -> Table:
        rows = [[self.p(f"<b>{esc(title)}</b>", "cell_bold"), ""]]
        rows += [[self.p(esc(f.label), "cell_small"), self.p(esc(f.value), "cell")] for f in fields]
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

    def _group(self, group: OrderGroup) -> list[Flowable]:
        heading = self.p(f"Supplier: {esc(group.supplier)}", "h1")
        widths = [7, 36, 70, 9, 17, 18, 60, 40, 9]
        scale = self.frame_width / (sum(widths) * mm)
        col = [w * mm * scale for w in widths]
        head = ["#", "Codes", "Item, size / setting", "Qty", "Unit price", "Line total",
                "Installation and fitting location", "Funding / approval", "Pri."]
        rows: list[list] = [[self.p(f"<b>{h}</b>", "cell_small") for h in head]]
        style = [("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 3),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                 ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
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
        if group.unpriced:
            subtotal += f" ({group.unpriced} line(s) without a price)"
        rows.append(["", "", self.p(subtotal, "cell"), "", "", "", "", "", ""])
        style += [("SPAN", (2, len(rows) - 1), (-1, len(rows) - 1)), ("LINEABOVE", (0, -1), (-1, -1), 1, BAND)]
        table = Table(rows, colWidths=col, repeatRows=1)
        table.setStyle(TableStyle(style))
        # A short group stays with its heading; a long one may start on this page and run on.
        return [KeepTogether([heading, table])] if len(group.lines) <= 3 else [heading, table]


def render_order_pdf(model: OrderModel, out: Path) -> None:
    OrderListRenderer(model).render(out)  # type: ignore[arg-type]
