"""Children's wording: for a client under 16 the parents read the report (issue 11).

Every family-facing title and sentence a child's visit can produce and that speaks to the client ("you", "your")
has the parents' version in ``checklists/wording/child.toml``; no entry there is stale; and adult-only
advice (walking frames, hip kits...) leaves no hazard a child can meet without a recommendation.
"""

from __future__ import annotations

import re

import pytest

from homeassess.checklists.registry import Registry
from homeassess.domain.checklist import Check

SECOND_PERSON = re.compile(r"\byou(r|rs|rself)?\b", re.IGNORECASE)
# Tags no child has; a check written only for them never reaches a child.
ADULT_TAGS = frozenset({"older_adult", "lives_alone"})   # a child never lives alone


@pytest.fixture(scope="module")
def shipped() -> Registry:
    return Registry.load()


def _condition(check: Check) -> tuple:
    return (check.when, check.below, check.above, check.outside, check.if_unanswered)


def _child_checks(registry: Registry) -> list[tuple[str, Check]]:
    """Checks that can fire for a child: not excluded, and not shadowed by an earlier check written for
    children on the same answer (the first matching check wins)."""
    out = []
    for checklist in registry.room_types():
        if checklist.id.startswith("work"):   # workplace visits are for adults at work
            continue
        for item in checklist.items:
            for_children: set[tuple] = set()
            for check in item.checks:
                if "child" in check.client_none or (check.client_any and check.client_any <= ADULT_TAGS) \
                        or _condition(check) in for_children:
                    continue
                if "child" in check.client_any:
                    for_children.add(_condition(check))
                out.append((item.id, check))
    return out


def _child_texts(registry: Registry) -> dict[str, str]:
    """Family-facing text a child's visit can show -> where it comes from."""
    texts: dict[str, str] = {}
    for item_id, check in _child_checks(registry):
        texts.setdefault(check.reason, f"{item_id} reason")
        texts.setdefault(check.title, f"{item_id} title")
    for template in registry.recommendations():
        if registry.is_adult_only(template.id) or template.condition_visits == frozenset({"workplace"}):
            continue
        if template.id.startswith(("rec.workstation.", "rec.workplace_access.", "rec.work_task.")):
            continue
        texts.setdefault(template.title, f"{template.id} title")
        texts.setdefault(template.family_text, f"{template.id} family text")
        if template.condition_reason and not (template.for_conditions <= ADULT_TAGS):
            texts.setdefault(template.condition_reason, f"{template.id} condition reason")
    return texts


def test_every_sentence_a_child_can_meet_speaks_to_the_parents(shipped: Registry) -> None:
    missing = [f"{where}: {text!r}" for text, where in _child_texts(shipped).items()
               if SECOND_PERSON.search(text) and text not in shipped.data.child_texts]
    assert not missing, f"{len(missing)} texts need a child version in wording/child.toml:\n" + "\n".join(missing)


def test_no_child_wording_is_stale(shipped: Registry) -> None:
    known = set(_child_texts(shipped))
    stale = [adult for adult in shipped.data.child_texts if adult not in known]
    assert not stale, "child.toml entries that no longer match any text:\n" + "\n".join(stale)


def test_child_versions_do_not_speak_to_the_child(shipped: Registry) -> None:
    wrong = [child for child in shipped.data.child_texts.values()
             if re.search(r"\byou (have|are|feel|cannot|can't|need)\b", child) and "your child" not in child]
    assert not wrong, "\n".join(wrong)


def test_a_hazard_a_child_meets_always_has_advice_for_a_child(shipped: Registry) -> None:
    bare = [f"{item_id}: {check.title}" for item_id, check in _child_checks(shipped)
            if check.recommendations + check.later
            and all(shipped.is_adult_only(r) for r in check.recommendations + check.later)]
    assert not bare, "checks a child can meet whose advice is all adult-only:\n" + "\n".join(bare)
