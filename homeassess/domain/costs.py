"""Who does it, what it costs, who pays: totals and a budget cap (REFERENCE §5.5, §5.6, §5.7).

Pure functions over plain ``CostLine`` values so the budget logic is unit-tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from homeassess.domain.profiles import StandardProfile

WHO_LABELS = {"family": "Family or friends", "handyperson": "Handyperson", "builder": "Builder",
              "plumber": "Plumber", "electrician": "Electrician", "supplier": "Equipment supplier",
              "therapist": "Therapist", "doctor": "GP / doctor", "service": "Local service"}


class FundingRoute(StrEnum):
    SELF = "self"
    COMMUNITY_EQUIPMENT = "community_equipment"
    MINOR_ADAPTATION = "minor_adaptation"
    DFG = "dfg"
    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    OAHMP = "oahmp"
    NDIS_AT = "ndis_at"
    NDIS_HOME_MODS = "ndis_home_mods"
    HOUSING_PROVIDER = "housing_provider"
    CHARITY = "charity"
    OTHER = "other"

    @property
    def label(self) -> str:
        return FUNDING_LABELS[self]


FUNDING_LABELS = {
    FundingRoute.SELF: "Self-funded",
    FundingRoute.COMMUNITY_EQUIPMENT: "Community equipment service (loan)",
    FundingRoute.MINOR_ADAPTATION: "Council minor adaptation (free up to £1,000)",
    FundingRoute.DFG: "Disabled Facilities Grant",
    FundingRoute.MEDICARE: "Medicare Part B (DME)",
    FundingRoute.MEDICAID: "Medicaid / Medicare Advantage / insurer",
    FundingRoute.OAHMP: "HUD older adult home modification grant",
    FundingRoute.NDIS_AT: "NDIS assistive technology",
    FundingRoute.NDIS_HOME_MODS: "NDIS home modifications",
    FundingRoute.HOUSING_PROVIDER: "Landlord / housing provider",
    FundingRoute.CHARITY: "Charity or benevolent fund",
    FundingRoute.OTHER: "Other",
}

# Routes offered per region (REFERENCE §5.6), most common first.
ROUTES_BY_REGION = {
    StandardProfile.UK: (FundingRoute.COMMUNITY_EQUIPMENT, FundingRoute.MINOR_ADAPTATION, FundingRoute.DFG,
                         FundingRoute.SELF, FundingRoute.HOUSING_PROVIDER, FundingRoute.CHARITY, FundingRoute.OTHER),
    StandardProfile.US: (FundingRoute.SELF, FundingRoute.MEDICARE, FundingRoute.MEDICAID, FundingRoute.OAHMP,
                         FundingRoute.HOUSING_PROVIDER, FundingRoute.CHARITY, FundingRoute.OTHER),
    StandardProfile.AU: (FundingRoute.NDIS_AT, FundingRoute.NDIS_HOME_MODS, FundingRoute.SELF,
                         FundingRoute.HOUSING_PROVIDER, FundingRoute.CHARITY, FundingRoute.OTHER),
}

# Medicare Part B treats bath safety items as convenience items (GY modifier) but covers commodes and,
# with criteria, transfer benches (REFERENCE §5.6, S39).
MEDICARE_COVERED_HCPCS = frozenset({"E0163", "E0165", "E0168", "E0170", "E0247", "E0248", "E0100", "E0105",
                                    "E0110", "E0114", "E0130", "E0135", "E0141", "E0143", "E0149", "E0255",
                                    "E0260", "E0265", "E0630", "E0635", "E0621", "E0627", "E0910", "E0940",
                                    "K0001", "K0003", "K0004"})
UK_MINOR_ADAPTATION_LIMIT = 1000.0  # Care Act 2014: minor adaptations ≤ £1,000 free if eligible
NDIS_LOW_COST_AT = 1500.0           # NDIS low-cost AT < A$1,500 per item
OAHMP_CAP = 5000.0                  # cited cap per home (◐)


def suggest_funding(*, region: StandardProfile, category: str, cost: float | None, hcpcs: str = "") -> FundingRoute:
    """A first guess at the funding route; the therapist confirms it (REFERENCE §5.6)."""
    if category in ("education", "referral", "behaviour") or cost == 0:
        return FundingRoute.SELF
    if region is StandardProfile.UK:
        if category == "equipment":
            return FundingRoute.COMMUNITY_EQUIPMENT
        return FundingRoute.MINOR_ADAPTATION if cost is None or cost <= UK_MINOR_ADAPTATION_LIMIT else FundingRoute.DFG
    if region is StandardProfile.AU:
        return FundingRoute.NDIS_AT if category == "equipment" else FundingRoute.NDIS_HOME_MODS
    if hcpcs in MEDICARE_COVERED_HCPCS:
        return FundingRoute.MEDICARE
    return FundingRoute.SELF


def funding_notes(route: FundingRoute, cost: float | None, hcpcs: str = "") -> str:
    """What a funder will expect for this line, or '' (REFERENCE §5.6)."""
    if route is FundingRoute.MINOR_ADAPTATION and cost is not None and cost > UK_MINOR_ADAPTATION_LIMIT:
        return "over £1,000: not a minor adaptation; consider a Disabled Facilities Grant"
    if route is FundingRoute.MEDICARE and hcpcs and hcpcs not in MEDICARE_COVERED_HCPCS:
        return f"{hcpcs} is usually non-covered by Medicare (bill with GY modifier)"
    if route is FundingRoute.NDIS_AT and cost is not None and cost >= NDIS_LOW_COST_AT:
        return "A$1,500 or more: mid-cost AT needs a quote and assessment"
    if route is FundingRoute.OAHMP and cost is not None and cost > OAHMP_CAP:
        return "over the US$5,000 per-home cap often cited for OAHMP"
    return ""


@dataclass(frozen=True, slots=True)
class CostLine:
    """One recommendation's cost for totals and the budget: ``cost`` None = not estimated yet."""

    id: str
    title: str
    tier: int
    score: int
    cost: float | None
    funding: str = ""


@dataclass(frozen=True, slots=True)
class Totals:
    by_tier: dict[int, float]
    by_funding: dict[str, float]
    total: float
    not_estimated: int


def totals(lines: Iterable[CostLine]) -> Totals:
    by_tier: dict[int, float] = {}
    by_funding: dict[str, float] = {}
    total, missing = 0.0, 0
    for line in lines:
        if line.cost is None:
            missing += 1
            continue
        by_tier[line.tier] = by_tier.get(line.tier, 0.0) + line.cost
        key = line.funding or "unassigned"
        by_funding[key] = by_funding.get(key, 0.0) + line.cost
        total += line.cost
    return Totals(dict(sorted(by_tier.items())), by_funding, total, missing)


@dataclass(frozen=True, slots=True)
class BudgetPlan:
    cap: float
    within: list[CostLine]
    outside: list[tuple[CostLine, str]]  # with the reason it falls outside
    spent: float

    @property
    def left(self) -> float:
        return self.cap - self.spent


def plan_budget(lines: Iterable[CostLine], cap: float) -> BudgetPlan:
    """Fill the cap by tier (P1 first), then by value within a tier: highest risk score, then cheapest.

    A line too dear for what is left is skipped (and listed with the reason) so cheaper lines
    after it can still fit; lines with no estimate cannot be budgeted and are listed too.
    """
    if cap < 0:
        raise ValueError("a budget cannot be negative")
    ordered = sorted(lines, key=lambda line: (line.tier, -line.score, line.cost if line.cost is not None else 0))
    within: list[CostLine] = []
    outside: list[tuple[CostLine, str]] = []
    spent = 0.0
    for line in ordered:
        if line.cost is None:
            outside.append((line, "no cost estimate yet"))
        elif spent + line.cost <= cap + 1e-9:
            within.append(line)
            spent += line.cost
        else:
            outside.append((line, f"needs {line.cost:,.0f}; only {cap - spent:,.0f} left"))
    return BudgetPlan(cap, within, outside, spent)
