"""ReportLab renderers for the family and clinical reports (pretix-style hooks, plain data in)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportlab import rl_config

# Binary image streams: ASCII85 would add 25 % to every photo and is slow without rl_accel
# (../shared/perf/photo_limits.md, finding 3).
rl_config.useA85 = 0

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4, letter  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
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
from homeassess.reports import text as user_text  # noqa: E402
from homeassess.reports.text import NAME_LIMIT  # noqa: E402
from homeassess.reports.assets import draw_mark  # noqa: E402

CONFIDENTIAL = "Confidential: personal health information. Share only with people involved in the client's care."


#: User text as paragraph markup: cleaned, shortened past ``limit`` characters, any script, any emoji.
esc = user_text.esc


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
        page = f"Page {self._pageNumber} of {total}"
        room = width - 36 * mm - user_text.text_width(page, FONT, 7.5) - 6 * mm   # never under the page number
        self.drawString(18 * mm, 12 * mm, user_text.plain(left, FONT, 7.5, room))
        self.drawRightString(width - 18 * mm, 12 * mm, page)
        self.drawString(18 * mm, 8.5 * mm, user_text.plain(right, FONT, 7.5, width - 36 * mm))
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
        # A heading never sits alone at a page foot; before a long table use "h1_split" and a CondPageBreak.
        self.styles["h1_split"] = ParagraphStyle("h1_split", parent=self.styles["h1"])
        self.styles["h2_split"] = ParagraphStyle("h2_split", parent=self.styles["h2"])
        self.styles["label"] = ParagraphStyle("label", parent=self.styles["small"])
        for name in ("h1", "h2", "label"):
            self.styles[name].keepWithNext = 1
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
        left, height = self.margin, 6 * mm
        drawn = False
        if self.letterhead.logo_path:
            try:  # a logo that cannot be read is left out, never stops the report
                logo = ImageReader(self.letterhead.logo_path)
                w, h = logo.getSize()
                canvas.drawImage(logo, left, self.pagesize[1] - 7 * mm, width=height * w / h, height=height,
                                 mask="auto")
                left += height * w / h + 2 * mm
                drawn = True
            except (OSError, ValueError):
                pass
        if not drawn:   # no logo in Settings (or an unreadable one): the HomeAssess mark
            draw_mark(canvas, left, self.pagesize[1] - 7 * mm, height)
            left += height + 2 * mm
            canvas.setFillColor(colors.white)
        right = self.pagesize[0] - self.margin
        title = user_text.plain(self.model.title, FONT, 8, (right - left) / 2)
        room = right - left - user_text.text_width(title, FONT, 8) - 6 * mm     # never under the title
        name = self.letterhead.organisation or "HomeAssess"
        font = user_text.line_font(name, FONT_BOLD)    # upright when the bold face lacks its letters
        canvas.setFont(font, 8)
        canvas.drawString(left, self.pagesize[1] - 5.3 * mm, user_text.plain(name, font, 8, room))
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, self.pagesize[1] - 5.3 * mm, title)
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
        # A caption stays within about six lines under its photo, so a photo cell always fits on a page.
        limit = user_text.caption_limit(max_width, self.styles["cell_small"].fontSize)
        return [image, self.p(esc(ref.caption, limit), "cell_small")]

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
        noun = "findings" if self.model.kind is ReportKind.CLINICAL else "changes"   # name what is counted
        cells = [[self.p(f"<b>{counts.get(t, 0)}</b> {t.label.lower()} {noun}", "cell") for t in Tier]]
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


TOP_ACTIONS = 5
TIER_WORDS = {Tier.P1: "urgent", Tier.P2: "high priority", Tier.P3: "medium priority", Tier.P4: "low priority"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def without_citations(text: str) -> str:
    """Family copy of a calculation: the reference-book citations stay in the clinical report."""
    return re.sub(r"\s*\((?:REFERENCE|ADA|BS|AS|ISO)\b[^)]*\)", "", text)


class FamilyReportRenderer(ReportRenderer):
    """Plain-language report: page 1 to act on, then each change once with its reason once."""

    base_size = 10.5

    def __init__(self, model: ReportModel) -> None:
        super().__init__(model)
        for name in ("body", "bullet", "meta"):   # a little tighter: the whole plan in a few pages
            style = self.styles[name]
            style.leading, style.spaceAfter = style.fontSize * 1.3, min(style.spaceAfter, 2)

    def story(self) -> list[Flowable]:
        story = self.heading_block()
        story += self._contact() + self._goals() + self._top_actions() + self._today()
        story += self._priorities() + self._rooms() + self._next_steps()
        return story

    @property
    def recommendations(self) -> list[RecommendationLine]:
        return [r for g in self.model.priorities for r in g.recommendations]

    def _counts_sentence(self) -> str:
        """Names what it counts (changes, not findings), with the same numbers the list shows."""
        total = len(self.recommendations)
        by_tier = [f"{self.model.tier_counts.get(t, 0)} {TIER_WORDS[t]}" for t in Tier if self.model.tier_counts.get(t)]
        verb = "suggest" if self.model.draft else "agreed with you"
        return f"We {verb} {_plural(total, 'change')}: " + ", ".join(by_tier) + "."

    def _contact(self) -> list[Flowable]:
        contact = self.model.contact
        if not contact:
            return []
        rows = [[self.p(f"<b>{esc(f.label)}</b>", "cell"), self.p(esc(f.value), "cell")] for f in contact]
        table = Table([[self.p("<b>Questions? Contact us</b>", "cell"), ""]] + rows,
                      colWidths=[38 * mm, self.frame_width - 38 * mm])
        table.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, -1), PALE),
                                   ("LINEBEFORE", (0, 0), (0, -1), 3, BAND), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 7)]))
        return [table, Spacer(1, 4)]

    def _goals(self) -> list[Flowable]:
        if not self.model.goals:
            return []
        story: list[Flowable] = [self.p("Your goals", "h2")]
        story += [Paragraph(f"“{esc(g.text)}”", self.styles["bullet"], bulletText="•") for g in self.model.goals]
        return story

    def _top_actions(self) -> list[Flowable]:
        recs = self.recommendations
        if not recs:
            if self.model.left_out:
                text = "Your therapist will talk with you about the changes they suggest before this report is finished."
            else:
                text = "We did not find anything that needs changing."
            return [self.p("What to do first", "h2"), self.p(esc(text))]
        story: list[Flowable] = [self.p("What to do first", "h2"), self.p(esc(self._counts_sentence()))]
        for rec in recs[:TOP_ACTIONS]:
            story.append(Paragraph(f"<b>{esc(rec.title)}.</b> <font color='#52606D'>{esc(TIER_WORDS[rec.tier]).capitalize()}, "
                                   f"{esc(rec.room, NAME_LIMIT)}: see number {rec.number}.</font>",
                                   self.styles["bullet"], bulletText=f"{rec.number}."))
        return story

    def _today(self) -> list[Flowable]:
        top = {r.number for r in self.recommendations[:TOP_ACTIONS]}
        today = [r for r in self.model.today if r.number not in top]
        if not today:
            return []
        story: list[Flowable] = [self.p("What you can do today", "h2"),
                                 self.p("These cost nothing or very little and take a few minutes:")]
        for rec in today:
            story.append(Paragraph(f"{esc(rec.title)}. <font color='#52606D'>See number {rec.number}.</font>",
                                   self.styles["bullet"], bulletText="☐"))
        return story

    def _recommendation(self, rec: RecommendationLine, lead: tuple[Flowable, ...] = ()) -> Flowable:
        """Urgent and high: what to do, why, the sizing and who; medium and low in one short paragraph."""
        title = f"{rec.number}. {esc(rec.title)}"
        if rec.proposed:
            title += " <font color='#B54708'>(to discuss)</font>"
        meta = [f"Who: {esc(rec.who)}", f"Cost: {esc(rec.cost)}", f"Where: {esc(rec.room, NAME_LIMIT)}"]
        if rec.goal:
            meta.append(f"Helps with your goal: “{esc(rec.goal)}”")
        if rec.other_options:
            meta.append("Other options: " + esc("; ".join(rec.other_options)))
        why = f"<b>Why:</b> {esc(rec.family_reason)}" if rec.family_reason else ""
        if rec.tier is Tier.P1:
            parts = [self.p(title, "rec_title")]
            parts += [self.p(esc(rec.family_text))] if rec.family_text else []
            parts += [self.p(why)] if why else []
            if rec.choice_note.startswith(MEASURED):
                parts.append(self.p(esc(without_citations(rec.choice_note)), "meta"))
        else:   # a run-in title and one paragraph, the who / cost / where in small grey type at its end
            text = f"<b>{title}.</b> " + esc(rec.family_text) + (f" {why}" if why else "")
            if rec.choice_note.startswith(MEASURED):
                text += " " + esc(without_citations(rec.choice_note))
            parts = [self.p(text + f" <font size='{self.base_size - 1.5}' color='#52606D'>"
                            + " · ".join(meta) + ".</font>")]
        if rec.tier is Tier.P1:
            parts.append(self.p(" · ".join(meta) + ".", "meta"))
        # splitInRow: only an enormous edited text ever splits; otherwise the block moves to the next page.
        inner = Table([[parts]], colWidths=[self.frame_width - 4], splitInRow=1)
        inner.setStyle(TableStyle([("LINEBEFORE", (0, 0), (0, 0), 3, TIER_COLOURS[rec.tier]),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        return KeepTogether([*lead, inner, Spacer(1, 4)])   # lead: a tier band stays with its first item

    def _priorities(self) -> list[Flowable]:
        if not self.model.priorities:
            return []
        intro = ("Here is each change with the reason for it, the most important first. "
                 "You do not have to do everything at once.")
        if self.model.draft:
            intro = ("This is a draft to talk over with your therapist. Changes marked “to discuss” are "
                     "suggestions we have not yet agreed. " + intro)
        story: list[Flowable] = [CondPageBreak(60 * mm), self.p("All the changes, in order", "h1"), self.p(esc(intro))]
        if self.model.factors:
            story.append(self.p("Some changes matter more for you because:"))
            story += [Paragraph(esc(f[:1].upper() + f[1:]) + ".", self.styles["bullet"], bulletText="•")
                      for f in self.model.factors]
        for group in self.model.priorities:
            band = TierBand(group.tier, TIER_HEADINGS[group.tier], group.meaning, self.styles)
            first, *rest = group.recommendations
            story += [CondPageBreak(32 * mm), self._recommendation(first, (band, Spacer(1, 5)))]
            story += [self._recommendation(rec) for rec in rest]
        return story

    def _rooms(self) -> list[Flowable]:
        """What was found where, without the reasons again; rooms not assessed say so."""
        rooms = self.model.rooms
        if not rooms:
            return []
        # A table that may run on to the next page: room for the heading and a few rows, not keep-with-next.
        story: list[Flowable] = [CondPageBreak(35 * mm), self.p("What we looked at, room by room", "h1_split")]
        photo_width = 34 * mm
        rows = []
        for room in rooms:
            if room.not_assessed:
                found = [self.p("<i>Not looked at during this visit.</i>", "cell")]
            elif room.findings:
                found = [self.p("; ".join(esc(f.title) for f in room.findings) + ".", "cell")]
            else:
                found = [self.p("Nothing here needs changing.", "cell")]
            photos = [ref for f in room.findings for ref in f.photos][: self.FAMILY_PHOTOS_PER_ROOM]
            if photos:
                strip = Table([[self.photo(ref, photo_width, 26 * mm) for ref in photos]],
                              colWidths=[photo_width + 3 * mm] * len(photos), hAlign="LEFT")
                strip.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
                found.append(strip)
            rows.append([self.p(f"<b>{esc(room.name, NAME_LIMIT)}</b>", "cell"), found])
        table = Table(rows, colWidths=[38 * mm, self.frame_width - 38 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return story + [table]

    FAMILY_PHOTOS_PER_ROOM = 3

    def _next_steps(self) -> list[Flowable]:
        story: list[Flowable] = [CondPageBreak(40 * mm), self.p("Next steps", "h1")]
        story += [Paragraph(esc(s), self.styles["bullet"], bulletText="•") for s in self.model.next_steps]
        story += [Spacer(1, 6), self.p(esc(self.model.disclaimer), "small")]
        return story


class ClinicalReportRenderer(ReportRenderer):
    """Findings with measured values against the standard cited, risk scores and rationale."""

    base_size = 10

    def story(self) -> list[Flowable]:
        m = self.model
        story = self.heading_block()
        story += [self.p("Client background", "h1"), self.field_table(m.background + m.client_notes)]
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
            story.append(self.p("Not assessed: " + esc("; ".join(m.not_assessed), user_text.NOTE_LIMIT) + ".", "small"))
        if m.checklists:
            story.append(self.p("Checklists used: " + esc("; ".join(m.checklists), None) + ".", "small"))
        if m.last_change:
            story.append(self.p("Last change to this record: " + esc(m.last_change, None) + ".", "small"))
        story += self._findings() + self._sizing() + self._recommendations() + self._goals() + self._notes()
        return story + self._sign_off() + self.addenda_block("Addenda after sign-off")

    def _sizing(self) -> list[Flowable]:
        if not self.model.sizings:
            return []
        return [CondPageBreak(40 * mm), self.p("Equipment sizing", "h1"),
                self.p("Calculated from the measurements and the client's knee height and walking aid.", "small"),
                self.field_table(self.model.sizings, 45 * mm)]

    def _findings(self) -> list[Flowable]:
        story: list[Flowable] = [CondPageBreak(50 * mm), self.p("Findings by room", "h1_split")]
        header = [self.p(f"<b>{h}</b>", "cell") for h in ("Tier", "Finding and rationale", "Observed", "Benchmark", "L×C")]
        widths = [20 * mm, self.frame_width - 20 * mm - 28 * mm - 32 * mm - 19 * mm, 28 * mm, 32 * mm, 19 * mm]
        for room in self.model.rooms:
            # A room's table may run on to the next page: room for its heading and a few rows first.
            story += [CondPageBreak(40 * mm),
                      self.p(f"{esc(room.name, NAME_LIMIT)} <font size='8.5' color='#52606D'>({room.answered} of "
                             f"{room.total} items answered · {esc(room.checklist)})</font>", "h2_split")]
            if room.not_assessed:   # never "No findings": an unassessed room is not a clear one
                story.append(self.p(f"<b>{esc(room.not_assessed)}.</b>", "small"))
            elif not room.findings:
                unanswered = room.total - room.answered
                story.append(self.p(f"No findings in the {room.answered} items answered"
                                    + (f"; {unanswered} not answered." if unanswered else "."), "small"))
            else:
                story.append(self._findings_table(room, header, widths))
            if room.measurements:
                story += [Spacer(1, 3), self.p("<b>Measurements recorded</b>", "label"),
                          self.field_table(room.measurements, 80 * mm)]
            if room.photos:
                story += [Spacer(1, 3), self.p(f"<b>Photos ({len(room.photos)})</b>", "label"),
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
            detail = [self.p(f"<b>{esc(f.title)}</b>", "cell"),
                      self.p(esc(f.clinical_reason), "cell_small")]
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
                        self.p(f"{esc(rec.room, NAME_LIMIT)} · {esc(rec.category)} · {esc(rec.who)} · {esc(rec.cost)}", "cell_small")]
                why = [self.p(esc(rec.clinical_reason), "cell_small")]
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
            story += [self.p("Declined", "h2")]
            story += [Paragraph(f"<b>{esc(r.title)}</b> ({esc(r.room, NAME_LIMIT)}, {r.tier.code})<br/>"
                                f"<font size='8.5' color='#52606D'>{esc(r.decision or 'Declined')}</font>",
                                self.styles["bullet"], bulletText="•") for r in self.model.declined]
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
            story += [self.p(esc(room.name, NAME_LIMIT), "h2"), self.field_table(room.notes, 60 * mm)]
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
