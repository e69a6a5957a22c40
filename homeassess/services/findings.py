"""Keep stored findings and suggested recommendations in step with answers and the client.

Derived findings are recomputed after every answer or profile change and upserted by
(room, item), so ids stay stable and a recommendation the therapist has touched (agreed,
declined, edited, re-tiered) keeps its state. Rows of soft-deleted rooms are left alone so
undoing a room removal restores everything exactly.

One fact gives one finding and one recommendation (DESIGN §2): items sharing a ``fact`` keep
only the most urgent finding in the visit; recommendations sharing a ``purpose`` are one per
visit (a finding's beats condition advice); options of a choice are one recommendation per room
with one option preselected.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.checklists.registry import Registry
from homeassess.db import models as m
from homeassess.db.history import ENGINE, acting_as
from homeassess.domain.checklist import Checklist, Quantity, RecommendationTemplate
from homeassess.domain.choices import preselect
from homeassess.domain.client import OUTDOOR_ROOM_TYPES, ClientProfile, client_tags, hands_phrase_of
from homeassess.domain.findings import TO_CHECK, Answer, Context, DerivedFinding, derive_findings
from homeassess.domain.priority import P1_SCORE, Tier, reason_sentence, tier_for
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.room_sizing import room_sizings
from homeassess.domain.sizing import Sizing, rating_notes, side_note, widest_aid
from homeassess.domain.units import format_both
from homeassess.services.clients import profile_of
from homeassess.services.context import AppContext

PURPOSE = "purpose:"


def pinned_checklist(registry: Registry, assessment: m.Assessment, room_type: str) -> Checklist:
    version = assessment.checklist_versions.get(room_type)
    return registry.get(room_type, version) if version else registry.latest(room_type)


def answers_of(room: m.Room) -> dict[str, Answer]:
    return {a.item_id: Answer(a.item_id, a.value, a.number, a.note) for a in room.answers}


def context_for(assessment: m.Assessment, room_type: str | None = None,
                profile: ClientProfile | None = None) -> Context:
    """Who the rules are about: in one room (outside, the outdoor aid is the one that must fit), or across
    the visit (every aid the client uses)."""
    profile = profile or profile_of(assessment.client)
    if room_type is not None:
        tags = client_tags(profile.for_room(room_type), assessment.visit_date)
    else:
        tags = client_tags(profile, assessment.visit_date)
        for other in (profile.for_room(t) for t in OUTDOOR_ROOM_TYPES):
            tags |= client_tags(other, assessment.visit_date)
    return Context(tags=tags, measures=profile.measures(), standard=StandardProfile(assessment.standard),
                   units=DisplayUnits(assessment.units))


# A need that arises only on the days a part-time aid is used (a wheelchair at night or on bad days) is
# real but not imminent: it is held below the urgent band (REFERENCE §5.1).
PART_TIME_MAX_SCORE = P1_SCORE - 1


def _derive(registry: Registry, checklist: Checklist, answers: dict[str, Answer], ctx: Context,
            sizings: tuple) -> list[DerivedFinding]:
    derived = derive_findings(checklist, answers, ctx, sizings)
    if "child" in ctx.tags:  # the parents read the report: their words (wording/child.toml)
        derived = [replace(d, title=registry.for_child(d.title), reason_clause=registry.for_child(d.reason_clause))
                   for d in derived]
    return derived


def part_time_findings(registry: Registry, checklist: Checklist, answers: dict[str, Answer],
                       assessment: m.Assessment, profile: ClientProfile, already: set[str],
                       sizings: tuple) -> list[DerivedFinding]:
    """Findings that only the part-time aid raises, each saying when it matters and capped at P2."""
    part_time = profile.part_time()
    if part_time is None:
        return []
    ctx = context_for(assessment, checklist.id, part_time)
    aid = part_time.mobility_aid.label.lower()
    when = (f"on the days your child uses the {aid}" if "child" in ctx.tags else f"on the days you use the {aid}")
    out = []
    for d in _derive(registry, checklist, answers, ctx, sizings):
        if d.item_id in already:
            continue
        likelihood = min(d.likelihood, max(1, PART_TIME_MAX_SCORE // d.consequence))
        out.append(replace(d, likelihood=likelihood, essential=False,
                           reason_clause=f"{d.reason_clause.rstrip('.')}, {when}"))
    return out


def sizings_of_room(registry: Registry, assessment: m.Assessment, room: m.Room) -> list[Sizing]:
    """The calculations a room's answers allow, in the visit's standard and units: for the aid used in this
    room, then those only a part-time aid needs (the wheelchair at night must fit the bathroom door too)."""
    profile = profile_of(assessment.client)
    checklist, answers = pinned_checklist(registry, assessment, room.room_type), answers_of(room)
    standard, units = StandardProfile(assessment.standard), DisplayUnits(assessment.units)
    sizings = room_sizings(checklist, answers, profile.for_room(room.room_type), standard, units)
    if (part_time := profile.part_time()) is not None:
        keys = {s.key for s in sizings}
        sizings += [s for s in room_sizings(checklist, answers, part_time, standard, units) if s.key not in keys]
    return sizings


def finding_tier(row: m.Finding) -> Tier:
    return tier_for(row.likelihood * row.consequence, essential=row.essential, hazard=row.hazard)


def finding_reason(row: m.Finding) -> str:
    return reason_sentence(finding_tier(row), row.reason_clause, tuple(row.modifiers))


def _apply(row: m.Finding, f: DerivedFinding) -> None:
    row.title, row.reason_clause, row.hazard = f.title, f.reason_clause, f.hazard.value
    row.base_likelihood, row.base_consequence = f.base_likelihood, f.base_consequence
    row.likelihood, row.consequence, row.essential = f.likelihood, f.consequence, f.essential
    row.modifiers = list(f.modifiers)
    row.measured, row.quantity = f.measured, f.quantity.value if f.quantity else None
    row.comparator, row.limit_low, row.limit_high = f.comparator, f.limit_low, f.limit_high
    row.source, row.client_specific = f.source, f.client_specific


def _urgency(f: DerivedFinding) -> tuple:
    return (f.tier, -f.score, not f.client_specific)


def _sync_findings(session: Session, registry: Registry, assessment: m.Assessment, now: datetime,
                   sizings_by_room: dict[str, list[Sizing]]) -> dict[tuple[str, str], tuple[m.Finding, DerivedFinding]]:
    """Upsert the rule findings; fills ``sizings_by_room`` with each live room's calculations on the way."""
    profile = profile_of(assessment.client)
    existing = {(f.room_id, f.item_id): f for f in session.scalars(
        select(m.Finding).where(m.Finding.assessment_id == assessment.id, m.Finding.origin == "rule"))}
    derived_all: list[tuple[m.Room, Checklist, DerivedFinding]] = []
    for room in assessment.rooms:
        if room.deleted_at is not None:
            existing = {k: v for k, v in existing.items() if k[0] != room.id}
            continue
        checklist = pinned_checklist(registry, assessment, room.room_type)
        sizings_by_room[room.id] = sizings_of_room(registry, assessment, room)
        answers, sizings = answers_of(room), tuple(sizings_by_room[room.id])
        derived = _derive(registry, checklist, answers, context_for(assessment, room.room_type, profile), sizings)
        derived += part_time_findings(registry, checklist, answers, assessment, profile,
                                      {d.item_id for d in derived}, sizings)
        derived_all += [(room, checklist, d) for d in derived]
    # One fact, one finding: the most urgent, then the client-specific, then the first room asked.
    kept_for_fact: dict[str, DerivedFinding] = {}
    for _room, checklist, d in derived_all:
        fact = checklist.item(d.item_id).fact
        if fact and (fact not in kept_for_fact or _urgency(d) < _urgency(kept_for_fact[fact])):
            kept_for_fact[fact] = d
    live: dict[tuple[str, str], tuple[m.Finding, DerivedFinding]] = {}
    for room, checklist, derived in derived_all:
        fact = checklist.item(derived.item_id).fact
        if fact and kept_for_fact[fact] is not derived:
            continue
        row = existing.pop((room.id, derived.item_id), None)
        if row is None:
            row = m.Finding(assessment_id=assessment.id, room_id=room.id, item_id=derived.item_id,
                            origin="rule", created_at=now)
            session.add(row)
        _apply(row, derived)
        live[(room.id, derived.item_id)] = (row, derived)
    for stale in existing.values():
        session.delete(stale)
    session.flush()
    return live


@dataclass
class _Wanted:
    """One suggestion to make: what it answers (group key), where, and from which findings."""

    room_id: str | None
    key: str
    findings: list[m.Finding] = field(default_factory=list)
    asked_for: list[str] = field(default_factory=list)   # templates the findings listed, most urgent first
    condition: RecommendationTemplate | None = None
    later: bool = True    # only ever asked for as a longer-term answer: one tier below its finding
    first_for: list[m.Finding] = field(default_factory=list)   # findings whose first answer this is


def _group_key(registry: Registry, rec_id: str) -> tuple[str, bool]:
    """(group key, visit-wide?) for a recommendation or choice id listed by a check."""
    if registry.is_choice(rec_id):
        return rec_id, False
    if (choice_id := registry.choice_of(rec_id)) is not None:
        return choice_id, False
    template = registry.recommendation(rec_id)
    return (PURPOSE + template.purpose, True) if template.purpose else (rec_id, False)


def _ruled_out(registry: Registry, rec_id: str, tags: frozenset[str]) -> bool:
    """A recommendation this client must not be offered (a stairlift for someone who cannot sit unsupported)."""
    return not registry.is_choice(rec_id) and bool(registry.recommendation(rec_id).client_none & tags)


def _wanted(registry: Registry, assessment: m.Assessment,
            live: dict[tuple[str, str], tuple[m.Finding, DerivedFinding]], tags: frozenset[str]) -> list[_Wanted]:
    wanted: dict[tuple[str | None, str], _Wanted] = {}
    child = "child" in tags
    for (room_id, _item), (row, derived) in sorted(live.items(), key=lambda kv: _urgency(kv[1][1])):
        primary = True
        for rec_id, later in [(r, False) for r in derived.recommendations] + [(r, True) for r in derived.later]:
            if (child and registry.is_adult_only(rec_id)) or _ruled_out(registry, rec_id, tags):
                continue
            key, visit_wide = _group_key(registry, rec_id)
            where = None if visit_wide else room_id
            want = wanted.setdefault((where, key), _Wanted(where, key))
            want.later = want.later and later
            if row not in want.findings:
                want.findings.append(row)
            if primary:
                want.first_for.append(row)
                primary = False
            options = [o.recommendation for o in registry.choice(rec_id).options] if registry.is_choice(rec_id) \
                else [rec_id]
            want.asked_for += [o for o in options if o not in want.asked_for]
    # Condition advice fills gaps only: a finding that already asks for it (or for its purpose) wins, and
    # a fact the visit checked and found safe (she already wears a pendant) needs no advice either.
    asked_anywhere = {t for w in wanted.values() for t in w.asked_for} | {k for _, k in wanted}
    asked_anywhere |= _checked_and_safe(registry, assessment, live)
    for template in registry.recommendations() if assessment.kind != "follow_up" else ():
        if not (template.for_conditions & tags) or not template.condition_requires <= tags \
                or assessment.kind not in template.condition_visits or (child and registry.is_adult_only(template.id)) \
                or template.client_none & tags:
            continue
        key, _ = _group_key(registry, template.id)
        if template.id in asked_anywhere or key in asked_anywhere:
            continue
        wanted.setdefault((None, key), _Wanted(None, key, asked_for=[template.id], condition=template, later=False))
    return list(wanted.values())


def fill_client(text: str, profile: ClientProfile, units: DisplayUnits) -> str:
    """Placeholders in condition advice: ``{client_weight}``, ``{aid_rating}`` (in the visit's units, e.g.
    "419 lb (190 kg)"), ``{aid}`` (the client's own walking aid or wheelchair) and ``{equipment}`` (the
    client's own equipment rated below their weight, e.g. "bed is rated for 150 kg (331 lb)")."""
    def weight(kg: float | None) -> str:
        return format_both(kg, Quantity.WEIGHT, units) if kg else "an unknown weight"
    over = [f"{e.name.lower()} is rated for {weight(e.swl_kg)}" if n == 0 else f"your {e.name.lower()} for {weight(e.swl_kg)}"
            for n, e in enumerate(profile.overloaded_equipment())]
    equipment = ", ".join(over[:-1]) + f" and {over[-1]}" if len(over) > 1 else "".join(over)
    return (text.replace("{client_weight}", weight(profile.weight_kg)).replace("{equipment}", equipment or "equipment")
            .replace("{aid_rating}", weight(profile.aid_swl_kg))
            .replace("{aid}", profile.mobility_aid.label.lower() if profile.mobility_aid.value != "none" else "aid")
            .replace("{hands}", hands_phrase_of(profile)))


def _narrowest_door(registry: Registry, assessment: m.Assessment) -> tuple[float, str] | None:
    """(clear width, room name) of the narrowest door measured in the visit, if any."""
    widths = []
    for room in assessment.rooms:
        if room.deleted_at is not None:
            continue
        checklist = pinned_checklist(registry, assessment, room.room_type)
        door_items = {i.id for i in checklist.items if i.sizing == "door.clear_width"}
        widths += [(a.number, room.name) for a in room.answers if a.item_id in door_items and a.number]
    return min(widths) if widths else None


def _checked_and_safe(registry: Registry, assessment: m.Assessment,
                      live: dict[tuple[str, str], tuple[m.Finding, DerivedFinding]]) -> set[str]:
    """Group keys of the recommendations that answered items could have asked for but did not."""
    keys: set[str] = set()
    for room in assessment.rooms:
        if room.deleted_at is not None:
            continue
        checklist = pinned_checklist(registry, assessment, room.room_type)
        for item_id, answer in answers_of(room).items():
            if not answer.is_answered or (room.id, item_id) in live:
                continue
            try:
                item = checklist.item(item_id)
            except KeyError:
                continue
            for check in item.checks:
                keys |= {_group_key(registry, r)[0] for r in check.recommendations + check.later}
    return keys


def use_template(rec: m.Recommendation, template: RecommendationTemplate) -> None:
    """Take the wording and costs of a template (a new suggestion, or another option chosen)."""
    rec.template_id, rec.category, rec.title = template.id, template.category.value, template.title
    rec.family_text, rec.clinical_text, rec.who = template.family_text, template.clinical_text, template.who
    rec.cost, rec.effort, rec.today = template.cost.value, template.effort.value, template.today


def _is_untouched(rec: m.Recommendation) -> bool:
    return rec.status == "proposed" and not rec.edited and rec.tier_override is None and rec.goal_id is None


def _choose(registry: Registry, rec: m.Recommendation, want: _Wanted, tags: frozenset[str],
            sizings: list[Sizing]) -> RecommendationTemplate:
    """The template a suggestion uses now; for a choice also store its options and why."""
    if want.key.startswith("choice."):
        choice = registry.choice(want.key)
        templates = {o.recommendation: registry.recommendation(o.recommendation) for o in choice.options}
        picked = preselect(choice, tags=tags, sizings=sizings, asked_for=want.asked_for, templates=templates)
        words = registry.for_child if "child" in tags else (lambda text: text)
        stronger = "right" if "weak_left" in tags else "left" if "weak_right" in tags else ""
        rec.options = [{"id": o.recommendation, "title": words(templates[o.recommendation].title),
                        "suitable": o.suitable,
                        "note": o.note or (f"For the {stronger} hand, the stronger side."
                                           if stronger and templates[o.recommendation].sided else "")}
                       for o in picked.options]
        offered = {o.recommendation for o in picked.options}
        if rec.option_locked and rec.template_id in offered:
            rec.choice_reason = "Chosen by the therapist."
            return registry.recommendation(rec.template_id)
        rec.option_locked, rec.choice_reason = False, picked.reason
        return templates[picked.chosen]
    rec.options, rec.choice_reason = [], ""
    return registry.recommendation(want.asked_for[0])


def _adopt(existing: dict[tuple[str | None, str], m.Recommendation], want: _Wanted) -> m.Recommendation | None:
    """A suggestion made before it joined a choice or a purpose (a visit from an older version) becomes
    that choice's or purpose's recommendation, keeping whatever the therapist did with it."""
    if want.key in want.asked_for:
        return None
    rooms = (want.room_id,) if want.room_id is not None else tuple({room for room, _ in existing})
    for template_id in want.asked_for:
        for room_id in rooms:
            rec = existing.get((room_id, template_id))
            if rec is not None and rec.group_key in (None, template_id):
                del existing[(room_id, template_id)]
                rec.group_key, rec.room_id = want.key, want.room_id
                return rec
    return None


def _sync_recommendations(session: Session, registry: Registry, assessment: m.Assessment,
                          live: dict[tuple[str, str], tuple[m.Finding, DerivedFinding]], now: datetime,
                          sizings_by_room: dict[str, list[Sizing]]) -> None:
    tags = context_for(assessment).tags
    profile, units = profile_of(assessment.client), DisplayUnits(assessment.units)
    rating = rating_notes(profile.weight_kg, units)
    stronger = profile.weak_side.stronger
    words = registry.for_child if "child" in tags else (lambda text: text)
    doors = _narrowest_door(registry, assessment)
    deleted_rooms = {r.id for r in assessment.rooms if r.deleted_at is not None}
    existing = {(r.room_id, r.group_key or r.template_id): r for r in session.scalars(
        select(m.Recommendation).where(m.Recommendation.assessment_id == assessment.id,
                                       m.Recommendation.origin.in_(("finding", "condition")),
                                       m.Recommendation.deleted_at.is_(None)))
        if r.room_id not in deleted_rooms}
    for want in _wanted(registry, assessment, live, tags):
        rec = existing.pop((want.room_id, want.key), None) or _adopt(existing, want)
        sizings = sizings_by_room.get(want.room_id or "", [])
        origin = "finding" if want.findings else "condition"
        if rec is None:
            rec = m.Recommendation(assessment_id=assessment.id, room_id=want.room_id, group_key=want.key,
                                   origin=origin, status="proposed", created_at=now, updated_at=now)
            session.add(rec)
        template = _choose(registry, rec, want, tags, sizings)
        if rec.template_id != template.id and (rec.template_id is None or not rec.edited):
            use_template(rec, template)
        if not rec.edited and rec.template_id == template.id:
            family, clinical = rating if template.weight_bearing else ("", "")
            sided = side_note(stronger, child="child" in tags, stairs=template.sized_by == "stair_rail") \
                if template.sided else ""
            door_family, door_clinical = widest_aid(*doors, units) if template.fits_doors and doors else ("", "")
            rec.title = words(template.title)
            rec.family_text = " ".join(x for x in (words(template.family_text), sided, family, door_family) if x)
            rec.clinical_text = " ".join(x for x in (template.clinical_text, clinical, door_clinical) if x)
        rec.origin = origin
        session.flush()
        _link(session, rec, want.findings)
        if want.findings:
            top = min(want.findings, key=lambda f: (finding_tier(f), -f.likelihood * f.consequence))
            tier = Tier(min(4, finding_tier(top) + 1)) if want.later else finding_tier(top)
            if tier is Tier.P1 and not top.essential and top not in want.first_for:
                # Few, truly urgent P1s: the first answer to an urgent hazard is urgent; what backs it up
                # (a referral, a second device) follows close behind at P2 (REFERENCE §5.1).
                tier = Tier.P2
            rec.tier, rec.score = tier, top.likelihood * top.consequence
            rec.reason = reason_sentence(tier, top.reason_clause, tuple(top.modifiers))
            if all(f.title.startswith(TO_CHECK) for f in want.findings):
                rec.reason += " To check at the visit."
        else:
            condition = want.condition or template
            tier = Tier(condition.condition_tier or 4)
            clause = fill_client(words(condition.condition_reason), profile, units)
            rec.tier, rec.score, rec.reason = tier, 0, reason_sentence(tier, clause)
    for rec in existing.values():
        if _is_untouched(rec):
            session.delete(rec)
        else:
            _link(session, rec, [])


def _link(session: Session, rec: m.Recommendation, findings: list[m.Finding]) -> None:
    current = set(session.scalars(select(m.RecommendationFinding.finding_id)
                                  .where(m.RecommendationFinding.recommendation_id == rec.id)))
    wanted = {f.id for f in findings}
    for finding_id in wanted - current:
        session.add(m.RecommendationFinding(recommendation_id=rec.id, finding_id=finding_id))
    for finding_id in current - wanted:
        link = session.get(m.RecommendationFinding, (rec.id, finding_id))
        if link is not None:
            session.delete(link)


def sync_assessment(ctx: AppContext, session: Session, assessment: m.Assessment) -> None:
    """Re-derive findings and suggested recommendations for one assessment (same transaction)."""
    if assessment.status == "finalised":
        return
    now = ctx.clock.now()
    sizings_by_room: dict[str, list[Sizing]] = {}
    with acting_as(session, ENGINE):   # the history says the app did this, not the therapist
        live = _sync_findings(session, ctx.registry, assessment, now, sizings_by_room)
        _sync_recommendations(session, ctx.registry, assessment, live, now, sizings_by_room)


def resync_client_assessments(ctx: AppContext, session: Session, client_id: str) -> None:
    for assessment in session.scalars(select(m.Assessment).where(
            m.Assessment.client_id == client_id, m.Assessment.deleted_at.is_(None))):
        sync_assessment(ctx, session, assessment)
