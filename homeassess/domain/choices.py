"""Preselect one option of a choice from the sizing, the client and cost (DESIGN §2 step 5).

Options are listed in the data in order of clinical preference. An option suits unless its sizing
was worked out and ruled it out; the preselected option is, in order: one preferred for this
client, one the measurements confirm, one the findings asked for first, the cheapest and
quickest, then the first listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassess.domain.checklist import Choice, ChoiceOption, RecommendationTemplate
from homeassess.domain.sizing import Sizing


MEASURED = "From the measurements: "   # a choice reason that families are shown too (it is the calculation)


@dataclass(frozen=True, slots=True)
class OptionState:
    recommendation: str
    suitable: bool
    note: str = ""         # why it does not suit (the calculation that rules it out)
    confirmed: bool = False  # a calculation positively supports it


@dataclass(frozen=True, slots=True)
class Preselection:
    options: tuple[OptionState, ...]
    chosen: str
    reason: str


def offered(choice: Choice, tags: frozenset[str]) -> list[ChoiceOption]:
    return [o for o in choice.options
            if (not o.client_any or o.client_any & tags) and not (o.client_none & tags)]


def _state(option: ChoiceOption, sizings: list[Sizing]) -> OptionState:
    if not option.sizing:
        return OptionState(option.recommendation, True)
    decided = [s for s in sizings if s.key == option.sizing and s.outcome]
    if not decided:
        return OptionState(option.recommendation, True)
    sizing = decided[0]
    if sizing.outcome in option.suits:
        return OptionState(option.recommendation, True, confirmed=True)
    return OptionState(option.recommendation, False, note=sizing.calculation)


def preselect(choice: Choice, *, tags: frozenset[str], sizings: list[Sizing], asked_for: list[str],
              templates: dict[str, RecommendationTemplate]) -> Preselection:
    """The options this client is offered, which suit, and the one to preselect with why."""
    options = offered(choice, tags) or list(choice.options)
    states = [_state(o, sizings) for o in options]
    by_id = {o.recommendation: o for o in options}

    def rank(index_state: tuple[int, OptionState]) -> tuple:
        index, state = index_state
        option, template = by_id[state.recommendation], templates[state.recommendation]
        asked = asked_for.index(state.recommendation) if state.recommendation in asked_for else len(asked_for)
        return (not state.suitable, not (option.prefer_for & tags), not state.confirmed, asked,
                template.cost.rank + template.effort.rank, index)

    _, best = min(enumerate(states), key=rank)
    option = by_id[best.recommendation]
    if not best.suitable:
        reason = "None of the options fits the measurements as recorded; check them on site."
    elif best.confirmed:
        sizing = next(s for s in sizings if s.key == option.sizing and s.outcome)
        reason = f"{MEASURED}{sizing.calculation}."
    elif option.prefer_for & tags:
        reason = "Best suited to this client (" + ", ".join(sorted(
            t.replace("_", " ") for t in option.prefer_for & tags)) + ")."
    else:
        reason = "What the findings point to first." if best.recommendation in asked_for \
            else "The simplest option that suits."
    return Preselection(tuple(states), best.recommendation, reason)
