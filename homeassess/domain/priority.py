"""Risk scoring and priority tiers (REFERENCE §5.1, §5.2, §5.7).

Risk = likelihood × consequence on 1–5 scales, raised by client factors. Tiers follow the
app's synthesis of UK DFG urgency and NPSA bands: P1 urgent, P2 high, P3 medium, P4 low.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from homeassess.domain.checklist import Hazard


class Tier(IntEnum):
    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4

    @property
    def code(self) -> str:
        return f"P{self.value}"

    @property
    def label(self) -> str:
        return ("Urgent", "High", "Medium", "Low")[self.value - 1]

    @property
    def lead(self) -> str:
        """Opening words of the one-sentence reason a family reads."""
        return ("Urgent", "High priority", "Medium priority", "Low priority")[self.value - 1]

    @property
    def meaning(self) -> str:
        return (
            "Could cause serious harm soon, or blocks safe use of the toilet, washing or the way out.",
            "A fall or injury could happen soon, or you could lose some independence.",
            "Makes daily tasks easier and safer.",
            "Comfort and planning for the future.",
        )[self.value - 1]


P1_SCORE, P2_SCORE, P3_SCORE = 15, 8, 4

FALL_HAZARDS = frozenset({Hazard.FALL, Hazard.TRIP, Hazard.TRANSFER})
ROUTE_HAZARDS = frozenset({Hazard.TRIP, Hazard.ACCESS})
COGNITIVE_HAZARDS = frozenset({Hazard.FIRE, Hazard.SCALD, Hazard.BURN, Hazard.WANDERING,
                               Hazard.MEDICATION, Hazard.POISONING})
HEAT_HAZARDS = frozenset({Hazard.SCALD, Hazard.BURN})
# Freezing of gait is set off by clutter, thresholds and dim light (REFERENCE §4, Parkinson's row); doorways
# and tight turns are asked about for the client who freezes (client_any = ["freezing"]).
FREEZING_HAZARDS = frozenset({Hazard.TRIP, Hazard.LIGHTING})
# Someone who does not sense danger, or leaves unnoticed, meets water, doors and heat unprotected.
DANGER_HAZARDS = frozenset({Hazard.DROWNING, Hazard.WANDERING, Hazard.POISONING, Hazard.SCALD, Hazard.BURN,
                            Hazard.FIRE, Hazard.ELECTRICAL})

# Which client factor raises which hazards, and on which dimension (REFERENCE §5.2, §5.7). A frame
# is a route and threshold factor, not a stairs one: nobody takes a walking frame up the stairs.
LIKELIHOOD_FACTORS = (("falls_history", FALL_HAZARDS), ("walker", ROUTE_HAZARDS),
                      ("cognitive_impairment", COGNITIVE_HAZARDS), ("sensory_loss", HEAT_HAZARDS),
                      ("long_desk_hours", frozenset({Hazard.ERGONOMIC})), ("freezing", FREEZING_HAZARDS),
                      ("no_danger_awareness", DANGER_HAZARDS),
                      ("leaves_home", frozenset({Hazard.WANDERING, Hazard.DROWNING, Hazard.SECURITY})),
                      ("fatigue", frozenset({Hazard.FATIGUE})), ("heat_sensitive", frozenset({Hazard.FATIGUE})))
# Factors that come from an answer in the room rather than from the client (checklist ``adds_factor``).
ANSWER_FACTORS = frozenset({"long_desk_hours"})
CONSEQUENCE_FACTORS = (("lives_alone", frozenset({Hazard.SUMMON_HELP})),)

# Plain-English clause added to a reason when a client factor raised the risk.
MODIFIER_CLAUSES = {
    "falls_history": "you have had a fall in the last year",
    "walker": "a walking frame keeps both hands busy",
    "cognitive_impairment": "memory or thinking changes make the danger harder to notice",
    "sensory_loss": "reduced feeling makes heat hard to judge",
    "long_desk_hours": "more than four hours a day at the computer makes the strain add up",
    "lives_alone": "you live alone, so help may not come quickly",
    "precaution": "it asks for movements your surgeon has told you to avoid for now",
    "freezing": "doorways, turns and clutter are where your feet tend to freeze",
    "no_danger_awareness": "you may not sense the danger in time",
    "leaves_home": "you have left home unnoticed before",
    "fatigue": "tiredness builds up and leaves less energy for the rest of the day",
    "heat_sensitive": "heat makes your symptoms and tiredness worse",
    # For a child the report speaks to the parents (issue: children's wording).
    "falls_history@child": "your child has had a fall in the last year",
    "walker@child": "a walking frame keeps your child's hands busy",
    "cognitive_impairment@child": "your child may not notice the danger in time",
    "sensory_loss@child": "reduced feeling makes heat hard for your child to judge",
    "freezing@child": "doorways, turns and clutter are where your child's feet tend to freeze",
    "no_danger_awareness@child": "your child may not sense the danger",
    "leaves_home@child": "your child has left the house unnoticed before",
    "fatigue@child": "your child tires quickly and needs energy for the rest of the day",
    "heat_sensitive@child": "heat makes your child's symptoms and tiredness worse",
}


@dataclass(frozen=True, slots=True)
class Risk:
    likelihood: int
    consequence: int
    modifiers: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


def assess_risk(*, hazard: Hazard, likelihood: int, consequence: int, tags: frozenset[str],
                violates_precaution: frozenset[str] = frozenset(),
                already_counted: frozenset[str] = frozenset()) -> Risk:
    """Apply the client modifiers of REFERENCE §5.7 to a base likelihood and consequence.

    A factor counts only for the hazards it bears on, each dimension rises by one step at most
    however many factors apply, and ``already_counted`` (the tags a client-specific check was
    written for) never raises again: the check's base scores already reflect them.
    """
    relevant_l = [tag for tag, hazards in LIKELIHOOD_FACTORS if tag in tags and hazard in hazards]
    relevant_c = [tag for tag, hazards in CONSEQUENCE_FACTORS if tag in tags and hazard in hazards]
    raised_l = [t for t in relevant_l if t not in already_counted]
    raised_c = [t for t in relevant_c if t not in already_counted]
    if violates_precaution & tags and not violates_precaution & already_counted:
        raised_c.append("precaution")
    lik = min(likelihood + (1 if raised_l else 0), 5)
    con = min(consequence + (1 if raised_c else 0), 5)
    # The family-facing reason names one factor: the one a client-specific check is about comes
    # first, then one that raised the score, never the precaution (checks about precautions
    # say so in their own words).
    mods = relevant_l + relevant_c + (["precaution"] if "precaution" in raised_c else [])
    mods.sort(key=lambda m: 0 if m in already_counted else 2 if m == "precaution" else 1)
    if "child" in tags:
        mods = [f"{m}@child" if f"{m}@child" in MODIFIER_CLAUSES else m for m in mods]
    return Risk(lik, con, tuple(mods))


# Strain and tiredness build up over weeks: they are never "imminent serious harm" (REFERENCE §5.1), so
# however high they score they stay at P2 unless they block the toilet, washing or the way out.
NEVER_URGENT = frozenset({Hazard.ERGONOMIC, Hazard.FATIGUE})


def tier_for(score: int, *, essential: bool = False, hazard: Hazard | str | None = None) -> Tier:
    if essential:
        return Tier.P1
    if score >= P1_SCORE:
        return Tier.P2 if hazard is not None and Hazard(hazard) in NEVER_URGENT else Tier.P1
    if score >= P2_SCORE:
        return Tier.P2
    if score >= P3_SCORE:
        return Tier.P3
    return Tier.P4


def reason_sentence(tier: Tier, clause: str, modifiers: tuple[str, ...] = ()) -> str:
    """``Urgent because <clause>, and <client factor>.`` — one sentence a family can read."""
    clause = clause.strip().rstrip(".")
    # One client factor keeps the sentence short (see assess_risk for the order).
    extras = [MODIFIER_CLAUSES[m] for m in modifiers if m in MODIFIER_CLAUSES][:1]
    body = clause + "".join(f", and {e}" for e in extras)
    return f"{tier.lead} because {body}."


TO_CHECK_NOTE = " To check at the visit."


@dataclass(frozen=True, slots=True)
class ReasonParts:
    """A stored reason taken apart again: the report says a client factor once, not on every line."""

    clause: str          # "a loose rug edge is one of the commonest causes of falls at home"
    factor: str = ""     # MODIFIER_CLAUSES key the sentence named ("falls_history"), or ""
    to_check: bool = False

    def sentence(self, *, with_factor: bool = True) -> str:
        """The reason without its tier lead: "A loose rug … at home, and you have had a fall …"."""
        body = self.clause + (f", and {MODIFIER_CLAUSES[self.factor]}" if with_factor and self.factor else "")
        body = body[:1].upper() + body[1:] + "." if body else ""
        return body + (TO_CHECK_NOTE if self.to_check else "")


def split_reason(reason: str) -> ReasonParts:
    """Undo ``reason_sentence`` (plus the to-check note); text not made by it comes back whole as the clause."""
    text = reason.strip()
    to_check = text.endswith(TO_CHECK_NOTE.strip())
    if to_check:
        text = text[: -len(TO_CHECK_NOTE.strip())].rstrip()
    for tier in Tier:
        lead = f"{tier.lead} because "
        if text.startswith(lead):
            text = text[len(lead):]
            break
    text = text.rstrip(".").strip()
    for key, clause in MODIFIER_CLAUSES.items():
        if text.endswith(f", and {clause}"):
            return ReasonParts(text[: -len(f", and {clause}")], key, to_check)
    return ReasonParts(text, "", to_check)
