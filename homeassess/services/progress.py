"""The progress report's plain data: what was recommended, what was done, what changed (REFERENCE §6)."""

from __future__ import annotations

import threading
from pathlib import Path

from homeassess.domain.lifecycle import DONE, Status
from homeassess.domain.outcomes import fes_i_concern
from homeassess.reports.model import (
    Field, GoalProgress, Letterhead, PhotoPair, ProgressFinding, ProgressModel, ProgressRecommendation,
)
from homeassess.services.context import AppContext
from homeassess.services.followup import follow_up_view
from homeassess.services.recommendations import latest_status_events
from homeassess.services.reports import FAMILY_PHOTO_PX, Progress, photo_ref, run_report_job
from homeassess.services.settings import letterhead_for
from homeassess.services.visit_record import visit_status

SHOWN_STATUSES = ("agreed", "ordered", "installed", "in_use", "not_used", "removed", "declined")


def _fes(total: int | None) -> str:
    return "not recorded" if total is None else f"{total} ({fes_i_concern(total)})"


def build_progress_model(ctx: AppContext, follow_up_id: str) -> ProgressModel:
    view = follow_up_view(ctx, follow_up_id)
    first, fu = view.previous, view.follow_up
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
    pairs = tuple(PhotoPair(f.finding.title, f.finding.room_name, f.outcome.label if f.outcome else "Not reviewed",
                            photo_ref(ctx, f.before[0], FAMILY_PHOTO_PX), photo_ref(ctx, f.after[0], FAMILY_PHOTO_PX))
                  for f in view.findings if f.before and f.after)
    goals = tuple(GoalProgress(g.text, g.weight, g.baseline, g.levels[g.baseline], g.level,
                               g.levels[g.level] if g.level is not None else "Not scored yet") for g in view.goals)
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
    if fu.kind == "follow_up" and view.falls_since is not None:
        summary.append(f"Falls since the first visit: {view.falls_since} (falls in the year before it: "
                       f"{view.falls_before}).")
    if view.fes_i_now is not None and view.fes_i_before is not None:
        summary.append(f"Concern about falling (FES-I) went from {_fes(view.fes_i_before)} to {_fes(view.fes_i_now)}.")
    measures = (Field("Falls in the 12 months before the first visit", str(view.falls_before or 0)),
                Field("Falls since the first visit", "not recorded" if view.falls_since is None else str(view.falls_since)),
                Field("FES-I at the first visit (16–64)", _fes(view.fes_i_before)),
                Field("FES-I now", _fes(view.fes_i_now)),
                Field("GAS T-score at the first visit", f"{t0:.2f}" if t0 is not None else "no goals"),
                Field("GAS T-score now", f"{t1:.2f}" if t1 is not None else "goals not scored yet"))
    steps = [f"Still waiting ({r.status.lower()}): {r.title}." for r in recs if r.status in ("Agreed", "Ordered")
             and r.category in ("equipment", "modification", "referral")]
    steps += [f"Not used: {r.title} — we will talk about why and what would work better." for r in recs
              if r.status == "Not used"]
    still = [f for f in findings if f.outcome in ("Unchanged", "Worse")]
    steps += [f"Still a problem ({f.outcome.lower()}): {f.title} ({f.room})." for f in still if f.tier.value <= 2]
    if any(f.tier.value > 2 for f in still):
        steps.append(f"{sum(1 for f in still if f.tier.value > 2)} lower-priority problems are unchanged; "
                     "see the table above.")
    steps.append("Next review in about 9 months (12 months after the first visit) for falls and goals.")
    therapist = ", ".join(x for x in (fu.therapist_name, fu.therapist_profession) if x)
    name = view.client_name
    return ProgressModel(
        title="Progress report", subtitle=f"for {name.split()[0]} and the referrer", client_name=name,
        client_initials="".join(p[0] for p in name.split()[:1] + name.split()[-1:]).upper(),
        reference=fu.id[:8], visit_date=fu.visit_date, first_visit_date=first.visit_date,
        cover=(Field("Client", name), Field("First visit", f"{first.visit_date:%d %B %Y}"),
               Field("Review visit", f"{fu.visit_date:%d %B %Y}"), Field("Therapist", therapist),
               Field("Organisation", fu.organisation)),
        summary=tuple(summary), recommendations=tuple(recs), findings=findings, pairs=pairs, goals=goals,
        t_before=t0, t_after=t1, measures=measures, next_steps=tuple(steps),
        new_findings=tuple(f"{f.title} ({f.room_name})" for f in view.new_findings),
        status_line=visit_status(ctx, fu.id).report_line, letterhead=_letterhead(ctx, fu.organisation))


def generate_progress_report(ctx: AppContext, follow_up_id: str, out: Path, *, progress: Progress | None = None,
                             cancel: threading.Event | None = None) -> Path:
    """Job: the progress report as PDF; safe in a worker thread."""
    from homeassess.reports.progress_pdf import render_progress_pdf

    return run_report_job(lambda: build_progress_model(ctx, follow_up_id), render_progress_pdf, out,
                          progress=progress, cancel=cancel, collecting="Collecting outcomes")


def _letterhead(ctx: AppContext, organisation: str) -> Letterhead:
    with ctx.uow(read_only=True) as uow:
        return letterhead_for(uow.session, organisation)
