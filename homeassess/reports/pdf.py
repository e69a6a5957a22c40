"""ReportLab renderers for the family and clinical reports (pretix-style hooks, plain data in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config

# Binary image streams: ASCII85 would add 25 % to every photo and is slow without rl_accel
# (../shared/perf/photo_limits.md, finding 3).
rl_config.useA85 = 0

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4, letter  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate, CondPageBreak, Flowable, Frame, Image, KeepTogether, PageTemplate, Paragraph, Spacer, Table,
    TableStyle,
)

from homeassess.domain.choices import MEASURED  # noqa: E402
from homeassess.domain.priority import Tier  # noqa: E402
from homeassess.reports.model import (  # noqa: E402
    Field, Letterhead, PhotoRef, RecommendationLine, ReportKind, ReportModel, RoomSection,
)
from homeassess.reports.styles import (  # noqa: E402
    BAND, FONT, FONT_BOLD, MUTED, PALE, RULE, TIER_COLOURS, TIER_TINTS, register_fonts, stylesheet,
)

CONFIDENTIAL = "Confidential: personal health information. Share only with people involved in the client's care."


def esc(text: str) -> str:
    """Escape user text for ReportLab's mini-markup and keep line breaks."""
    return escape(text or "").replace("\n", "<br/>")


class NumberedCanvas(Canvas):
    """Defers page output so every footer can say 'Page X of Y'."""

    footer: tuple[str, str] = ("", "")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        left, right = self.footer
        width, _ = self._pagesize
        self.saveState()
        self.setStrokeColor(RULE)
        self.line(18 * mm, 16 * mm, width - 18 * mm, 16 * mm)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(18 * mm, 12 * mm, left)
        self.drawRightString(width - 18 * mm, 12 * mm, f"Page {self._pageNumber} of {total}")
        self.drawString(18 * mm, 8.5 * mm, right)
        self.restoreState()


class TierBand(Flowable):
    """A coloured band that opens a priority tier: label on the left, meaning underneath."""

    def __init__(self, tier: Tier, heading: str, note: str, styles: dict) -> None:
        super().__init__()
        self.tier = tier
        self.table = Table([[Paragraph(esc(heading), styles["band"])], [Paragraph(esc(note), styles["band_note"])]],
                           colWidths=["100%"])
        self.table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), TIER_COLOURS[tier]),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ("TOPPADDING", (0, 1), (-1, 1), 0),
        ]))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return self.table.wrap(avail_width, avail_height)

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)


def tier_badge(tier: Tier, styles: dict, width: float = 17 * mm) -> Table:
    badge = Table([[Paragraph(f"<font color='white'><b>{tier.code} {tier.label}</b></font>", styles["cell_small"])]],
                  colWidths=[width])
    badge.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), TIER_COLOURS[tier]),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return badge


class ReportRenderer:
    """Shared page set-up; subclasses supply ``story()``."""

    margin = 18 * mm
    base_size = 10.5
    landscape = False

    def __init__(self, model: ReportModel) -> None:
        register_fonts()
        self.model = model
        self.styles = stylesheet(self.base_size)
        self.letterhead = getattr(model, "letterhead", None) or Letterhead()
        size = letter if self.letterhead.paper == "Letter" else A4
        self.pagesize = (size[1], size[0]) if self.landscape else size

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * self.margin

    def render(self, out: Path) -> None:
        doc = BaseDocTemplate(str(out), pagesize=self.pagesize, leftMargin=self.margin, rightMargin=self.margin,
                              topMargin=self.margin, bottomMargin=22 * mm, title=f"{self.model.title} — {self.model.client_initials}",
                              author="HomeAssess", subject=self.model.subtitle, creator="HomeAssess", invariant=1)
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._on_page)])
        footer_left = f"{self.model.title} · Client {self.model.client_initials} · Ref {self.model.reference} · " \
                      f"Visit {self.model.visit_date:%d %b %Y}"
        canvas_class = type("FooterCanvas", (NumberedCanvas,), {"footer": (footer_left, CONFIDENTIAL)})
        doc.build(self.story(), canvasmaker=canvas_class)

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(BAND)
        canvas.rect(0, self.pagesize[1] - 8 * mm, self.pagesize[0], 8 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 8)
        left = self.margin
        if self.letterhead.logo_path:
            try:  # a logo that cannot be read is left out, never stops the report
                logo = ImageReader(self.letterhead.logo_path)
                w, h = logo.getSize()
                height = 6 * mm
                canvas.drawImage(logo, left, self.pagesize[1] - 7 * mm, width=height * w / h, height=height,
                                 mask="auto")
                left += height * w / h + 2 * mm
            except (OSError, ValueError):
                pass
        canvas.drawString(left, self.pagesize[1] - 5.3 * mm, self.letterhead.organisation or "HomeAssess")
        canvas.setFont(FONT, 8)
        canvas.drawRightString(self.pagesize[0] - self.margin, self.pagesize[1] - 5.3 * mm, self.model.title)
        canvas.restoreState()

    # -- shared building blocks -------------------------------------------------------------
    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(text, self.styles[style])

    def field_table(self, fields: tuple[Field, ...] | list[Field], label_width: float = 48 * mm) -> Table:
        rows = [[self.p(esc(f.label), "cell_bold"), self.p(esc(f.value), "cell")] for f in fields]
        table = Table(rows, colWidths=[label_width, self.frame_width - label_width])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ]))
        return table

    def photo(self, ref: PhotoRef, max_width: float, max_height: float) -> list[Flowable]:
        """A photo scaled to fit the box, with its caption underneath."""
        # Never enlarge past ~96 dpi: a tiny photo stays small instead of turning into blocks.
        scale = min(max_width / ref.width_px, max_height / ref.height_px, 0.75)
        image = Image(ref.path, width=ref.width_px * scale, height=ref.height_px * scale)
        image.hAlign = "LEFT"
        return [image, self.p(esc(ref.caption), "cell_small")]

    def heading_block(self) -> list[Flowable]:
        m = self.model
        return [self.p(esc(m.title), "title"), self.p(esc(m.subtitle), "subtitle"), *self.status_block(),
                self.field_table(m.cover), Spacer(1, 6)]

    def status_block(self) -> list[Flowable]:
        """The visit's status (in progress / signed off, when and by whom), just under the title."""
        line = getattr(self.model, "status_line", "")
        return [self.p(f"<b>{esc(line)}</b>", "meta"), Spacer(1, 4)] if line else []

    def addenda_block(self, heading: str) -> list[Flowable]:
        addenda = getattr(self.model, "addenda", ())
        if not addenda:
            return []
        story: list[Flowable] = [CondPageBreak(30 * mm), self.p(esc(heading), "h1")]
        return story + [Paragraph(esc(a), self.styles["bullet"], bulletText="•") for a in addenda]

    def tier_summary(self) -> Table:
        counts = self.model.tier_counts
        cells = [[self.p(f"<b>{counts.get(t, 0)}</b> {t.label.lower()}", "cell") for t in Tier]]
        table = Table(cells, colWidths=[self.frame_width / 4] * 4)
        style = [("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                 ("LEFTPADDING", (0, 0), (-1, -1), 6)]
        for col, tier in enumerate(Tier):
            style += [("BACKGROUND", (col, 0), (col, 0), TIER_TINTS[tier]),
                      ("LINEBEFORE", (col, 0), (col, 0), 3, TIER_COLOURS[tier])]
        table.setStyle(TableStyle(style))
        return table

    def story(self) -> list[Flowable]:
        raise NotImplementedError


TIER_HEADINGS = {Tier.P1: "Urgent — please do these first", Tier.P2: "High priority — in the next few weeks",
                 Tier.P3: "Medium priority — when you can", Tier.P4: "Low priority — for comfort and the future"}


class FamilyReportRenderer(ReportRenderer):
    """Plain-language report: what to change, in priority order, and why."""

    base_size = 11

    def story(self) -> list[Flowable]:
        story = self.heading_block()
        story += [self.p("This report lists the changes we talked about during the visit, the most important first. "
                         "Each one says why it matters for you. You do not have to do everything at once: start at "
                         "the top of the list."), Spacer(1, 4), self.tier_summary(), Spacer(1, 4)]
        story += self._priorities() + self._today() + self._rooms() + self._goals()
        story += self.addenda_block("Added after the visit") + self._next_steps()
        return story

    def _recommendation(self, n: int, rec: RecommendationLine) -> Flowable:
        parts = [self.p(f"{n}. {esc(rec.title)}", "rec_title")]
        if rec.family_text:
            parts.append(self.p(esc(rec.family_text)))
        parts.append(self.p(esc(rec.reason), "reason"))
        if rec.choice_note.startswith(MEASURED):
            parts.append(self.p(esc(rec.choice_note), "meta"))
        if rec.other_options:
            parts.append(self.p("Other options: " + esc("; ".join(rec.other_options)) + ".", "meta"))
        meta = [f"Who: {esc(rec.who)}", f"Cost: {esc(rec.cost)}", f"Where: {esc(rec.room)}"]
        if rec.goal:
            meta.append(f"Helps with your goal: “{esc(rec.goal)}”")
        parts.append(self.p(" · ".join(meta), "meta"))
        inner = Table([[parts]], colWidths=[self.frame_width - 4])
        inner.setStyle(TableStyle([("LINEBEFORE", (0, 0), (0, 0), 3, TIER_COLOURS[rec.tier]),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 3),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        return KeepTogether([inner, Spacer(1, 5)])

    def _priorities(self) -> list[Flowable]:
        story: list[Flowable] = [self.p("What to change, in order of priority", "h1")]
        if not self.model.priorities:
            return story + [self.p("We did not find anything that needs changing.")]
        n = 0
        for group in self.model.priorities:
            story += [CondPageBreak(45 * mm), TierBand(group.tier, TIER_HEADINGS[group.tier], group.meaning, self.styles),
                      Spacer(1, 6)]
            for rec in group.recommendations:
                n += 1
                story.append(self._recommendation(n, rec))
        return story

    def _today(self) -> list[Flowable]:
        if not self.model.today:
            return []
        story: list[Flowable] = [CondPageBreak(40 * mm), self.p("What you can do today", "h1"),
                                 self.p("These cost nothing and take only a few minutes:")]
        for rec in self.model.today:
            story.append(Paragraph(f"<b>{esc(rec.title)}</b> ({esc(rec.room)})", self.styles["bullet"], bulletText="☐"))
        return story

    def _rooms(self) -> list[Flowable]:
        rooms = [r for r in self.model.rooms if r.findings]
        if not rooms:
            return []
        story: list[Flowable] = [CondPageBreak(50 * mm), self.p("What we found, room by room", "h1")]
        for room in rooms:
            # A photo column only where the room has photos, so text keeps the full width otherwise.
            photo_width = 62 * mm if any(f.photos for f in room.findings) else 0
            rows = [[tier_badge(f.tier, self.styles, 22 * mm),
                     [self.p(f"<b>{esc(f.title)}</b>", "cell"), self.p(esc(f.reason), "cell_small")]]
                    + ([self._finding_photos(f.photos, photo_width)] if photo_width else [])
                    for f in room.findings]
            widths = [25 * mm, self.frame_width - 25 * mm - (photo_width + 4 if photo_width else 0)]
            table = Table(rows, colWidths=widths + ([photo_width + 4] if photo_width else []))
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                                       ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
            story += [KeepTogether([self.p(esc(room.name), "h2"), table])]
        return story

    FAMILY_PHOTOS_PER_FINDING = 2

    def _finding_photos(self, photos: tuple[PhotoRef, ...], width: float) -> list[Flowable]:
        """Up to two photos beside a finding (a row must fit on one page); the rest are counted."""
        shown = photos[: self.FAMILY_PHOTOS_PER_FINDING]
        cells = [x for ref in shown for x in self.photo(ref, width, 50 * mm)]
        if len(photos) > len(shown):
            cells.append(self.p(f"+ {len(photos) - len(shown)} more photo(s) in the clinical report", "cell_small"))
        return cells

    def _goals(self) -> list[Flowable]:
        if not self.model.goals:
            return []
        story: list[Flowable] = [CondPageBreak(40 * mm), self.p("Your goals", "h1")]
        for goal in self.model.goals:
            text = f"“{esc(goal.text)}”"
            if goal.served_by:
                text += "<br/><font size='9' color='#52606D'>Helped by: " + esc("; ".join(goal.served_by)) + "</font>"
            story.append(Paragraph(text, self.styles["bullet"], bulletText="•"))
        return story

    def _next_steps(self) -> list[Flowable]:
        story: list[Flowable] = [CondPageBreak(40 * mm), self.p("Next steps", "h1")]
        story += [Paragraph(esc(s), self.styles["bullet"], bulletText="•") for s in self.model.next_steps]
        story += [Spacer(1, 8), self.p(esc(self.model.disclaimer), "small")]
        return story


class ClinicalReportRenderer(ReportRenderer):
    """Findings with measured values against the standard cited, risk scores and rationale."""

    base_size = 10

    def story(self) -> list[Flowable]:
        m = self.model
        story = self.heading_block()
        story += [self.p("Client background", "h1"), self.field_table(m.background)]
        story += [self.p("Consent", "h2"), self.field_table(m.consent) if m.consent
                  else self.p("Consent: not recorded for this visit.", "body")]
        if m.precautions:
            story += [self.p("Precautions", "h2")]
            story += [Paragraph(esc(x), self.styles["bullet"], bulletText="•") for x in m.precautions]
        story += [self.p("Summary of findings", "h1"), self.tier_summary(), Spacer(1, 4),
                  self.p(esc(m.standard_note), "small"),
                  self.p("Risk = likelihood × consequence (each 1–5), raised by client factors (falls history, "
                         "walking aid, precautions, cognition, living alone). P1 ≥ 15 or blocks essential access; "
                         "P2 ≥ 8; P3 ≥ 4; P4 below.", "small")]
        if m.unanswered:
            story.append(self.p(f"{m.unanswered} checklist item(s) were not answered at this visit.", "small"))
        if m.not_assessed:
            story.append(self.p("Not assessed: " + esc("; ".join(m.not_assessed)) + ".", "small"))
        story += self._findings() + self._sizing() + self._recommendations() + self._goals() + self._notes()
        return story + self._sign_off() + self.addenda_block("Addenda after sign-off")

    def _sizing(self) -> list[Flowable]:
        if not self.model.sizings:
            return []
        return [CondPageBreak(40 * mm), self.p("Equipment sizing", "h1"),
                self.p("Calculated from the measurements and the client's knee height and walking aid.", "small"),
                self.field_table(self.model.sizings, 45 * mm)]

    def _findings(self) -> list[Flowable]:
        story: list[Flowable] = [self.p("Findings by room", "h1")]
        header = [self.p(f"<b>{h}</b>", "cell") for h in ("Tier", "Finding and rationale", "Observed", "Benchmark", "L×C")]
        widths = [20 * mm, self.frame_width - 20 * mm - 28 * mm - 32 * mm - 19 * mm, 28 * mm, 32 * mm, 19 * mm]
        for room in self.model.rooms:
            story.append(self.p(f"{esc(room.name)} <font size='8.5' color='#52606D'>({room.answered} of "
                                f"{room.total} items answered)</font>", "h2"))
            if not room.findings:
                story.append(self.p("No findings.", "small"))
            else:
                story.append(self._findings_table(room, header, widths))
            if room.measurements:
                story += [Spacer(1, 3), self.p("<b>Measurements recorded</b>", "small"),
                          self.field_table(room.measurements, 80 * mm)]
            if room.photos:
                story += [Spacer(1, 3), self.p(f"<b>Photos ({len(room.photos)})</b>", "small"),
                          self._photo_grid(room.photos)]
        return story

    def _photo_grid(self, photos: tuple[PhotoRef, ...]) -> Table:
        cell = (self.frame_width - 6) / 2
        cells = [self.photo(ref, cell - 6, 70 * mm) for ref in photos]
        rows = [cells[i:i + 2] + ([[]] if len(cells[i:i + 2]) == 1 else []) for i in range(0, len(cells), 2)]
        table = Table(rows, colWidths=[cell, cell])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        return table

    def _findings_table(self, room: RoomSection, header: list, widths: list[float]) -> Table:
        rows = [header]
        for f in room.findings:
            detail = [self.p(f"<b>{esc(f.title)}</b>", "cell"), self.p(esc(f.reason), "cell_small")]
            if f.prompt:
                detail.insert(1, self.p(f"Item: {esc(f.prompt)}", "cell_small"))
            if f.source:
                detail.append(self.p(f"Source: {esc(f.source)}", "cell_small"))
            if f.origin == "manual":
                detail.append(self.p("Added by the therapist", "cell_small"))
            rows.append([tier_badge(f.tier, self.styles), detail, self.p(esc(f.answer), "cell"),
                         self.p(esc(f.threshold), "cell"), self.p(f"{f.likelihood}×{f.consequence}={f.score}", "cell")])
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), PALE),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 3),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 3)]))
        return table

    def _recommendations(self) -> list[Flowable]:
        story: list[Flowable] = [CondPageBreak(50 * mm), self.p("Recommendations", "h1")]
        header = [self.p(f"<b>{h}</b>", "cell") for h in ("Tier", "Recommendation and specification", "Rationale", "Status")]
        widths = [20 * mm, 78 * mm, self.frame_width - 20 * mm - 78 * mm - 20 * mm, 20 * mm]
        rows = [header]
        for group in self.model.priorities:
            for rec in group.recommendations:
                spec = [self.p(f"<b>{esc(rec.title)}</b>", "cell"), self.p(esc(rec.clinical_text), "cell_small"),
                        self.p(f"{esc(rec.room)} · {esc(rec.category)} · {esc(rec.who)} · {esc(rec.cost)}", "cell_small")]
                why = [self.p(esc(rec.reason), "cell_small")]
                if rec.findings:
                    why.append(self.p("Finding: " + esc("; ".join(rec.findings)), "cell_small"))
                if rec.goal:
                    why.append(self.p(f"Goal: “{esc(rec.goal)}”", "cell_small"))
                if rec.tier_note:
                    why.append(self.p(esc(rec.tier_note), "cell_small"))
                if rec.choice_note:
                    why.append(self.p("Option: " + esc(rec.choice_note), "cell_small"))
                if rec.other_options or rec.ruled_out:
                    others = list(rec.other_options) + [f"{t} (ruled out by the measurements)" for t in rec.ruled_out]
                    spec.append(self.p("Other options: " + esc("; ".join(others)) + ".", "cell_small"))
                rows.append([tier_badge(rec.tier, self.styles), spec, why, self.p(esc(rec.status), "cell")])
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), PALE),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 3),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 3)]))
        story.append(table)
        if self.model.declined:
            story += [self.p("Declined by the client", "h2")]
            story += [Paragraph(esc(r.title), self.styles["bullet"], bulletText="•") for r in self.model.declined]
        return story

    def _goals(self) -> list[Flowable]:
        if not self.model.goals:
            return []
        story: list[Flowable] = [self.p("Client goals (own words)", "h1")]
        for goal in self.model.goals:
            line = f"“{esc(goal.text)}”" + (f" — {esc(goal.activity)}" if goal.activity else "")
            if goal.served_by:
                line += "<br/><font size='8' color='#52606D'>Addressed by: " + esc("; ".join(goal.served_by)) + "</font>"
            story.append(Paragraph(line, self.styles["bullet"], bulletText="•"))
        return story

    def _notes(self) -> list[Flowable]:
        rooms = [r for r in self.model.rooms if r.notes]
        if not rooms:
            return []
        story: list[Flowable] = [self.p("Therapist notes", "h1")]
        for room in rooms:
            story += [self.p(esc(room.name), "h2"), self.field_table(room.notes, 60 * mm)]
        return story

    def _sign_off(self) -> list[Flowable]:
        story: list[Flowable] = [CondPageBreak(40 * mm), self.p("Next steps", "h1")]
        story += [Paragraph(esc(s), self.styles["bullet"], bulletText="•") for s in self.model.next_steps]
        story += [self.p("Sign-off", "h2"), self.field_table(self.model.sign_off)]
        if self.model.signature_path:
            story.append(Image(self.model.signature_path, width=60 * mm, height=20 * mm, kind="proportional"))
        elif not any(f.label == "Signature" for f in self.model.sign_off):
            story.append(self.field_table((Field("Signature", " "),)))
        story += [Spacer(1, 6), self.p(esc(self.model.disclaimer), "small")]
        return story


def render_pdf(model: ReportModel, out: Path) -> None:
    renderer = FamilyReportRenderer if model.kind is ReportKind.FAMILY else ClinicalReportRenderer
    renderer(model).render(out)
