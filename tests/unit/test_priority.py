from __future__ import annotations

import pytest

from homeassess.domain.checklist import Hazard
from homeassess.domain.priority import Tier, assess_risk, reason_sentence, tier_for


@pytest.mark.parametrize(("score", "essential", "tier"), [
    (25, False, Tier.P1), (15, False, Tier.P1), (14, False, Tier.P2), (8, False, Tier.P2), (6, False, Tier.P3),
    (4, False, Tier.P3), (3, False, Tier.P4), (1, False, Tier.P4), (2, True, Tier.P1),
])
def test_tier_bands(score: int, essential: bool, tier: Tier) -> None:
    assert tier_for(score, essential=essential) is tier


def test_falls_history_raises_likelihood_of_fall_hazards_only() -> None:
    tags = frozenset({"falls_history"})
    assert assess_risk(hazard=Hazard.TRIP, likelihood=3, consequence=3, tags=tags).score == 12
    assert assess_risk(hazard=Hazard.SCALD, likelihood=3, consequence=3, tags=tags).score == 9


def test_modifiers_cap_at_five() -> None:
    risk = assess_risk(hazard=Hazard.TRIP, likelihood=5, consequence=5, tags=frozenset({"falls_history", "walker"}),
                       violates_precaution=frozenset({"hip_precautions"}))
    assert (risk.likelihood, risk.consequence) == (5, 5)
    assert risk.modifiers == ("falls_history", "walker")


def test_lives_alone_raises_consequence_of_not_summoning_help() -> None:
    risk = assess_risk(hazard=Hazard.SUMMON_HELP, likelihood=3, consequence=3, tags=frozenset({"lives_alone"}))
    assert risk.consequence == 4 and risk.modifiers == ("lives_alone",)


def test_cognitive_impairment_raises_fire_and_scald() -> None:
    risk = assess_risk(hazard=Hazard.FIRE, likelihood=2, consequence=5, tags=frozenset({"cognitive_impairment"}))
    assert risk.likelihood == 3


def test_precaution_violation_raises_consequence_only_for_clients_with_it() -> None:
    rule = frozenset({"hip_precautions"})
    assert assess_risk(hazard=Hazard.TRANSFER, likelihood=3, consequence=3, tags=frozenset(),
                       violates_precaution=rule).consequence == 3
    assert assess_risk(hazard=Hazard.TRANSFER, likelihood=3, consequence=3, tags=rule,
                       violates_precaution=rule).consequence == 4


def test_client_specific_check_is_not_escalated_twice_for_the_same_factor() -> None:
    risk = assess_risk(hazard=Hazard.FALL, likelihood=4, consequence=4, tags=frozenset({"falls_history"}),
                       already_counted=frozenset({"falls_history"}))
    assert risk.likelihood == 4 and "falls_history" in risk.modifiers


def test_reason_is_one_plain_sentence_naming_the_tier_and_client_factor() -> None:
    text = reason_sentence(Tier.P1, "there is nothing to hold on the stairs", ("falls_history",))
    assert text == "Urgent because there is nothing to hold on the stairs, and you have had a fall in the last year."
    assert reason_sentence(Tier.P3, "it saves effort.") == "Medium priority because it saves effort."


def test_walking_frame_raises_routes_and_thresholds_not_stairs() -> None:
    walker = frozenset({"walker", "walking_aid"})
    assert assess_risk(hazard=Hazard.TRIP, likelihood=3, consequence=3, tags=walker).likelihood == 4
    assert assess_risk(hazard=Hazard.ACCESS, likelihood=3, consequence=3, tags=walker).likelihood == 4
    assert assess_risk(hazard=Hazard.FALL, likelihood=3, consequence=4, tags=walker).likelihood == 3


def test_factors_raise_each_dimension_by_one_step_at_most() -> None:
    tags = frozenset({"falls_history", "walker"})
    risk = assess_risk(hazard=Hazard.TRIP, likelihood=3, consequence=3, tags=tags)
    assert (risk.likelihood, risk.consequence) == (4, 3)
    assert risk.modifiers[0] in ("falls_history", "walker")


def test_reduced_sensation_raises_scald_and_burn_only() -> None:
    tags = frozenset({"sensory_loss"})
    assert assess_risk(hazard=Hazard.SCALD, likelihood=2, consequence=4, tags=tags).likelihood == 3
    assert assess_risk(hazard=Hazard.FALL, likelihood=2, consequence=4, tags=tags).likelihood == 2


def test_irrelevant_factor_is_neither_counted_nor_named() -> None:
    risk = assess_risk(hazard=Hazard.FIRE, likelihood=3, consequence=5, tags=frozenset({"falls_history", "walker"}))
    assert (risk.likelihood, risk.modifiers) == (3, ())


def test_check_written_for_a_precaution_is_not_raised_again_by_it() -> None:
    hip = frozenset({"hip_precautions"})
    risk = assess_risk(hazard=Hazard.TRANSFER, likelihood=3, consequence=4, tags=hip, violates_precaution=hip,
                       already_counted=hip)
    assert risk.consequence == 4


def test_strain_and_tiredness_are_never_urgent_unless_they_block_essentials() -> None:
    assert tier_for(20, hazard=Hazard.ERGONOMIC) is Tier.P2
    assert tier_for(20, hazard="fatigue") is Tier.P2
    assert tier_for(20, hazard=Hazard.FALL) is Tier.P1
    assert tier_for(4, essential=True, hazard=Hazard.ERGONOMIC) is Tier.P1


def test_for_a_child_the_added_clause_speaks_to_the_parents() -> None:
    risk = assess_risk(hazard=Hazard.FALL, likelihood=2, consequence=4, tags=frozenset({"child", "falls_history"}))
    assert reason_sentence(Tier.P2, "the stairs are steep", risk.modifiers) == \
        "High priority because the stairs are steep, and your child has had a fall in the last year."
