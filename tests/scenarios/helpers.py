"""Reading a scenario's outcome by meaning: which recommendation answers a purpose, at which tier, saying what.

Each check records what the OT expected next to what the engine produced; ``Expectations.verify``
fails once with every unmet must, so one run shows the whole case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from homeassess.services.scenario import ScenarioRecommendation, ScenarioResult

TIERS = ("P1", "P2", "P3", "P4")
# The words a family reads: what the engine says to them for each recommendation.
FAMILY_PARTS = ("title", "reason", "family_text", "choice_reason", "options")
ALL_PARTS = FAMILY_PARTS + ("clinical_text", "funding")
# Spending money or fitting something: what a free, quick fix should come before (REFERENCE §5.7).
COSTLY_CATEGORIES = ("equipment", "modification")

# The client's own falls ("you have had a fall", "your fall"), not a hypothetical "if you fell".
CLIENT_FELL = re.compile(r"\b(you|he|she) (have|has) (had )?(a |several |repeated |\d+ )?falls?\b"
                         r"|(?<!\bif )\byou fell\b|\byour (recent |last |previous )?falls?\b|\bfall(s)? in the last\b"
                         r"|\b(have|has) fallen\b|\bfalls history\b", re.I)
HIP_WORDING = re.compile(r"\bhips?\b|\b90 ?°|\bcross(ing)? (your |his |her )?legs\b|hip kit", re.I)
LIVES_ALONE = re.compile(r"\b(live|lives|living) (on (your|his|her) own|alone)\b", re.I)
METRIC = re.compile(r"\b\d+(\.\d+)? ?(mm|cm|kg)\b|\b\d+(\.\d+)? ?m\b")
IMPERIAL = re.compile(r"\b\d+(\.\d+)? ?(in|inch|inches|ft|feet|lb|lbs)\b|\d\"|\d ?′|\d ?″")


def tier_no(tier: str) -> int:
    return TIERS.index(tier) + 1


def offered(rec: ScenarioRecommendation) -> set[str]:
    """Template ids this recommendation puts forward: its suitable options, or its own template."""
    if rec.options:
        return {o.template_id for o in rec.options if o.suitable}
    return {rec.template_id} if rec.template_id else set()


def chosen(rec: ScenarioRecommendation) -> str | None:
    picked = [o.template_id for o in rec.options if o.chosen]
    return picked[0] if picked else rec.template_id


def text_of(rec: ScenarioRecommendation, parts: Iterable[str] = FAMILY_PARTS) -> str:
    out = []
    for part in parts:
        if part == "options":
            out += [f"{o.title}. {o.note}" for o in rec.options]
        elif part == "sizing":
            out += [rec.sizing.what, rec.sizing.calculation] if rec.sizing else []
        else:
            out.append(getattr(rec, part) or "")
    return " ".join(out)


def numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"\d+(?:[.,]\d+)?", text)}


def final_mm(calculation: str) -> float | None:
    """The size a calculation ends on: the last "N mm" after its last arrow."""
    tail = calculation.rsplit("→", 1)[-1]
    found = re.findall(r"(\d+(?:\.\d+)?) ?mm", tail)
    return float(found[0]) if found else None


def clip(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def short(rec: ScenarioRecommendation) -> str:
    picked = chosen(rec)
    others = sorted(offered(rec) - {picked})
    also = f"; also offers {', '.join(others)}" if others else ""
    return f"{rec.tier} “{rec.title}” [{picked or 'custom'}{also}] ({rec.room})"


@dataclass
class Outcome:
    """A scenario's result with look-ups by purpose."""

    name: str
    result: ScenarioResult

    @property
    def recs(self) -> tuple[ScenarioRecommendation, ...]:
        return self.result.recommendations

    def listing(self) -> str:
        return "; ".join(short(r) for r in self.recs) or "no recommendations at all"

    def find(self, *fragments: str, words: str | None = None, room: str | None = None,
             parts: Iterable[str] = FAMILY_PARTS) -> list[ScenarioRecommendation]:
        """Recommendations offering a template whose id contains a fragment, or whose text matches ``words``."""
        pattern = re.compile(words, re.I) if words else None
        out = []
        for rec in self.recs:
            if room is not None and rec.room != room:
                continue
            by_id = any(f in t for f in fragments for t in offered(rec))
            by_words = pattern is not None and pattern.search(text_of(rec, parts)) is not None
            if by_id or by_words:
                out.append(rec)
        return out

    def with_wording(self, pattern: re.Pattern[str] | str,
                     parts: Iterable[str] = FAMILY_PARTS) -> list[tuple[ScenarioRecommendation, str]]:
        regex = re.compile(pattern, re.I) if isinstance(pattern, str) else pattern
        hits = []
        for rec in self.recs:
            if match := regex.search(text_of(rec, parts)):
                hits.append((rec, match.group(0)))
        return hits

    def count(self, tier: str) -> int:
        return sum(1 for r in self.recs if r.tier == tier)

    def tier_list(self, tier: str) -> list[ScenarioRecommendation]:
        return [r for r in self.recs if r.tier == tier]

    def sizings(self, what: str, room: str | None = None) -> list[str]:
        return [s.calculation for name, s in self.result.sizings
                if what in s.what and (room is None or name == room)]

    def finding(self, item_id: str) -> list:
        return [f for f in self.result.findings if f.item_id == item_id]


@dataclass
class Expectations:
    """Every must and must-not of one case, checked in full before failing once."""

    case: str
    outcome: Outcome
    failures: list[str] = field(default_factory=list)

    def expect(self, ok: bool, must: str, expected: str, produced: str) -> bool:
        if not ok:
            self.failures.append(f"{must}: OT expected {expected}; engine produced {produced}")
        return ok

    # -- recommendations by purpose ------------------------------------------------------------------

    def present(self, must: str, what: str, recs: list[ScenarioRecommendation],
                tiers: str = "P1-P4") -> list[ScenarioRecommendation]:
        """At least one recommendation answers this purpose, and every one that does is in the range."""
        low, high = (tier_no(t) for t in tiers.split("-")) if "-" in tiers else (tier_no(tiers),) * 2
        where = tiers if low != high else f"exactly {tiers}"
        if not recs:
            self.expect(False, must, f"{what} at {where}", f"none; it suggested: {self.outcome.listing()}")
            return []
        wrong = [r for r in recs if not low <= tier_no(r.tier) <= high]
        self.expect(not wrong, must, f"{what} at {where}", ", ".join(short(r) for r in wrong))
        return recs

    def absent(self, must: str, what: str, recs: list[ScenarioRecommendation]) -> None:
        self.expect(not recs, must, f"no {what}", ", ".join(short(r) for r in recs))

    def not_at(self, must: str, what: str, recs: list[ScenarioRecommendation], tiers: Iterable[str]) -> None:
        bad = [r for r in recs if r.tier in set(tiers)]
        self.expect(not bad, must, f"no {what} at {'/'.join(tiers)}", ", ".join(short(r) for r in bad))

    def says(self, must: str, rec: ScenarioRecommendation | None, pattern: str, what: str,
             parts: Iterable[str] = ("reason",)) -> None:
        if rec is None:
            return
        text = text_of(rec, parts)
        self.expect(re.search(pattern, text, re.I) is not None, must,
                    f"the {'/'.join(parts)} of {short(rec)} to mention {what}", f"“{clip(text)}”")

    def lower_tier(self, must: str, lower: list[ScenarioRecommendation], higher: list[ScenarioRecommendation],
                   what: str) -> None:
        if not lower or not higher:
            return
        worst_high = max(tier_no(r.tier) for r in higher)
        bad = [r for r in lower if tier_no(r.tier) <= worst_high]
        self.expect(not bad, must, what, ", ".join(short(r) for r in bad) + f" vs {short(higher[0])}")

    def first_in_tier(self, must: str, recs: list[ScenarioRecommendation], what: str,
                      before: Iterable[str] | None = None) -> None:
        """Each of ``recs`` comes before the other recommendations of its tier (only those in ``before``
        categories when given); recommendations in ``recs`` may share the top places."""
        group = {id(r) for r in recs}
        for rec in recs:
            tier = self.outcome.tier_list(rec.tier)
            ahead = [r for r in tier[:tier.index(rec)] if id(r) not in group
                     and (before is None or r.category in before)]
            self.expect(not ahead, must, f"{what}: {short(rec)} first in {rec.tier}",
                        "ahead of it: " + ", ".join(short(r) for r in ahead))

    # -- counts and wording --------------------------------------------------------------------------

    def at_most(self, must: str, tier: str, limit: int) -> None:
        found = self.outcome.tier_list(tier)
        self.expect(len(found) <= limit, must, f"no more than {limit} {tier}",
                    f"{len(found)} {tier}: " + ", ".join(f"“{r.title}”" for r in found))

    def p1_at_most_third(self, must: str) -> None:
        total, p1 = len(self.outcome.recs), self.outcome.count("P1")
        self.expect(3 * p1 <= total, must, "P1 no more than one third of all recommendations",
                    f"{p1} P1 of {total}: " + ", ".join(f"“{r.title}”" for r in self.outcome.tier_list("P1")))

    def no_wording(self, must: str, pattern: re.Pattern[str] | str, what: str,
                   parts: Iterable[str] = FAMILY_PARTS) -> None:
        hits = self.outcome.with_wording(pattern, parts)
        self.expect(not hits, must, f"no {what}", "; ".join(f"“{m}” in {short(r)}" for r, m in hits))

    def no_metric_only(self, must: str, parts: Iterable[str] = ("title", "reason", "family_text")) -> None:
        """Imperial display: any metric figure a family reads comes with its imperial one."""
        bad = [r for r in self.outcome.recs
               if METRIC.search(t := text_of(r, parts)) and not IMPERIAL.search(t)]
        self.expect(not bad, must, "no metric-only figures in family wording (imperial display)",
                    "; ".join(f"{short(r)}: “{METRIC.search(text_of(r, parts)).group(0)}”" for r in bad))

    def sizing_numbers(self, must: str, rec: ScenarioRecommendation | None, wanted: Iterable[float],
                       what: str, unwanted: Iterable[float] = ()) -> None:
        if rec is None:
            return
        calc = rec.sizing.calculation if rec.sizing else ""
        got = numbers(calc)
        missing = [n for n in wanted if n not in got]
        extra = [n for n in unwanted if n in got]
        self.expect(rec.sizing is not None and not missing and not extra, must,
                    f"{what} in the sizing of {short(rec)}",
                    f"“{calc}”" if rec.sizing else "no sizing")

    def verify(self) -> None:
        if self.failures:
            raise AssertionError(f"{self.case}: {len(self.failures)} expectation(s) not met\n  - "
                                 + "\n  - ".join(self.failures))
