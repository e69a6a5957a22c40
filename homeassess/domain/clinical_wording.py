"""Clinical voice for the clinical report, held beside the family wording.

The family reads "you have had a fall in the last year"; the clinical record reads "1 fall in
12 months". Both come from the same client factors (``priority.MODIFIER_CLAUSES`` is the family
half), so they can never disagree about which factor raised a risk.
"""

from __future__ import annotations

from collections.abc import Callable

from homeassess.domain.checklist import Hazard
from homeassess.domain.client import ClientProfile, Cognition, Precaution

HAZARD_TERMS = {
    Hazard.FALL: "falls risk", Hazard.TRIP: "trip hazard", Hazard.TRANSFER: "unsafe transfer",
    Hazard.SCALD: "scald risk", Hazard.BURN: "burn risk", Hazard.FIRE: "fire risk",
    Hazard.ELECTRICAL: "electrical hazard", Hazard.ACCESS: "access barrier", Hazard.REACH: "reach outside safe range",
    Hazard.LIGHTING: "inadequate lighting", Hazard.SUMMON_HELP: "unable to summon help",
    Hazard.WANDERING: "risk of leaving home unnoticed", Hazard.MEDICATION: "medication management risk",
    Hazard.POISONING: "poisoning risk", Hazard.DROWNING: "drowning risk", Hazard.ERGONOMIC: "cumulative strain",
    Hazard.FATIGUE: "energy cost / fatigue", Hazard.SECURITY: "personal security risk", Hazard.OTHER: "",
}

PRECAUTION_TERMS = {
    Precaution.HIP_POSTERIOR: "posterior THR precautions", Precaution.HIP_ANTERIOR: "anterior THR precautions",
    Precaution.SPINAL: "spinal precautions", Precaution.RESTRICTED_WEIGHT_BEARING: "restricted weight bearing",
    Precaution.STERNAL: "sternal precautions",
}

COGNITION_TERMS = {Cognition.MILD: "mild cognitive impairment", Cognition.MODERATE: "moderate cognitive impairment",
                   Cognition.SEVERE: "severe cognitive impairment", Cognition.INTACT: "cognitive impairment"}


def _falls(p: ClientProfile) -> str:
    n = p.falls_last_12_months
    return f"{n} fall{'s' if n != 1 else ''} in 12 months" if n else "falls history"


def _aid(p: ClientProfile) -> str:
    return f"uses {p.mobility_aid.label.lower()} (hands occupied)" if p.mobility_aid.value != "none" else "walking aid"


def _precautions(p: ClientProfile) -> str:
    terms = [PRECAUTION_TERMS[x] for x in sorted(p.precautions) if x in PRECAUTION_TERMS]
    return "; ".join(terms) or "movement precautions"


FACTOR_TERMS: dict[str, Callable[[ClientProfile], str]] = {
    "falls_history": _falls,
    "walker": _aid,
    "cognitive_impairment": lambda p: COGNITION_TERMS[p.cognition],
    "sensory_loss": lambda p: "reduced sensation",
    "long_desk_hours": lambda p: "> 4 h/day computer use",
    "lives_alone": lambda p: "lives alone",
    "precaution": _precautions,
    "freezing": lambda p: "freezing of gait",
    "no_danger_awareness": lambda p: "reduced danger awareness",
    "leaves_home": lambda p: "history of leaving home unnoticed",
    "fatigue": lambda p: "fatigue",
    "heat_sensitive": lambda p: "heat-sensitive symptoms",
}


def factor_terms(modifiers: tuple[str, ...] | list[str], profile: ClientProfile) -> list[str]:
    """Each client factor in clinical shorthand, once, in the order the rules gave them."""
    out: list[str] = []
    for mod in modifiers:
        term = FACTOR_TERMS.get(mod.split("@", 1)[0])
        text = term(profile) if term else ""
        if text and text not in out:
            out.append(text)
    return out


def clinical_rationale(*, hazard: str, essential: bool, modifiers: tuple[str, ...] | list[str],
                       profile: ClientProfile, measured: str = "") -> str:
    """E.g. "Falls risk; blocks essential access; 1 fall in 12 months; posterior THR precautions;
    toilet 380 mm vs at least 520 mm." — third person, no second-person family sentence."""
    try:
        what = HAZARD_TERMS[Hazard(hazard)]
    except ValueError:
        what = ""
    parts = [what] if what else []
    if essential:
        parts.append("blocks essential access (toilet, washing or exit)")
    parts += factor_terms(modifiers, profile)
    if measured:
        parts.append(measured)
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""
