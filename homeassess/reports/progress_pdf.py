"""The progress report: summary, what was done, what changed, before/after photos, goals with T-score."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from homeassess.reports.model import ProgressModel
from homeassess.reports.pdf import ReportRenderer, esc, tier_badge
from homeassess.reports.styles import PALE, RULE

OUTCOME_COLOURS = {"Resolved": "#067647", "Improved": "#2E90FA", "Unchanged": "#B54708", "Worse": "#B42318",
                   "Not reviewed": "#667085", "In use": "#067647", "Installed": "#2E90FA", "Not used": "#B42318",
                   "Removed": "#B42318", "Ordered": "#B54708", "Agreed": "#B54708", "Declined": "#667085"}


class ProgressReportRenderer(ReportRenderer):
    base_size = 10.5

    def story(self) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        story = self.heading_block()
        story += [self.p("In short", "h1")] + [Paragraph(esc(s), self.styles["bullet"], bulletText="•") for s in m.summary]
        story += self._goals() + self._recommendations() + self._pairs() + self._findings()
        story += [CondPageBreak(40 * mm), self.p("Measures", "h1"), self.field_table(m.measures, 70 * mm)]
        if m.new_findings:
            story += [self.p("New at the review", "h2")]
            story += [Paragraph(esc(x), self.styles["bullet"], bulletText="•") for x in m.new_findings]
        story += [self.p("Next steps", "h1")]
        story += [Paragraph(esc(s), self.styles["bullet"], bulletText="•") for s in m.next_steps]
        return story

    def _chip(self, label: str) -> Paragraph:
        return self.p(f"<font color='{OUTCOME_COLOURS.get(label, '#344054')}'><b>{esc(label)}</b></font>", "cell")

    def _goals(self) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        if not m.goals:
            return []
        story: list[Flowable] = [CondPageBreak(50 * mm), self.p("Goals", "h1")]
        if m.t_after is not None:
            story.append(self.p(f"<b>GAS T-score: {m.t_after:.1f}</b> now, {m.t_before:.1f} at the first visit "
                                f"(Kiresuk &amp; Sherman, ρ = 0.3; 50 = every goal met as expected)."))
        rows = [[self.p(f"<b>{h}</b>", "cell_small") for h in ("Goal, in the client's words", "Wt",
                                                             "At the first visit", "Now")]]
        for g in m.goals:
            now = "—" if g.level is None else f"<b>{g.level:+d}</b> {esc(g.level_text)}"
            rows.append([self.p(f"“{esc(g.text)}”", "cell"), self.p(str(g.weight), "cell"),
                         self.p(f"<b>{g.baseline:+d}</b> {esc(g.baseline_text)}", "cell"), self.p(now, "cell")])
        widths = [62 * mm, 10 * mm]
        rest = (self.frame_width - sum(widths)) / 2
        table = Table(rows, colWidths=widths + [rest, rest], repeatRows=1)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
        return story + [table]

    def _recommendations(self) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        story: list[Flowable] = [CondPageBreak(50 * mm), self.p("What was recommended and what was done", "h1")]
        rows = [[self.p(f"<b>{h}</b>", "cell_small") for h in ("", "Recommendation", "Where", "Now", "Since", "Note")]]
        for r in m.recommendations:
            rows.append([tier_badge(r.tier, self.styles, 15 * mm), self.p(esc(r.title), "cell"),
                         self.p(esc(r.room), "cell_small"), self._chip(r.status), self.p(esc(r.when), "cell_small"),
                         self.p(esc(r.note), "cell_small")])
        widths = [17 * mm, 60 * mm, 24 * mm, 22 * mm, 20 * mm]
        table = Table(rows, colWidths=widths + [self.frame_width - sum(widths)], repeatRows=1)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
        return story + [table]

    def _pairs(self) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        if not m.pairs:
            return []
        story: list[Flowable] = [CondPageBreak(80 * mm), self.p("Before and after", "h1")]
        half = (self.frame_width - 6 * mm) / 2
        for pair in m.pairs:
            head = self.p(f"<b>{esc(pair.title)}</b> ({esc(pair.room)}) — "
                          f"<font color='{OUTCOME_COLOURS.get(pair.outcome, '#344054')}'>{esc(pair.outcome)}</font>",
                          "body")
            cells = [[self.p("<b>Before</b> (first visit)", "cell_small"), self.p("<b>After</b> (review)", "cell_small")],
                     [self.photo(pair.before, half, 62 * mm), self.photo(pair.after, half, 62 * mm)]]
            table = Table(cells, colWidths=[half + 3 * mm, half + 3 * mm])
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("LINEAFTER", (0, 0), (0, -1), 0.4, colors.lightgrey)]))
            story.append(KeepTogether([head, table, Spacer(1, 6)]))
        return story

    def _findings(self) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        story: list[Flowable] = [CondPageBreak(50 * mm), self.p("What changed since the first visit", "h1")]
        rows = [[self.p(f"<b>{h}</b>", "cell_small") for h in ("", "Problem found at the first visit", "Where",
                                                             "Now", "Note")]]
        for f in m.findings:
            rows.append([tier_badge(f.tier, self.styles, 15 * mm), self.p(esc(f.title), "cell"),
                         self.p(esc(f.room), "cell_small"), self._chip(f.outcome), self.p(esc(f.note), "cell_small")])
        widths = [17 * mm, 66 * mm, 26 * mm, 28 * mm]
        table = Table(rows, colWidths=widths + [self.frame_width - sum(widths)], repeatRows=1)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
        return story + [table]


def render_progress_pdf(model: ProgressModel, out: Path) -> None:
    ProgressReportRenderer(model).render(out)  # type: ignore[arg-type]
