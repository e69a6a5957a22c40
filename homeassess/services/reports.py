"""Build report models from a visit (read-only) and render them to PDF files."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from homeassess.db import models as m
from homeassess.domain.checklist import ItemKind, Quantity
from homeassess.domain.client import Cognition, Condition, MobilityAid, Precaution, Sense, WeakSide
from homeassess.domain.findings import completeness
from homeassess.domain.lifecycle import Status
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.units import format_both
from homeassess.reports.model import (
    Field, FindingLine, GoalLine, PhotoRef, RecommendationLine, ReportKind, ReportModel, RoomSection, TierGroup,
)
from homeassess.services.clients import profile_of
from homeassess.services.context import AppContext
from homeassess.services.dto import FindingView, PhotoView, RecommendationView
from homeassess.services.findings import answers_of, pinned_checklist
from homeassess.services.lookup import get_live
from homeassess.services.photos import list_photos
from homeassess.services.settings import letterhead_for, settings_from_session, signatory
from homeassess.services.sizing import visit_sizings
from homeassess.services.recommendations import finding_views, recommendation_views
from homeassess.services.visit_record import RecordSummary, SignOffMethod, VisitStatus, record_summary_for

Progress = Callable[[float, str], None]

CONFIDENTIAL = "Confidential: contains personal health information. Share only with people involved in the client's care."
DISCLAIMER = ("The occupational therapist recommends; builders and installers are responsible for meeting building "
              "codes and product instructions. Please contact us for a review if health, mobility or the home changes.")
WHO_PLAIN = {"family": "You or your family", "handyperson": "A handyperson", "builder": "A builder",
             "plumber": "A plumber", "electrician": "An electrician", "supplier": "Equipment supplier",
             "therapist": "Your therapist", "doctor": "Your doctor", "service": "A local service"}
COST_PLAIN = {"free": "No cost", "low": "Low cost", "medium": "Moderate cost", "high": "Major cost"}
COGNITION_PLAIN = {Cognition.INTACT: "No concerns", Cognition.MILD: "Mild impairment",
                   Cognition.MODERATE: "Moderate impairment", Cognition.SEVERE: "Severe impairment"}
SENSE_PLAIN = {Sense.NORMAL: "No concerns", Sense.IMPAIRED: "Impaired", Sense.SEVERE: "Severely impaired"}


def _rec_line(rec: RecommendationView, findings: dict[str, FindingView]) -> RecommendationLine:
    note = f"Priority set by therapist: {rec.tier_override_reason}" if rec.tier_overridden else ""
    return RecommendationLine(
        tier=rec.tier, title=rec.title, family_text=rec.family_text, clinical_text=rec.clinical_text,
        reason=rec.reason, room=rec.room_name, category=rec.category, who=WHO_PLAIN.get(rec.who, rec.who),
        cost=COST_PLAIN.get(rec.cost, rec.cost), effort=rec.effort, status=Status(rec.status).label, today=rec.today,
        score=rec.score, goal=rec.goal_text, tier_note=note,
        findings=tuple(findings[f].title for f in rec.finding_ids if f in findings),
        other_options=tuple(o.title for o in rec.options if not o.chosen and o.suitable),
        ruled_out=tuple(o.title for o in rec.options if not o.chosen and not o.suitable),
        choice_note=rec.choice_reason,
    )


# Long edge in pixels for embedded photos: about 200 dpi at the size each report places them.
FAMILY_PHOTO_PX = 560
CLINICAL_PHOTO_PX = 720


def photo_ref(ctx: AppContext, photo: PhotoView, max_px: int) -> PhotoRef:
    from homeassess.services.photos import annotated_copy

    path = annotated_copy(ctx, photo, max_px)
    scale = min(1.0, max_px / max(photo.width, photo.height))
    caption = photo.caption or photo.original_filename
    return PhotoRef(str(path), caption, round(photo.width * scale), round(photo.height * scale))


def _finding_line(f: FindingView, photos: tuple[PhotoRef, ...] = ()) -> FindingLine:
    return FindingLine(tier=f.tier, title=f.title, reason=f.reason, prompt=f.prompt, answer=f.answer_text,
                       threshold=f.threshold_text, source=f.source, likelihood=f.likelihood,
                       consequence=f.consequence, score=f.score, modifiers=f.modifiers, origin=f.origin,
                       photos=photos)


def _photos_for(finding: FindingView, photos: list[PhotoView]) -> list[PhotoView]:
    return [p for p in photos if p.room_id == finding.room_id and
            (p.finding_id == finding.id or (finding.item_id is not None and p.item_id == finding.item_id))]


def _room_sections(ctx: AppContext, assessment: m.Assessment, findings: list[FindingView],
                   units: DisplayUnits, photos: list[PhotoView], kind: ReportKind) -> tuple[list[RoomSection], int]:
    sections, unanswered = [], 0
    for room in assessment.rooms:
        if room.deleted_at is not None:
            continue
        checklist = pinned_checklist(ctx.registry, assessment, room.room_type)
        answers = answers_of(room)
        done = completeness(checklist, answers)
        unanswered += done.total - done.answered
        notes, measures = [], []
        for item in checklist.items:
            answer = answers.get(item.id)
            if answer is None:
                continue
            if answer.note.strip():
                notes.append(Field(item.prompt, answer.note.strip()))
            if item.kind is ItemKind.TEXT and answer.value:
                notes.append(Field(item.prompt, answer.value.strip()))
            if item.kind is ItemKind.MEASURE and answer.number is not None and item.quantity:
                measures.append(Field(item.prompt, format_both(answer.number, Quantity(item.quantity), units)))
            if item.kind is ItemKind.COUNT and answer.number is not None:
                measures.append(Field(item.prompt, str(int(answer.number))))
        room_findings = tuple(
            _finding_line(f, tuple(photo_ref(ctx, p, FAMILY_PHOTO_PX) for p in _photos_for(f, photos))
                          if kind is ReportKind.FAMILY else ())
            for f in findings if f.room_id == room.id)
        room_photos = tuple(photo_ref(ctx, p, CLINICAL_PHOTO_PX) for p in photos
                            if p.room_id == room.id) if kind is ReportKind.CLINICAL else ()
        sections.append(RoomSection(room.name, room.room_type, done.answered, done.total, room_findings,
                                    tuple(notes), tuple(measures), room_photos))
    return sections, unanswered


def _background(client: m.Client, assessment: m.Assessment) -> list[Field]:
    profile = profile_of(client)
    place = "workplace" if assessment.kind == "workplace" else "home"
    aid = profile.mobility_aid
    aid_text = "None" if aid is MobilityAid.NONE else aid.label
    if aid is not MobilityAid.NONE and profile.aid_width_mm:
        aid_text += f" ({format_both(profile.aid_width_mm, Quantity.LENGTH, DisplayUnits(assessment.units))} wide)"
    if aid is not MobilityAid.NONE and profile.aid_swl_kg:
        aid_text += f", rated for {format_both(profile.aid_swl_kg, Quantity.WEIGHT, DisplayUnits(assessment.units))}"
    if profile.second_aid is not MobilityAid.NONE:
        aid_text += f"; {profile.second_aid.label.lower()} {profile.second_aid_use.label.lower()}"
    units = DisplayUnits(assessment.units)
    equipment = "; ".join(e.name + (f", rated for {format_both(e.swl_kg, Quantity.WEIGHT, units)}" if e.swl_kg else "")
                          for e in profile.equipment)
    conditions = ", ".join(Condition(c).label for c in client.conditions)
    if client.other_conditions.strip():
        conditions = ", ".join(x for x in (conditions, client.other_conditions.strip()) if x)
    rows = [
        Field("Reason for referral", assessment.referral_reason),
        Field("Health conditions", conditions or "None recorded"),
        Field("Walking aid", aid_text),
        Field("Symptoms", "; ".join(s.label for s in sorted(profile.symptoms))),
        Field("Equipment in use", equipment),
        Field("Falls in the last 12 months", str(profile.falls_last_12_months)),
        Field("Memory and thinking", COGNITION_PLAIN[profile.cognition]),
        Field("Vision", SENSE_PLAIN[profile.vision]),
        Field("Hearing", SENSE_PLAIN[profile.hearing]),
        Field("Transfers", profile.transfers.label),
        Field("Weaker side", profile.weak_side.label if profile.weak_side is not WeakSide.NONE else ""),
        Field("Behaviours", "; ".join(b.label for b in sorted(profile.behaviours))),
        Field("Home oxygen", "Yes" if profile.home_oxygen else ""),
        Field("Smoking in the home", "Yes, by someone in the household" if profile.household_smoker else ""),
        Field("Lives alone", "Yes" if profile.lives_alone else "No"),
        Field("Support", "; ".join(f"{c.name} ({c.relationship})" if c.relationship else c.name
                                   for c in profile.contacts) or ("Has carers" if profile.has_carers else "None recorded")),
        Field("Present at the visit", assessment.people_present),
        Field(place.capitalize(), ", ".join(x for x in (assessment.property_type, assessment.tenure) if x)),
        Field(f"About the {place}", assessment.property_notes),
    ]
    if profile.knee_height_mm:
        rows.insert(3, Field("Knee height (floor to back of knee)",
                             format_both(profile.knee_height_mm, Quantity.LENGTH, DisplayUnits(assessment.units))))
    return [r for r in rows if r.value.strip()]


def _next_steps(kind: ReportKind, groups: list[TierGroup], assessment: m.Assessment) -> list[str]:
    steps = []
    urgent = next((g for g in groups if g.tier is Tier.P1), None)
    if urgent:
        steps.append(f"Start with the {len(urgent.recommendations)} urgent item(s) this week.")
    if any(r.who in ("Equipment supplier",) for g in groups for r in g.recommendations):
        steps.append("Equipment will be ordered by your therapist; you will be told when it will be delivered.")
    if any(r.who in ("A builder", "A plumber", "An electrician") for g in groups for r in g.recommendations):
        steps.append("For building, plumbing or electrical work, get a quote from a qualified tradesperson; "
                     "if you rent, ask your landlord's permission first.")
    steps.append("Your therapist will contact you in 2 to 4 weeks to see what has been done and whether it helps, "
                 "and will review your goals in about 3 months.")
    if kind is ReportKind.CLINICAL:
        steps.append("Review date: 3 months after the visit (GAS goals, falls count, uptake of recommendations).")
    return steps


def _signature_file(ctx: AppContext, png: bytes | None) -> str:
    """The sign-off signature as a file the renderer can place (cached by content)."""
    if not png:
        return ""
    target = ctx.data_dir / "cache" / "signatures" / f"{hashlib.sha256(png).hexdigest()}.png"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, lambda tmp: tmp.write_bytes(png))
    return str(target)


def _sign_off_fields(record: RecordSummary, therapist: str, today: date) -> tuple[Field, ...]:
    status = record.status
    if status.status is not VisitStatus.FINALISED:
        return Field("Therapist", therapist), Field("Date", today.strftime("%d %B %Y"))
    who = status.signed_off_by + (f" (registration {status.registration})" if status.registration else "")
    how = ("Signed on the signature pad" if status.method == SignOffMethod.SIGNATURE
           else "Typed name and registration number (electronic sign-off)")
    return (Field("Signed off by", who),
            Field("Date", status.signed_off_on.strftime("%d %B %Y") if status.signed_off_on else ""),
            Field("Signature", how))


def _record_fields(ctx: AppContext, record: RecordSummary, kind: ReportKind, therapist: str) -> dict[str, Any]:
    """The visit record's part of a report model: status, consent, not assessed, addenda, sign-off."""
    clinical = kind is ReportKind.CLINICAL
    consent = tuple(Field(label, value) for label, value in record.consent.lines()) if record.consent else ()
    return dict(status_line=record.status.report_line, consent=consent if clinical else (),
                not_assessed=tuple(x.text for x in record.not_assessed) if clinical else (),
                addenda=tuple(a.line for a in record.addenda),
                sign_off=_sign_off_fields(record, therapist, ctx.clock.today()),
                signature_path=_signature_file(ctx, record.signature_png) if clinical else "")


def build_report_model(ctx: AppContext, assessment_id: str, kind: ReportKind | str) -> ReportModel:
    kind = ReportKind(kind)
    photos = list_photos(ctx, assessment_id)
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        client = assessment.client
        units = DisplayUnits(assessment.units)
        findings = finding_views(ctx, uow.session, assessment)
        recs = recommendation_views(uow.session, assessment)
        by_id = {f.id: f for f in findings}
        active = [_rec_line(r, by_id) for r in recs if r.status != "declined"]
        declined = tuple(_rec_line(r, by_id) for r in recs if r.status == "declined")
        groups = [TierGroup(t, t.meaning, tuple(r for r in active if r.tier is t)) for t in Tier]
        groups = [g for g in groups if g.recommendations]
        rooms, unanswered = _room_sections(ctx, assessment, findings, units, photos, kind)
        goals = tuple(GoalLine(g.text, g.activity, tuple(r.title for r in recs if r.goal_id == g.id and r.status != "declined"))
                      for g in client.goals if g.deleted_at is None)
        name = f"{client.given_name} {client.family_name}".strip()
        therapist, organisation = signatory(settings_from_session(uow.session), name=assessment.therapist_name,
                                            profession=assessment.therapist_profession,
                                            registration=assessment.therapist_registration,
                                            organisation=assessment.organisation)
        cover = [Field("Client", name), Field("Address", client.address),
                 Field("Date of birth", client.date_of_birth.strftime("%d %B %Y") if client.date_of_birth else ""),
                 Field("Visit date", assessment.visit_date.strftime("%d %B %Y")), Field("Therapist", therapist),
                 Field("Organisation", organisation)]
        if kind is ReportKind.CLINICAL:
            cover += [Field(k.upper() if len(k) <= 4 else k, str(v)) for k, v in client.identifiers.items()]
            cover.append(Field("Standards applied", StandardProfile(assessment.standard).label))
        precautions = [Precaution(p).label for p in client.precautions]
        if client.precaution_notes.strip():
            precautions.append(client.precaution_notes.strip())
        counts = {t: sum(1 for f in findings if f.tier is t) for t in Tier}
        title = "Home safety report" if kind is ReportKind.FAMILY else "Occupational therapy home assessment"
        if assessment.kind == "workplace":
            title = "Workplace report" if kind is ReportKind.FAMILY else "Occupational therapy workplace assessment"
        return ReportModel(
            kind=kind, title=title,
            subtitle=f"for {client.preferred_name or client.given_name}" if kind is ReportKind.FAMILY else "Clinical report",
            client_name=name, client_initials="".join(p[0] for p in (client.given_name, client.family_name) if p).upper(),
            reference=assessment.id[:8], visit_date=assessment.visit_date, report_date=ctx.clock.today(),
            cover=tuple(f for f in cover if f.value.strip()), background=tuple(_background(client, assessment)),
            precautions=tuple(precautions), priorities=tuple(groups),
            today=tuple(r for r in active if r.today), rooms=tuple(rooms), goals=goals,
            next_steps=tuple(_next_steps(kind, groups, assessment)), tier_counts=counts, declined=declined,
            unanswered=unanswered,
            disclaimer=DISCLAIMER.replace("the home changes", "the workplace changes")
            if assessment.kind == "workplace" else DISCLAIMER,
            standard_note=("Measurements are compared with " + StandardProfile(assessment.standard).label +
                           ". For private homes these are accessible-design benchmarks, not legal requirements."),
            sizings=tuple(Field(f"{room}: {s.what}", s.calculation + (f". Alternative: {s.alternative}" if s.alternative else ""))
                          for room, s in visit_sizings(uow.session, assessment, ctx.registry)),
            **_record_fields(ctx, record_summary_for(ctx, uow.session, assessment), kind, therapist),
            letterhead=letterhead_for(uow.session, organisation),
        )


def write_atomically(out: Path, write: Callable[[Path], None]) -> Path:
    """Render to a temporary file beside ``out`` and move it into place only when complete."""
    out = out.expanduser().resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def run_report_job(build: Callable[[], Any], render: Callable[[Any, Path], None], out: Path, *,
                   progress: Progress | None = None, cancel: threading.Event | None = None,
                   collecting: str = "Collecting findings") -> Path:
    """Build a report's plain data, then render it to ``out`` atomically; safe in a worker thread."""
    report = progress or (lambda *_: None)
    report(0.1, collecting)
    model = build()
    if cancel is not None and cancel.is_set():
        raise InterruptedError("report cancelled")
    report(0.4, "Laying out pages")
    path = write_atomically(out, lambda tmp: render(model, tmp))
    report(1.0, "Done")
    return path


def generate_report(ctx: AppContext, assessment_id: str, kind: ReportKind | str, out: Path, *,
                    progress: Progress | None = None, cancel: threading.Event | None = None) -> Path:
    """Job: the family or clinical report as PDF."""
    from homeassess.reports.pdf import render_pdf

    return run_report_job(lambda: build_report_model(ctx, assessment_id, kind), render_pdf, out,
                          progress=progress, cancel=cancel)
