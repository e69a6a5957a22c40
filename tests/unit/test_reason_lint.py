"""Lint the family-facing reasons in the shipped checklists and the condition advice.

For every check of the latest checklist versions, and every piece of condition advice, we build
clients that match it, one client factor at a time (from real profiles through ``client_tags``, so
a stroke client also has reduced sensation and weak hands, as the engine sees them), render the
sentence the family reads, and check that:

1. it names no client factor the client does not have (a check written for "amputation or SCI"
   must not talk about a prosthesis to someone with a spinal cord injury);
2. it does not say the client factor twice (the engine appends one factor clause itself);
3. it never says that hot water burns "within minutes" (REFERENCE §3.9: seconds at 55–60 °C).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from homeassess.checklists.registry import Registry
from homeassess.domain.checklist import Check, Hazard, Item, ItemKind, Quantity
from homeassess.domain.client import (
    CLIENT_TAGS, AidUse, Behaviour, ClientProfile, Equipment, Symptom, Cognition, Condition, MobilityAid, Precaution, Sense, Transfers, WeakSide,
    client_tags,
)
from homeassess.domain.priority import MODIFIER_CLAUSES, Tier, assess_risk, reason_sentence, tier_for

VISIT = date(2026, 3, 10)
ADULT = date(1976, 1, 1)        # 50 on the visit date: neither a child nor an older adult
BURN_TIME_EXAMPLE = "about 5 seconds"   # what the engine puts in place of {burn_time}

# Profiles that give each client tag. Every variant must pass, so a reason written for
# "hand_impairment" must suit arthritis, a hand injury and a stroke alike.
_C, _P, _A = Condition, Precaution, MobilityAid
VARIANTS: dict[str, list[dict]] = {
    "wheelchair": [dict(mobility_aid=_A.MANUAL_WHEELCHAIR), dict(mobility_aid=_A.POWERED_WHEELCHAIR)],
    "walker": [dict(mobility_aid=_A.WALKING_FRAME), dict(mobility_aid=_A.ROLLATOR)],
    "walking_aid": [dict(mobility_aid=_A.STICK), dict(mobility_aid=_A.CRUTCHES), dict(mobility_aid=_A.WALKING_FRAME)],
    "scooter": [dict(mobility_aid=_A.SCOOTER)],
    "falls_history": [dict(falls_last_12_months=1)],
    "hip_precautions": [dict(precautions=frozenset({_P.HIP_POSTERIOR}))],
    "knee_replacement": [dict(conditions=frozenset({_C.KNEE_REPLACEMENT}))],
    "spinal_precautions": [dict(precautions=frozenset({_P.SPINAL}))],
    "precautions": [dict(precautions=frozenset({p})) for p in
                    (_P.RESTRICTED_WEIGHT_BEARING, _P.STERNAL, _P.HIP_POSTERIOR, _P.SPINAL)],
    "cognitive_impairment": [dict(cognition=Cognition.MILD), dict(conditions=frozenset({_C.DEMENTIA}))],
    "dementia": [dict(conditions=frozenset({_C.DEMENTIA}), cognition=Cognition.MODERATE)],
    "low_vision": [dict(vision=Sense.IMPAIRED), dict(conditions=frozenset({_C.MACULAR_DEGENERATION}))],
    "hearing_loss": [dict(hearing=Sense.IMPAIRED), dict(hearing=Sense.SEVERE)],
    "sensory_loss": [dict(conditions=frozenset({c})) for c in
                     (_C.PERIPHERAL_NEUROPATHY, _C.BURNS, _C.STROKE, _C.MULTIPLE_SCLEROSIS, _C.SPINAL_CORD_INJURY)]
                    + [dict(symptoms=frozenset({Symptom.REDUCED_SENSATION}))],
    "hand_impairment": [dict(conditions=frozenset({c})) for c in (_C.ARTHRITIS, _C.HAND_INJURY, _C.STROKE)],
    "stroke": [dict(conditions=frozenset({_C.STROKE}))],
    "parkinsons": [dict(conditions=frozenset({_C.PARKINSONS}))],
    "ms": [dict(conditions=frozenset({_C.MULTIPLE_SCLEROSIS}))],
    "sci": [dict(conditions=frozenset({_C.SPINAL_CORD_INJURY}))],
    "amputation": [dict(conditions=frozenset({_C.LOWER_LIMB_AMPUTATION}))],
    "lives_alone": [dict(lives_alone=True)],
    "child": [dict(date_of_birth=date(2019, 6, 1))],
    "older_adult": [dict(date_of_birth=date(1946, 1, 1))],
    "heat_sensitive": [dict(conditions=frozenset({_C.MULTIPLE_SCLEROSIS})),
                       dict(symptoms=frozenset({Symptom.HEAT_SENSITIVE}))],
    "carer_support": [dict(has_carers=True)],
    "breathless": [dict(conditions=frozenset({_C.HEART_OR_LUNG_DISEASE})), dict(conditions=frozenset({_C.COPD})),
                   dict(home_oxygen=True)],
    "weak_left": [dict(weak_side=WeakSide.LEFT)],
    "weak_right": [dict(weak_side=WeakSide.RIGHT)],
    "transfer_help": [dict(transfers=Transfers.ASSISTANCE), dict(transfers=Transfers.HOIST)],
    "hoist": [dict(transfers=Transfers.HOIST)],
    "leaves_home": [dict(behaviours=frozenset({Behaviour.LEAVES_HOME}))],
    "no_danger_awareness": [dict(behaviours=frozenset({Behaviour.NO_DANGER_AWARENESS}))],
    "climbs": [dict(behaviours=frozenset({Behaviour.CLIMBS}))],
    "home_oxygen": [dict(home_oxygen=True)],
    "smoker_in_home": [dict(household_smoker=True)],
    "aid_overloaded": [dict(mobility_aid=MobilityAid.ROLLATOR, weight_kg=190, aid_swl_kg=136),
                       dict(mobility_aid=MobilityAid.MANUAL_WHEELCHAIR, weight_kg=150, aid_swl_kg=125)],
    "freezing": [dict(symptoms=frozenset({Symptom.FREEZING})),
                 dict(symptoms=frozenset({Symptom.FREEZING}), conditions=frozenset({_C.PARKINSONS}))],
    "fatigue": [dict(symptoms=frozenset({Symptom.FATIGUE})), dict(conditions=frozenset({_C.MULTIPLE_SCLEROSIS}))],
    "sitting_support": [dict(symptoms=frozenset({Symptom.SITTING_SUPPORT}))],
    "equipment_overloaded": [dict(weight_kg=160, equipment=(Equipment("Bed", 150),))],
    "autism": [dict(conditions=frozenset({_C.AUTISM}))],
    "frailty": [dict(conditions=frozenset({_C.FRAILTY}))],
    "obesity": [dict(conditions=frozenset({_C.OBESITY}))],
    "back_injury": [dict(conditions=frozenset({_C.BACK_INJURY})), dict(conditions=frozenset({_C.SPINAL_SURGERY}))],
    "cerebral_palsy": [dict(conditions=frozenset({_C.CEREBRAL_PALSY}))],
    "part_time_aid": [dict(mobility_aid=_A.CRUTCHES, second_aid=_A.MANUAL_WHEELCHAIR, second_aid_use=AidUse.PART_TIME)],
}
# Clients tried on general checks (no client_any): a plain adult, and one client for each factor
# the engine can add a clause for, so a general reason never repeats that clause.
GENERAL_CHECK_TAGS = (None, "falls_history", "walker", "cognitive_impairment", "lives_alone",
                      "hip_precautions", "spinal_precautions", "sensory_loss", "child", "freezing",
                      "no_danger_awareness", "leaves_home", "fatigue")

# How a reason names a client factor. A phrase belongs to a tag only if every client with that
# tag has the factor; general facts ("falls on stairs are serious", "a child can climb a low
# fence") are not claims about this client and are not listed.
FACTOR_PHRASES: dict[str, str] = {
    # the engine's own clause says "you live alone"
    "lives_alone": r"\blives? alone\b|\bliving alone\b|\bon your own\b|\bby yourself\b",
    # statements that the client has fallen; "if you fell" is hypothetical and allowed
    "falls_history": r"\bhad a fall\b|\bhave fallen\b|\bfallen before\b|(?<!if )\byou fell\b|\bafter falls\b"
                     r"|\byour (last |previous |recent )?falls\b|\byour (last|previous|recent) fall\b"
                     r"|\bprevious falls?\b",
    # only posterior hip precautions make the hip the subject ("hip height" as a measure is fine)
    "hip_precautions": r"\b(new|operated|your) hip\b|\bhip (precautions?|replacement|surgery|kit)\b|\bhips above\b",
    # any movement precaution: the surgeon's orders
    "precautions": r"\bprecautions?\b|\bsurgeon\b",
    # spinal precautions: a healing back after surgery
    "spinal_precautions": r"\bspinal (precautions?|surgery)\b|\bback surgery\b|\byour back heals\b",
    "wheelchair": r"\bwheelchairs?\b",
    "scooter": r"\bscooters?\b",
    # a walking frame or rollator; a toilet frame, door frame or "seat or frame" is equipment
    "walker": r"\bwalking frames?\b|\bwalkers?\b|\brollators?\b"
              r"|(?<!door )(?<!toilet )(?<!bed )(?<!window )(?<!shower )(?<!or )(?<!-)\bframes?\b",
    # any walking aid, including a stick or crutches
    "walking_aid": r"\bwalking[- ]aids?\b|\bwalking sticks?\b|\bcrutch(es)?\b",
    # a lower-limb amputation: a prosthesis, an artificial leg, the stump
    "amputation": r"\bprosthe|\bartificial leg\b|\bstump\b|\bamput",
    "sci": r"\bspinal cord\b",
    # one-sided weakness after a stroke
    "stroke": r"\bstroke\b|\b(weaker|stronger|affected) (side|hand|arm|leg)\b|\bone side of your body\b",
    "parkinsons": r"\bparkinson",
    # freezing of gait: the client's own feet stick ("freezing is common with Parkinson's" is a general fact)
    "freezing": r"\byour (child's )?feet (tend to )?(freeze|stick)\b|\byou freeze\b",
    "fatigue": r"\byour (tiredness|fatigue)\b|\byou tire\b",
    "sitting_support": r"\bsit(s|ting)? (only )?with support\b|\bsitting balance\b|\bcannot sit\b",
    "autism": r"\bautis",
    "obesity": r"\bobes",
    "ms": r"\bmultiple sclerosis\b",
    "heat_sensitive": r"\bheat[- ]sensitiv|\bheat (and tiredness )?makes? your symptoms\b",
    # home oxygen: only a client on oxygen is told about it
    "home_oxygen": r"\boxygen\b",
    # heart or lung disease: the client's own breathing
    "breathless": r"\b(out of|your) breath\b|\bbreathless",
    "dementia": r"\bdementia\b|\balzheimer",
    # the engine's own clause says "memory or thinking changes"
    "cognitive_impairment": r"\bmemory\b|\bconfus(ed|ion)\b|\bthinking changes\b",
    # the client's own eyes ("a check of eyesight" in a falls referral is not a claim)
    "low_vision": r"\byour (eyesight|eyes|sight|vision)\b|\blow[- ]vision\b|\bpoor (eye)?sight\b|\bsight loss\b",
    # "heard" in "may not be heard" is about the alarm, not the client's ears
    "hearing_loss": r"\bhear(ing)?\b|\bdeaf",
    # the parents are addressed about their child
    "child": r"\byour (child|son|daughter)\b",
    # reduced sensation: cannot feel heat or injury
    "sensory_loss": r"\b(not|n't|never) (be )?(feel|felt)\b|\bbe felt\b|\bsensation\b"
                    r"|\breduced feeling\b|\bloss of feeling\b|\bnumb(ness)?\b",
    # said of the client's hands; a list of alternatives ("weak, stiff or shaky hands") is not a claim
    "hand_impairment": r"\b(weak|painful|stiff|shaky|sore) hands\b|\byour grip\b",
    "knee_replacement": r"\bnew knee\b|\bknee replacement\b",
    "carer_support": r"\bcarers?\b",
}
# hand_impairment covers weakness after a stroke as well as arthritis and injuries, so no tag
# says the client's hands hurt: pain may only be named as one of several ("weak or painful").
HAND_PAIN = r"\bpainful\b|\bsore (hands|fingers|joints|wrists)\b|\barthritis\b"
_ALTERNATIVES = re.compile(  # "weak, stiff or shaky" offers alternatives; "painful and weak" claims both
    r"\b(?:{w})(?:, (?:{w}))*,? or (?:{w})\b".format(w="weak|stiff|shaky|painful|sore"))

# Words that would repeat the clause the engine appends for each modifier.
REPEATS: dict[str, str] = {
    "falls_history": FACTOR_PHRASES["falls_history"],
    "walker": r"\bboth hands\b|\bhands? (are |is )?(busy|full)\b",
    "cognitive_impairment": FACTOR_PHRASES["cognitive_impairment"] + r"|\bthinking\b|\bharder to notice\b",
    "sensory_loss": FACTOR_PHRASES["sensory_loss"] + r"|\bfeel(ing)?\b|\bjudge\b",
    "lives_alone": FACTOR_PHRASES["lives_alone"] + r"|\bhelp may not come\b",
    "precaution": r"\bprecautions?\b|\bsurgeon\b",
    # an answer in the room (hours at the computer), not a client factor
    "long_desk_hours": r"\bhours? a day\b|\blong hours\b",
    "falls_history@child": FACTOR_PHRASES["falls_history"] + r"|\bhas had a fall\b",
    "walker@child": r"\bboth hands\b|\bhands? (are |is )?(busy|full)\b",
    "cognitive_impairment@child": r"\bnotice the danger\b|\bharder to notice\b",
    "sensory_loss@child": FACTOR_PHRASES["sensory_loss"] + r"|\bfeel(ing)?\b|\bjudge\b",
    "freezing": FACTOR_PHRASES["freezing"] + r"|\bfeet stick\b",
    "freezing@child": FACTOR_PHRASES["freezing"] + r"|\bfeet stick\b",
    "no_danger_awareness": r"\bsense (the )?danger\b|\bnotice the danger\b",
    "no_danger_awareness@child": r"\bsense (the )?danger\b|\bnotice the danger\b",
    "leaves_home": r"\bunnoticed\b|\bleft (home|the house)\b",
    "leaves_home@child": r"\bunnoticed\b|\bleft (home|the house)\b",
    "fatigue": r"\btiredness\b|\btires?\b|\benergy\b",
    "fatigue@child": r"\btiredness\b|\btires?\b|\benergy\b",
    "heat_sensitive": r"\bheat makes\b|\btiredness\b",
    "heat_sensitive@child": r"\bheat makes\b|\btiredness\b",
}
# A burn or scald statement must not be measured in minutes (REFERENCE §3.9).
MINUTES_NEAR_BURN = re.compile(r"\b(burn|scald)\w*\b[^.;]{0,60}\bminutes?\b|\bminutes?\b[^.;]{0,60}\b(burn|scald)\w*",
                               re.IGNORECASE)


@dataclass(frozen=True)
class Client:
    label: str
    tags: frozenset[str]


def _clients(tag: str | None) -> list[Client]:
    if tag is None:
        return [Client("plain adult", client_tags(ClientProfile(date_of_birth=ADULT), VISIT))]
    out = []
    for kwargs in VARIANTS[tag]:
        profile = ClientProfile(**{"date_of_birth": ADULT, **kwargs})
        out.append(Client(f"{tag} ({', '.join(f'{k}={_plain(v)}' for k, v in kwargs.items())})",
                          client_tags(profile, VISIT)))
    return out


def _plain(value: object) -> str:
    if isinstance(value, frozenset):
        return "+".join(sorted(str(getattr(v, "value", v)) for v in value))
    return str(getattr(value, "value", value))


def _named_factors(text: str, tags: frozenset[str], answered: str = "") -> list[str]:
    """Client factors ``text`` names that a client with ``tags`` lacks.

    ``answered`` is what the answer itself records (a general check's prompt and chosen option,
    such as "Carried while using a walking aid"): a reason may repeat what the therapist recorded.
    """
    text = _ALTERNATIVES.sub("", text)
    found = [f"{tag}: {m.group(0)!r}" for tag, pattern in FACTOR_PHRASES.items()
             if tag not in tags and (m := re.search(pattern, text, re.IGNORECASE))
             and not re.search(pattern, answered, re.IGNORECASE)]
    if m := re.search(HAND_PAIN, text, re.IGNORECASE):
        found.append(f"hand pain: {m.group(0)!r}")
    return found


def _answered(item: Item, check: Check) -> str:
    if check.client_any:
        return ""
    labels = [o.label for o in item.options if o.value in check.when]
    return ". ".join([item.prompt, *labels])


def _repeated(clause: str, sentence: str, modifiers: tuple[str, ...]) -> list[str]:
    problems = []
    shown = [m for m in modifiers if m in MODIFIER_CLAUSES][:1]     # reason_sentence shows one
    for mod in shown:
        if m := re.search(REPEATS.get(mod, re.escape(MODIFIER_CLAUSES[mod])), clause, re.IGNORECASE):
            problems.append(f"repeats the {mod} clause: {m.group(0)!r}")
    parts = [p.strip().lower() for p in re.split(r",|\band\b|\bso\b|\bbecause\b", sentence.rstrip("."))]
    seen = [p for p in parts if len(p.split()) >= 3]
    if len(seen) != len(set(seen)):
        problems.append("a part of the sentence appears twice")
    return problems


def _render(check: Check, tags: frozenset[str]) -> tuple[str, str, tuple[str, ...]]:
    risk = assess_risk(hazard=check.hazard, likelihood=check.likelihood, consequence=check.consequence,
                       tags=tags, violates_precaution=check.violates_precaution, already_counted=check.client_any)
    tier = tier_for(risk.score, essential=check.essential)
    clause = check.reason.replace("{burn_time}", BURN_TIME_EXAMPLE)
    return clause, reason_sentence(tier, clause, risk.modifiers), risk.modifiers


def _latest_checks(registry: Registry) -> list[tuple[str, Item, Check]]:
    return [(f"{item.id}[{n}]", item, check) for checklist in registry.room_types()
            for item in checklist.items for n, check in enumerate(item.checks)]


def check_problems(registry: Registry) -> list[str]:
    problems = []
    for where, item, check in _latest_checks(registry):
        for tag in sorted(check.client_any) or GENERAL_CHECK_TAGS:
            for client in _clients(tag):
                if client.tags & check.client_none:
                    continue
                clause, sentence, modifiers = _render(check, client.tags)
                issues = [f"names {f}" for f in
                          _named_factors(f"{check.title}. {sentence}", client.tags, _answered(item, check))]
                issues += _repeated(clause, sentence, modifiers)
                if MINUTES_NEAR_BURN.search(sentence):
                    issues.append("says a burn takes minutes")
                problems += [f"{where} for {client.label}: {i} — {sentence}" for i in issues]
    return sorted(set(problems))


def condition_problems(registry: Registry) -> list[str]:
    problems = []
    for rec in registry.recommendations():
        if not rec.for_conditions:
            continue
        sentence = reason_sentence(Tier(rec.condition_tier or 4), rec.condition_reason)
        requires = getattr(rec, "condition_requires", frozenset())   # advice that also needs these tags
        for tag in sorted(rec.for_conditions):
            for client in _clients(tag):
                client = Client(client.label, client.tags | requires)
                issues = [f"names {f}" for f in
                          _named_factors(f"{rec.title}. {rec.family_text} {sentence}", client.tags)]
                issues += _repeated(rec.condition_reason, sentence, ())
                if MINUTES_NEAR_BURN.search(f"{rec.family_text} {sentence}"):
                    issues.append("says a burn takes minutes")
                problems += [f"{rec.id} for {client.label}: {i} — {sentence}" for i in issues]
    return sorted(set(problems))


@pytest.fixture(scope="module")
def shipped() -> Registry:
    return Registry.load()


def test_every_tag_has_client_profiles_that_produce_it() -> None:
    assert set(VARIANTS) == CLIENT_TAGS
    for tag in VARIANTS:
        assert all(tag in c.tags for c in _clients(tag)), tag
    assert _clients(None)[0].tags == frozenset()


def test_every_engine_clause_has_repeat_phrases() -> None:
    assert set(MODIFIER_CLAUSES) <= set(REPEATS)


def test_check_reasons_name_only_the_clients_own_factors_once(shipped: Registry) -> None:
    problems = check_problems(shipped)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_condition_advice_suits_every_condition_it_targets(shipped: Registry) -> None:
    problems = condition_problems(shipped)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_measured_hot_water_reasons_give_the_burn_time(shipped: Registry) -> None:
    """A temperature check says how fast that water burns ({burn_time}); others cannot know it."""
    problems = []
    for where, item, check in _latest_checks(shipped):
        measured = item.kind is ItemKind.MEASURE and item.quantity is Quantity.TEMPERATURE
        if measured and check.hazard is Hazard.SCALD and "{burn_time}" not in check.reason:
            problems.append(f"{where}: temperature check without {{burn_time}}")
        if not measured and "{burn_time}" in check.reason:
            problems.append(f"{where}: {{burn_time}} without a measured temperature")
        if not measured and check.hazard is Hazard.SCALD and re.search(r"\bburn", check.reason) \
                and "second" not in check.reason:
            problems.append(f"{where}: an unmeasured hot-water burn should say it happens in seconds")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("text", "tags", "named"), [
    ("you find the stairs hard, and you have had a fall in the last year", {"falls_history"}, []),
    ("you find the stairs hard, and you have had a fall in the last year", set(), ["falls_history"]),
    ("if you fell you could lie on the floor for hours", set(), []),
    ("getting to the toilet at night without your prosthesis or chair", {"sci", "sensory_loss"}, ["amputation"]),
    ("stiff taps are hard with painful hands", {"hand_impairment"}, ["hand pain"]),
    ("turning a knob is hard with weak or painful hands", {"hand_impairment"}, []),
    ("gripping is painful and weak with your hands", {"hand_impairment"}, ["hand pain"]),
    ("the frame catches the door frame", {"walker", "walking_aid"}, []),
    ("a seat or frame that slides as you sit down", set(), []),
    ("you may not feel it", {"cognitive_impairment", "dementia"}, ["sensory_loss"]),
])
def test_factor_table(text: str, tags: set[str], named: list[str]) -> None:
    assert [f.split(":")[0] for f in _named_factors(text, frozenset(tags))] == named


def test_repeats_and_minutes_are_caught() -> None:
    clause = "you have fallen before and the stairs are dark"
    sentence = reason_sentence(Tier.P2, clause, ("falls_history",))
    assert _repeated(clause, sentence, ("falls_history",))
    assert MINUTES_NEAR_BURN.search("water this hot can burn skin within minutes")
    assert not MINUTES_NEAR_BURN.search("take a break every 30 minutes")
