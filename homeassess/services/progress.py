"""The progress report's plain data: what was recommended, what was done, what changed (REFERENCE §6).

Two forms from the same follow-up: ``referrer`` (the full report, GAS notation explained once) and ``family``
(one page in plain words: how the goals went, what was done, what is still to come, who to call).
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

from homeassess.db import models as m
from homeassess.domain.costs import WHO_LABELS
from homeassess.domain.errors import FieldError, ValidationError
from homeassess.domain.lifecycle import DONE, WAITING, Status
from homeassess.domain.outcomes import GAS_MEANINGS, fes_i_concern
from homeassess.reports.model import (
    Field, GoalProgress, Letterhead, PhotoPair, ProgressFinding, ProgressModel, ProgressRecommendation,
)
from homeassess.services.context import AppContext
from homeassess.services.followup import FollowUpView, GoalReview, follow_up_view
from homeassess.services.recommendations import latest_status_events
from homeassess.services.reports import FAMILY_PHOTO_PX, Progress, photo_ref, run_report_job
from homeassess.services.settings import letterhead_for, settings_from_session
from homeassess.services.visit_record import visit_status

SHOWN_STATUSES = ("agreed", "ordered", "installed", "in_use", "not_used", "removed", "declined")
AUDIENCES = ("referrer", "family")
ACTION_CATEGORIES = ("equipment", "modification", "referral")   # what "still waiting" means: someone must act
CHASE_AFTER = timedelta(weeks=6)      # as the overdue list (services.followup.overdue)
REVIEW_AFTER = timedelta(days=365)    # falls outcomes at 12 months (REFERENCE §6.3)
GAS_NOTE = ("Goal Attainment Scaling (GAS): each goal is scored from −2 (much less than expected) to +2 (much more "
            "than expected), 0 being the expected outcome; the weighted T-score (Kiresuk & Sherman, ρ = 0.3) is 50 "
            "when every goal is met as expected, and 10 points is about one standard deviation.")
REREFER = ("Re-refer sooner after a fall, a hospital stay, or a change in mobility, cognition or who cares for the "
           "client.")


def _fes(total: int | None) -> str:
    return "not recorded" if total is None else f"{total} ({fes_i_concern(total)})"


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _some(titles: list[str], shown: int = 3) -> str:
    """'A; B; C and 2 more' — a list that stays one line long."""
    head = "; ".join(titles[:shown])
    return head + (f" and {len(titles) - shown} more" if len(titles) > shown else "")


def goal_word(goal: GoalReview) -> str:
    """The family's words for a goal's level at the review, from the levels alone (no notation)."""
    if goal.level is None:
        return "Not checked yet"
    if goal.level >= 1:
        return "Better than hoped"
    if goal.level == 0:
        return "As hoped"
    return "Some progress" if goal.level > goal.baseline else "Not yet"


def build_progress_model(ctx: AppContext, follow_up_id: str, audience: str = "referrer") -> ProgressModel:
    if audience not in AUDIENCES:
        raise ValidationError([FieldError("audience", f"must be one of {', '.join(AUDIENCES)}")])
    view = follow_up_view(ctx, follow_up_id)
    first, fu = view.previous, view.follow_up
    family = audience == "family"
    recs = []
    latest = latest_status_events(ctx, first.id)
    for r in view.recommendations:
        if r.status not in SHOWN_STATUSES:
            continue
        last = latest.get(r.id)
        note = "; ".join(x for x in ((f"by {last.by}" if last and last.by else ""), last.why if last else "") if x)
        recs.append(ProgressRecommendation(r.tier, r.title, r.room_name, Status(r.status).label,
                                           Status(r.status) in DONE, f"{last.on:%d %b %Y}" if last else "", note,
                                           r.category))
    order = {s: n for n, s in enumerate(("In use", "Installed", "Not used", "Removed", "Ordered", "Agreed", "Declined"))}
    recs.sort(key=lambda x: (order.get(x.status, 9), x.tier, x.title))
    findings = tuple(ProgressFinding(f.finding.tier, f.finding.title, f.finding.room_name,
                                     f.outcome.label if f.outcome else "Not reviewed", f.note) for f in view.findings)
    pairs = () if family else tuple(
        PhotoPair(f.finding.title, f.finding.room_name, f.outcome.label if f.outcome else "Not reviewed",
                  photo_ref(ctx, f.before[0], FAMILY_PHOTO_PX), photo_ref(ctx, f.after[0], FAMILY_PHOTO_PX))
        for f in view.findings if f.before and f.after)
    goals = tuple(GoalProgress(g.text, g.weight, g.baseline, g.levels[g.baseline], g.level,
                               g.levels[g.level] if g.level is not None else "Not scored yet") for g in view.goals)
    t0, t1 = view.baseline_t, view.follow_up_t
    measures = (Field("Falls in the 12 months before the first visit", str(view.falls_before or 0)),
                Field("Falls since the first visit", "not recorded" if view.falls_since is None else str(view.falls_since)),
                Field("FES-I at the first visit (16–64)", _fes(view.fes_i_before)),
                Field("FES-I now", _fes(view.fes_i_now)),
                Field("GAS T-score at the first visit", f"{t0:.2f}" if t0 is not None else "no goals"),
                Field("GAS T-score now", f"{t1:.2f}" if t1 is not None else "goals not scored yet"))
    name = view.client_name
    given = name.split()[0] if name.split() else name
    letterhead, contact = _letterhead_and_contact(ctx, fu.id, fu.organisation)
    therapist = ", ".join(x for x in (fu.therapist_name, fu.therapist_profession) if x)
    common = dict(
        client_name=name, client_initials="".join(p[0] for p in name.split()[:1] + name.split()[-1:]).upper(),
        reference=fu.id[:8], visit_date=fu.visit_date, first_visit_date=first.visit_date,
        cover=(Field("Client", name), Field("First visit", f"{first.visit_date:%d %B %Y}"),
               Field("Review visit", f"{fu.visit_date:%d %B %Y}"), Field("Therapist", therapist),
               Field("Organisation", fu.organisation)),
        recommendations=tuple(recs), findings=findings, pairs=pairs, goals=goals, t_before=t0, t_after=t1,
        measures=measures, new_findings=tuple(f"{f.title} ({f.room_name})" for f in view.new_findings),
        status_line=visit_status(ctx, fu.id).report_line, letterhead=letterhead, audience=audience)
    if family:
        return ProgressModel(
            title="Progress summary", subtitle=f"For {given} and family: how things have gone since our visit",
            summary=tuple(_family_summary(view)), next_steps=tuple(_family_next(view)),
            goal_words=tuple(Field(g.text, _goal_words_text(g)) for g in view.goals),
            done=tuple(_family_done(view)), to_come=tuple(_family_to_come(view)), contact=contact, **common)
    return ProgressModel(
        title="Progress report", subtitle="Full report for the referrer and the care team",
        summary=tuple(_referrer_summary(view, recs, findings)),
        next_steps=tuple(referrer_next_steps(view, ctx.clock.today(), {k: e.on for k, e in latest.items()})),
        gas_note=GAS_NOTE if goals else "", **common)


# -- the referrer's form ----------------------------------------------------------------------------
def _referrer_summary(view: FollowUpView, recs: list[ProgressRecommendation],
                      findings: tuple[ProgressFinding, ...]) -> list[str]:
    done, relevant = view.done_rate
    in_use = sum(1 for r in recs if r.status == "In use")
    summary = [f"Of the {relevant} recommendations agreed at the first visit, {done} have been carried out "
               f"and {in_use} are in use."]
    t0, t1 = view.baseline_t, view.follow_up_t
    if t1 is not None:
        summary.append(f"Goal attainment (GAS T-score) is {t1:.1f}, from {t0:.1f} at the first visit; 50 means the "
                       f"goals were met as expected, above 50 better than expected.")
    resolved = sum(1 for f in findings if f.outcome in ("Resolved", "Improved"))
    summary.append(f"{resolved} of the {len(findings)} problems found at the first visit are resolved or improved.")
    if view.falls_since is not None:
        summary.append(f"Falls since the first visit: {view.falls_since} (falls in the year before it: "
                       f"{view.falls_before}).")
    if view.fes_i_now is not None and view.fes_i_before is not None:
        summary.append(f"Concern about falling (FES-I) went from {_fes(view.fes_i_before)} to {_fes(view.fes_i_now)}.")
    return summary


def referrer_next_steps(view: FollowUpView, today: date, changed_on: dict[str, date]) -> list[str]:
    """What happens next, by general rules (at most six, one per rule); never a copy of the tables above.

    1. problems still unchanged or worse (P1/P2) with nothing under way for them: the therapist re-plans;
    2. what is still waiting, by who acts, and how many to chase (waiting over 6 weeks);
    3. what was tried and not used: the therapist reviews it;
    4. new problems found at the review;
    5. the review date; 6. when to re-refer sooner.
    """
    steps = []
    recs = {r.id: r for r in view.recommendations}
    under_way = WAITING | {Status.NOT_USED}
    stuck = [f.finding for f in view.findings if f.outcome is not None and f.outcome.value in ("unchanged", "worse")
             and f.finding.tier.value <= 2
             and not any(Status(r.status) in under_way for r in f.recommendations)]
    if stuck:
        steps.append(f"Nothing is under way for {_plural(len(stuck), 'high-priority problem')} still unchanged or "
                     f"worse ({_some([f.title for f in stuck])}): the therapist will agree a new plan with the client.")
    waiting = [r for r in view.recommendations if Status(r.status) in WAITING and r.category in ACTION_CATEGORIES]
    if waiting:
        by_who: dict[str, list[str]] = {}
        for r in waiting:
            by_who.setdefault(WHO_LABELS.get(r.who, r.who), []).append(r.title)
        groups = "; ".join(f"{who.lower() if who[:2] != 'GP' else who} ({_some(titles, 2)})"
                           for who, titles in sorted(by_who.items(), key=lambda kv: -len(kv[1])))
        step = f"Still to happen, by who acts: {groups}."
        chase = sum(1 for r in waiting if today - changed_on.get(r.id, view.previous.visit_date) > CHASE_AFTER)
        if chase:
            step += f" The therapist will chase the {_plural(chase, 'item')} waiting more than 6 weeks."
        steps.append(step)
    unused = [r.title for r in recs.values() if r.status == Status.NOT_USED.value]
    if unused:
        steps.append(f"Not used: {_some(unused)}. The therapist will talk through why with the client and offer "
                     "another option.")
    if view.new_findings:
        steps.append(f"{_plural(len(view.new_findings), 'new problem')} found at this review "
                     f"{'needs' if len(view.new_findings) == 1 else 'need'} recommendations from this visit.")
    review = view.previous.visit_date + REVIEW_AFTER
    unscored = sum(1 for g in view.goals if g.level is None)
    measure = "falls count, FES-I and goal scores" + (f" (score the {_plural(unscored, 'goal')} not yet scored)"
                                                      if unscored else "")
    steps.append(f"Next review around {review:%B %Y}, 12 months after the first visit: {measure}.")
    steps.append(REREFER)
    return steps


# -- the family's one page ------------------------------------------------------------------------------
def _family_summary(view: FollowUpView) -> list[str]:
    done, relevant = view.done_rate
    in_use = sum(1 for r in view.recommendations if r.status == Status.IN_USE.value)
    lines = [f"At the first visit we agreed {_plural(relevant, 'change')}. {done} {'is' if done == 1 else 'are'} "
             f"done, and you are using {in_use} of them."]
    reviewed = [f for f in view.findings if f.outcome is not None]
    better = sum(1 for f in reviewed if f.outcome.value in ("resolved", "improved"))
    if view.findings:
        lines.append(f"We found {_plural(len(view.findings), 'problem')} in your home. "
                     f"{better} {'is' if better == 1 else 'are'} now fixed or better.")
    if view.falls_since == 0:
        lines.append("You have had no falls since the first visit.")
    elif view.falls_since:
        lines.append(f"You have had {_plural(view.falls_since, 'fall')} since the first visit. Please tell us about "
                     "each one.")
    if view.fes_i_now is not None and view.fes_i_before is not None:
        order = ("low concern", "moderate concern", "high concern")
        before, now = order.index(fes_i_concern(view.fes_i_before)), order.index(fes_i_concern(view.fes_i_now))
        lines.append("You feel less worried about falling than before." if now < before else
                     "You feel more worried about falling than before. Please talk to us about it." if now > before
                     else "You feel about as worried about falling as before.")
    return lines


def _goal_words_text(goal: GoalReview) -> str:
    word = goal_word(goal)
    if goal.level is None:
        return word
    detail = goal.levels.get(goal.level, "")
    own = detail and detail != GAS_MEANINGS[goal.level]   # the therapist's words for this goal, not the scale's
    return f"{word}. Now: {detail}" if own else word


def _family_done(view: FollowUpView) -> list[str]:
    """Done and kept (in use first); what was tried and not used is in the next steps instead."""
    rank = {Status.IN_USE.value: 0, Status.INSTALLED.value: 1, Status.REMOVED.value: 2}
    done = sorted((r for r in view.recommendations if r.status in rank), key=lambda r: (rank[r.status], r.tier))
    words = {Status.IN_USE.value: "in use", Status.INSTALLED.value: "in place", Status.REMOVED.value: "taken away"}
    return [f"{r.title} ({words[r.status]})" for r in done]


def _family_to_come(view: FollowUpView) -> list[str]:
    waiting = sorted((r for r in view.recommendations
                      if Status(r.status) in WAITING and r.category in ACTION_CATEGORIES),
                     key=lambda r: (r.status != Status.ORDERED.value, r.tier))
    out = []
    for r in waiting:
        if r.status == Status.ORDERED.value:
            how = "on order"
        elif r.who == "family":
            how = "for you or your family to do"
        elif r.who == "therapist":
            how = "your therapist will help with this"
        elif r.who == "doctor":
            how = "ask your GP or doctor"
        else:
            how = "still to be arranged"
        out.append(f"{r.title} ({how})")
    return out


def _family_next(view: FollowUpView) -> list[str]:
    review = view.previous.visit_date + REVIEW_AFTER
    steps = [f"We will check how you are getting on around {review:%B %Y}."]
    unused = [r.title for r in view.recommendations if r.status == Status.NOT_USED.value]
    if unused:
        steps.append(f"Tried but not used: {_some(unused, 2)}. We will talk with you about what might work better.")
    steps.append("Please call us sooner if you have a fall, go into hospital, find something hard to use, or if "
                 "things change at home.")
    return steps


def _letterhead_and_contact(ctx: AppContext, follow_up_id: str,
                            organisation: str) -> tuple[Letterhead, tuple[Field, ...]]:
    """The letterhead, and who the family calls: the visit's own details, else Settings (therapist, then the
    organisation) — the same rule as the family report."""
    with ctx.uow(read_only=True) as uow:
        row = uow.session.get(m.Assessment, follow_up_id)
        settings = settings_from_session(uow.session)
        name = (row.therapist_name or "").strip() or settings["therapist.name"]
        profession = (row.therapist_profession or "").strip() or settings["therapist.profession"]
        phone = (row.therapist_phone or "").strip() or settings["therapist.phone"] or settings["organisation.phone"]
        email = (row.therapist_email or "").strip() or settings["therapist.email"] or settings["organisation.email"]
        service = organisation.strip() or settings["organisation.name"]
        rows = (Field("Your therapist", ", ".join(x for x in (name, profession) if x)), Field("Phone", phone),
                Field("Email", email), Field("Service", service))
        return letterhead_for(uow.session, organisation), tuple(r for r in rows if r.value.strip())


def generate_progress_report(ctx: AppContext, follow_up_id: str, out: Path, *, audience: str = "referrer",
                             progress: Progress | None = None, cancel: threading.Event | None = None) -> Path:
    """Job: the progress report as PDF, for the referrer (full) or the family (one page); safe in a worker thread."""
    from homeassess.reports.progress_pdf import render_progress_pdf

    if audience not in AUDIENCES:
        raise ValidationError([FieldError("audience", f"must be one of {', '.join(AUDIENCES)}")])
    return run_report_job(lambda: build_progress_model(ctx, follow_up_id, audience), render_progress_pdf, out,
                          progress=progress, cancel=cancel, collecting="Collecting outcomes",
                          scratch=ctx.scratch_dir)
