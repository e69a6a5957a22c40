"""The progress report in two forms: for the referrer (summary, what was done, what changed, before/after photos,
goals with the T-score) and for the family (one page in plain words)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepInFrame, KeepTogether, Paragraph, Spacer, Table, TableStyle

from homeassess.reports.model import Field, ProgressModel
from homeassess.reports.pdf import ReportRenderer, esc, tier_badge
from homeassess.reports.styles import BAND, PALE, RULE

OUTCOME_COLOURS = {"Resolved": "#067647", "Improved": "#2E90FA", "Unchanged": "#B54708", "Worse": "#B42318",
                   "Not reviewed": "#667085", "In use": "#067647", "Installed": "#2E90FA", "Not used": "#B42318",
                   "Removed": "#B42318", "Ordered": "#B54708", "Agreed": "#B54708", "Declined": "#667085"}


class ProgressReportRenderer(ReportRenderer):
    base_size = 10.5

    def __init__(self, model: ProgressModel) -> None:
        super().__init__(model)  # type: ignore[arg-type]
        # Each section opens with a CondPageBreak, so a heading never sits alone at a page foot; keep-with-next
        # would instead carry a long table whole to the next page and leave this one half empty.
        self.styles["h1"].keepWithNext = 0

    def story(self) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        story = self.heading_block()
        story += [self.p("In short", "h1")] + [Paragraph(esc(s), self.styles["bullet"], bulletText="•") for s in m.summary]
        story += self._goals() + self._recommendations() + self._pairs() + self._findings()
        story += [CondPageBreak(40 * mm), self.p("Measures", "h1"), self.field_table(m.measures, 70 * mm)]
        if m.new_findings:
            story += [self.p("New at the review", "h2")]
            story += [Paragraph(esc(x), self.styles["bullet"], bulletText="•") for x in m.new_findings]
        story += [CondPageBreak(35 * mm), self.p("Next steps", "h1")]
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
            story.append(self.p(f"<b>GAS T-score: {m.t_after:.1f}</b> now, {m.t_before:.1f} at the first visit."))
        if m.gas_note:
            story.append(self.p(esc(m.gas_note), "small"))
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


WORD_COLOURS = {"Better than hoped": "#067647", "As hoped": "#067647", "Some progress": "#175CD3",
                "Not yet": "#B54708", "Not checked yet": "#667085"}


class FamilyProgressRenderer(ReportRenderer):
    """One page in plain words. Long lists end in "and N more…"; if the page is still too full, they are cut
    shorter, and a last shrink-to-fit keeps it to one page whatever the visit."""

    base_size = 10.5
    MOST = 8        # items per list at most, however much room is left
    FEWEST = 2      # what shortening stops at; beyond that the page is shrunk to fit

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - self.margin - 22 * mm - 12   # the page frame, less its padding

    def story(self) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        # Shorten the longest list first (goals last: they are what the family cares about most).
        limits = {"goals": min(len(m.goal_words), self.MOST), "done": min(len(m.done), self.MOST),
                  "to_come": min(len(m.to_come), self.MOST)}
        content = self._content(limits)
        while self._height(content) > self.frame_height - 6:
            longest = max(("done", "to_come"), key=lambda k: limits[k])
            key = longest if limits[longest] > self.FEWEST else "goals"
            if limits[key] <= self.FEWEST:
                break
            limits[key] -= 1
            content = self._content(limits)
        return [KeepInFrame(self.frame_width - 12, self.frame_height - 2, content, mode="shrink")]

    def _height(self, flowables: list[Flowable]) -> float:
        width = self.frame_width - 12
        return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)

    def _content(self, limits: dict[str, int]) -> list[Flowable]:
        m: ProgressModel = self.model  # type: ignore[assignment]
        first = next((f.value for f in m.cover if f.label == "First visit"), "")
        review = next((f.value for f in m.cover if f.label == "Review visit"), "")
        # A compact head (one page is the point): title, who it is for, the two dates and the status.
        story: list[Flowable] = [self.p(esc(m.title), "h1"), self.p(esc(m.subtitle), "body"),
                                 self.p(f"First visit {esc(first)} · Review visit {esc(review)}", "meta"),
                                 *self.status_block()]
        story += [self.p("In short", "h2")] + self._bullets(m.summary)
        if m.goal_words:
            story += [self.p("Your goals", "h2"), self._goals(m.goal_words[:limits["goals"]])]
            story += self._more(len(m.goal_words) - limits["goals"], "goal")
        if m.done:
            story += [self.p("What has been done", "h2")] + self._bullets(m.done[:limits["done"]])
            story += self._more(len(m.done) - limits["done"], "thing")
        story += [self.p("Still to come", "h2")]
        story += self._bullets(m.to_come[:limits["to_come"]]) + self._more(len(m.to_come) - limits["to_come"], "thing")
        story += self._bullets(m.next_steps)
        return story + self._contact(m.contact)

    def _bullets(self, lines: tuple[str, ...] | list[str]) -> list[Flowable]:
        return [Paragraph(esc(x), self.styles["bullet"], bulletText="•") for x in lines]

    def _more(self, n: int, word: str) -> list[Flowable]:
        if n <= 0:
            return []
        return [Paragraph(f"and {n} more {word}{'' if n == 1 else 's'}… (ask us for the full list)",
                          self.styles["bullet"], bulletText=" ")]

    def _goals(self, goals: tuple[Field, ...]) -> Table:
        rows = []
        for g in goals:
            word, _, detail = g.value.partition(". Now: ")
            colour = WORD_COLOURS.get(word, "#344054")
            text = f"<font color='{colour}'><b>{esc(word)}</b></font>"
            if detail:
                text += f"<br/><font color='#52606D'>Now: {esc(detail)}</font>"
            rows.append([self.p(f"“{esc(g.label)}”", "cell"), self.p(text, "cell")])
        width = self.frame_width - 12
        table = Table(rows, colWidths=[width * 0.55, width * 0.45])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
        return table

    def _contact(self, contact: tuple[Field, ...]) -> list[Flowable]:
        if not contact:
            return []
        width = self.frame_width - 12
        rows = [[self.p("<b>Who to contact</b>", "cell"), ""]]
        rows += [[self.p(f"<b>{esc(f.label)}</b>", "cell"), self.p(esc(f.value), "cell")] for f in contact]
        table = Table(rows, colWidths=[34 * mm, width - 34 * mm])
        table.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, -1), PALE),
                                   ("LINEBEFORE", (0, 0), (0, -1), 3, BAND), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 7)]))
        return [Spacer(1, 6), table]


def render_progress_pdf(model: ProgressModel, out: Path) -> None:
    renderer = FamilyProgressRenderer if model.audience == "family" else ProgressReportRenderer
    renderer(model).render(out)  # type: ignore[arg-type]
