"""Outcome measures for follow-up (REFERENCE §6.1 GAS, §6.3 FES-I, falls, hazard resolution)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum

from homeassess.domain.errors import FieldError, ValidationError

GAS_LEVELS = (-2, -1, 0, 1, 2)
GAS_MEANINGS = {-2: "Much less than expected", -1: "Somewhat less than expected", 0: "Expected outcome",
                1: "Somewhat more than expected", 2: "Much more than expected"}
DEFAULT_RHO = 0.3  # conventional inter-goal correlation (Kiresuk & Sherman)


def gas_t_score(levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = DEFAULT_RHO) -> float:
    """Kiresuk & Sherman T-score: 50 + 10·Σwx / √((1−ρ)Σw² + ρ(Σw)²) (REFERENCE §6.1)."""
    if not levels:
        raise ValueError("at least one scored goal is needed")
    weights = list(weights) if weights is not None else [1.0] * len(levels)
    if len(weights) != len(levels):
        raise ValueError("one weight per goal")
    if any(x not in GAS_LEVELS for x in levels):
        raise ValueError("attainment levels are −2 to +2")
    if any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    if not 0 <= rho < 1:
        raise ValueError("ρ must be from 0 to just under 1")
    numerator = 10 * sum(w * x for w, x in zip(weights, levels, strict=True))
    denominator = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * sum(weights) ** 2)
    return 50 + numerator / denominator


class Outcome(StrEnum):
    RESOLVED = "resolved"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"

    @property
    def label(self) -> str:
        return self.value.capitalize()


FES_I_RANGE = (16, 64)


def fes_i_concern(total: int) -> str:
    """Delbaere 2010 cut-offs for the 16-item FES-I (REFERENCE §6.3)."""
    if not FES_I_RANGE[0] <= total <= FES_I_RANGE[1]:
        raise ValidationError([FieldError("fes_i_total", "FES-I totals run from 16 to 64")])
    if total <= 19:
        return "low concern"
    if total <= 27:
        return "moderate concern"
    return "high concern"


def validate_gas_goal(levels: dict[str, str], weight: int, baseline: int) -> list[FieldError]:
    errors = []
    if set(levels) - {str(x) for x in GAS_LEVELS}:
        errors.append(FieldError("gas_levels", "levels are keyed -2, -1, 0, 1, 2"))
    if not 1 <= weight <= 9:
        errors.append(FieldError("weight", "weight must be 1 to 9 (importance × difficulty)"))
    if baseline not in GAS_LEVELS:
        errors.append(FieldError("baseline_level", "baseline must be −2 to +2 (usually −1)"))
    return errors
