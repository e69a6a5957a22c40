"""Derive findings from a room's answers and the client profile (pure rules).

Each item's checks are tried in order and the first that matches makes the finding, so a
client-specific check (a 760 mm door for a wheelchair user) is written before the general one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from homeassess.domain.checklist import NOT_APPLICABLE, Check, Checklist, Hazard, Item, ItemKind, Quantity
from homeassess.domain.client import hands_phrase
from homeassess.domain.priority import Tier, assess_risk, reason_sentence, tier_for
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.scald import burn_time_text
from homeassess.domain.units import format_both


@dataclass(frozen=True, slots=True)
class Answer:
    """A stored answer: ``value`` for yes/no, choice and text; ``number`` for measure and count."""

    item_id: str
    value: str | None = None
    number: float | None = None
    note: str = ""

    @property
    def is_answered(self) -> bool:
        return self.value not in (None, "") or self.number is not None


@dataclass(frozen=True, slots=True)
class Context:
    """Who the findings are about and which standards apply."""

    tags: frozenset[str]
    measures: dict[str, float | None]
    standard: StandardProfile
    units: DisplayUnits = DisplayUnits.METRIC


@dataclass(frozen=True, slots=True)
class DerivedFinding:
    item_id: str
    title: str
    reason_clause: str
    hazard: Hazard
    base_likelihood: int
    base_consequence: int
    likelihood: int
    consequence: int
    modifiers: tuple[str, ...]
    essential: bool
    recommendations: tuple[str, ...]
    source: str = ""
    later: tuple[str, ...] = ()
    measured: float | None = None
    quantity: Quantity | None = None
    comparator: str = ""
    limit_low: float | None = None
    limit_high: float | None = None
    client_specific: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def tier(self) -> Tier:
        return tier_for(self.score, essential=self.essential, hazard=self.hazard)

    @property
    def reason(self) -> str:
        return reason_sentence(self.tier, self.reason_clause, self.modifiers)


def is_visible(item: Item, answers: dict[str, Answer]) -> bool:
    """An item with ``show_if`` is asked only when the item it depends on has a listed answer."""
    if item.show_if is None:
        return True
    answer = answers.get(item.show_if.item)
    return answer is not None and answer.value in item.show_if.equals


def _client_matches(check: Check, tags: frozenset[str]) -> bool:
    if check.client_any and not (check.client_any & tags):
        return False
    return not (check.client_none & tags)


def _numeric_match(check: Check, number: float, ctx: Context) -> tuple[str, float | None, float | None] | None:
    if check.below is not None:
        limit = check.below.resolve(ctx.standard, ctx.measures)
        return ("below", limit, None) if limit is not None and number < limit else None
    if check.above is not None:
        limit = check.above.resolve(ctx.standard, ctx.measures)
        return ("above", limit, None) if limit is not None and number > limit else None
    if check.outside is not None:
        low = check.outside[0].resolve(ctx.standard, ctx.measures)
        high = check.outside[1].resolve(ctx.standard, ctx.measures)
        if low is not None and high is not None and not low <= number <= high:
            return ("outside", low, high)
    return None


def _fits(check: Check, item: Item, sizings: tuple) -> bool:
    """The check defers to a calculation for this item, and the calculation says it fits."""
    return bool(check.unless_fits) and any(
        s.key == check.unless_fits and s.item_id == item.id and s.outcome == "fits" for s in sizings)


def _fill(reason: str, item: Item, number: float | None, ctx: Context) -> str:
    """Placeholders in a reason: ``{burn_time}`` from the measured water temperature (REFERENCE §3.9), and
    ``{answer}``, the measured or counted value itself ("25 kg (55 lb)", "240")."""
    if "{burn_time}" in reason and number is not None:
        thin_skin = bool(ctx.tags & {"child", "older_adult"})
        reason = reason.replace("{burn_time}", burn_time_text(number, thin_skin=thin_skin))
    if "{hands}" in reason:
        reason = reason.replace("{hands}", hands_phrase(ctx.tags))
    if "{answer}" in reason and number is not None:
        shown = format_both(number, item.quantity, ctx.units) if item.quantity is not None else f"{number:g}"
        reason = reason.replace("{answer}", shown)
    return reason


def evaluate_item(item: Item, answer: Answer | None, ctx: Context, sizings: tuple = ()) -> DerivedFinding | None:
    """The finding this answer makes for this client, or None.

    ``sizings`` are the room's calculations (domain/room_sizing.py): a check marked
    ``unless_fits`` makes no finding when the calculation for this item says it fits."""
    if answer is None or not answer.is_answered:
        return _to_check(item, ctx)
    if answer.value == NOT_APPLICABLE:
        return None
    for check in item.checks:
        if check.if_unanswered:
            continue
        if not _client_matches(check, ctx.tags) or _fits(check, item, sizings):
            continue
        matched: tuple[str, float | None, float | None] | None = None
        if item.kind in (ItemKind.YES_NO, ItemKind.CHOICE):
            matched = ("is", None, None) if answer.value in check.when else None
        elif answer.number is not None:
            matched = _numeric_match(check, answer.number, ctx)
        if matched is None:
            continue
        risk = assess_risk(hazard=check.hazard, likelihood=check.likelihood, consequence=check.consequence,
                           tags=ctx.tags, violates_precaution=check.violates_precaution,
                           already_counted=check.client_any)
        return DerivedFinding(
            item_id=item.id, title=check.title, reason_clause=_fill(check.reason, item, answer.number, ctx),
            hazard=check.hazard,
            base_likelihood=check.likelihood, base_consequence=check.consequence,
            likelihood=risk.likelihood, consequence=risk.consequence, modifiers=risk.modifiers,
            essential=check.essential, recommendations=check.recommendations, source=check.source,
            later=check.later,
            measured=answer.number if item.kind is not ItemKind.YES_NO else None,
            quantity=item.quantity, comparator=matched[0], limit_low=matched[1], limit_high=matched[2],
            client_specific=bool(check.client_any),
        )
    return None


TO_CHECK = "To check at the visit: "
TO_CHECK_MAX_SCORE = 7   # never above P3: nothing is urgent until it has been seen (REFERENCE §5.1)


def _to_check(item: Item, ctx: Context) -> DerivedFinding | None:
    """A need the profile implies for an item nobody has answered yet (issue: 'the task was not graded')."""
    for check in item.checks:
        if not check.if_unanswered or not _client_matches(check, ctx.tags):
            continue
        risk = assess_risk(hazard=check.hazard, likelihood=check.likelihood, consequence=check.consequence,
                           tags=ctx.tags, already_counted=check.client_any)
        consequence = risk.consequence
        likelihood = max(1, min(risk.likelihood, TO_CHECK_MAX_SCORE // consequence))
        return DerivedFinding(
            item_id=item.id, title=TO_CHECK + check.title, reason_clause=check.reason,
            hazard=check.hazard, base_likelihood=check.likelihood, base_consequence=check.consequence,
            likelihood=likelihood, consequence=consequence, modifiers=risk.modifiers, essential=False,
            recommendations=check.recommendations, source=check.source, later=check.later,
            client_specific=True)
    return None


def derive_findings(checklist: Checklist, answers: dict[str, Answer], ctx: Context,
                    sizings: tuple = ()) -> list[DerivedFinding]:
    """All findings for one room, in checklist order; hidden items never make findings."""
    factors = {item.adds_factor[0] for item in checklist.items
               if item.adds_factor and is_visible(item, answers) and (a := answers.get(item.id)) is not None
               and a.value in item.adds_factor[1]}
    if factors:
        ctx = replace(ctx, tags=ctx.tags | factors)
    findings = []
    for item in checklist.items:
        if is_visible(item, answers) and (f := evaluate_item(item, answers.get(item.id), ctx, sizings)):
            if "{item:" in f.reason_clause:
                f = replace(f, reason_clause=_fill_other_items(f.reason_clause, checklist, answers, ctx))
            findings.append(f)
    return findings


_OPTIONAL_PART = re.compile(r"\[([^\]]*)\]")


def _fill_other_items(reason: str, checklist: Checklist, answers: dict[str, Answer], ctx: Context) -> str:
    """``[… {item:stairs.count} …]``: a part of the reason quoting another answer in the room ("15 steps"),
    left out while that item is unanswered or hidden."""
    def part(match: re.Match[str]) -> str:
        text = match.group(1)
        for ref in re.findall(r"\{item:([^}]*)\}", text):
            item, answer = checklist.item(ref), answers.get(ref)
            if answer is None or answer.number is None or not is_visible(item, answers):
                return ""
            shown = format_both(answer.number, item.quantity, ctx.units) if item.quantity else f"{answer.number:g}"
            text = text.replace(f"{{item:{ref}}}", shown)
        return text
    return _OPTIONAL_PART.sub(part, reason)


@dataclass(frozen=True, slots=True)
class Completeness:
    answered: int
    total: int

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0


def completeness(checklist: Checklist, answers: dict[str, Answer]) -> Completeness:
    """Answered vs askable items (text notes are optional and not counted)."""
    askable = [i for i in checklist.items if i.kind is not ItemKind.TEXT and is_visible(i, answers)]
    answered = sum(1 for i in askable if (a := answers.get(i.id)) is not None and a.is_answered)
    return Completeness(answered, len(askable))


@dataclass(frozen=True, slots=True)
class Threshold:
    """A limit that applies to this client, for showing beside a measurement field."""

    comparator: str
    low: float
    high: float | None
    source: str
    client_specific: bool
    title: str


def applicable_thresholds(item: Item, ctx: Context) -> list[Threshold]:
    """Numeric limits of the checks that could fire for this client, in check order."""
    out = []
    for check in item.checks:
        if not _client_matches(check, ctx.tags):
            continue
        if check.below is not None and (v := check.below.resolve(ctx.standard, ctx.measures)) is not None:
            out.append(Threshold("below", v, None, check.source, bool(check.client_any), check.title))
        elif check.above is not None and (v := check.above.resolve(ctx.standard, ctx.measures)) is not None:
            out.append(Threshold("above", v, None, check.source, bool(check.client_any), check.title))
        elif check.outside is not None:
            low = check.outside[0].resolve(ctx.standard, ctx.measures)
            high = check.outside[1].resolve(ctx.standard, ctx.measures)
            if low is not None and high is not None:
                out.append(Threshold("outside", low, high, check.source, bool(check.client_any), check.title))
    return out
