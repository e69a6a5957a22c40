"""A visit's record around the checklist (issue 12): consent at the start, sign-off at the end, addenda after.

Consent is kept as history: each recording adds a row, the latest one holds. Sign-off needs every
visible item answered or marked not assessed, then locks the visit (status "finalised", which
``assessments.editable_assessment`` refuses to change); from then on only addenda are added.
Recommendation lifecycle steps (ordered, installed …) stay allowed after sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.db.uow import retry_on_sequence_conflict
from homeassess.domain.checklist import Item
from homeassess.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from homeassess.domain.input_rules import check_date
from homeassess.domain.text_rules import TEXT_LIMITS, clean_kind, clean_name, collect
from homeassess.domain.visit_record import ConsentMethod, SignOffMethod, VisitStatus  # noqa: F401 - re-exported
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.dto import RoomView
from homeassess.services.lookup import get_live

NAME_MAX = TEXT_LIMITS["name"]
TEXT_MAX = TEXT_LIMITS["record"]
UNNAMED = "Every person reports may be shared with needs a name."
KIND_WORDS = {"home": "home visit", "workplace": "workplace visit", "follow_up": "follow-up visit"}


def _date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# -- consent --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SharePerson:
    name: str
    relationship: str = ""

    @property
    def text(self) -> str:
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


@dataclass(frozen=True, slots=True)
class ConsentInput:
    """What the client (or their representative) agreed to, and how it was given."""

    to_assessment: bool
    photos_record: bool
    photos_teaching: bool = False
    share_with: tuple[SharePerson, ...] = ()
    method: ConsentMethod = ConsentMethod.SIGNED
    given_by: str = ""                 # who gave consent: the client or their representative
    given_by_relationship: str = ""    # "client", "daughter, attorney" …
    witness: str = ""                  # the therapist who heard verbal consent
    signature_png: bytes | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ConsentView:
    seq: int
    to_assessment: bool
    photos_record: bool
    photos_teaching: bool
    share_with: tuple[SharePerson, ...]
    method: ConsentMethod
    given_by: str
    given_by_relationship: str
    witness: str
    has_signature: bool
    note: str
    recorded_by: str
    recorded_at: datetime

    @property
    def how(self) -> str:
        who = self.given_by + (f" ({self.given_by_relationship})" if self.given_by_relationship else "")
        if self.method is ConsentMethod.VERBAL:
            return f"Verbal consent from {who}, witnessed by {self.witness}"
        return f"Signed by {who}"

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) rows for reports and the overview."""
        yes_no = {True: "Yes", False: "No"}
        shared = "; ".join(p.text for p in self.share_with) or "No one named"
        return [("Consent to the assessment", yes_no[self.to_assessment]),
                ("Photos for the clinical record", yes_no[self.photos_record]),
                ("Photos for teaching or research", yes_no[self.photos_teaching]),
                ("Reports may be shared with", shared),
                ("How consent was given", self.how),
                ("Recorded", f"{self.recorded_at:%d/%m/%Y %H:%M} by {self.recorded_by}"
                             + (f" (change {self.seq})" if self.seq > 1 else ""))]


def _cleaned_consent(consent: ConsentInput, errors: list[FieldError]) -> ConsentInput:
    """``consent`` with its text cleaned (text_rules); each problem is added to ``errors``."""
    for name in ("to_assessment", "photos_record", "photos_teaching"):
        if not isinstance(getattr(consent, name), bool):
            errors.append(FieldError(name, "must be yes or no"))
    if not isinstance(consent.method, ConsentMethod):
        errors.append(FieldError("method", "must be signed or verbal"))
    if consent.signature_png is not None and not isinstance(consent.signature_png, bytes):
        errors.append(FieldError("signature", "The signature must be a picture"))
    given_by = collect(errors, clean_name, consent.given_by, field="given_by", label="Who gave consent",
                       empty_message="Say who gave consent (the client or their representative).")
    verbal = consent.method is ConsentMethod.VERBAL
    witness = collect(errors, clean_name, consent.witness, field="witness", label="The witness", required=verbal,
                      empty_message="Verbal consent needs the name of the therapist who witnessed it.")
    share, problems = [], []
    for person in consent.share_with:
        share.append(SharePerson(collect(problems, clean_name, person.name, field="share_with", label="A name",
                                         empty_message=UNNAMED) or "",
                                 collect(problems, clean_kind, person.relationship, field="share_with", kind="code",
                                         label="A relationship") or ""))
    errors += list(dict.fromkeys(problems))   # "needs a name" once, however many are unnamed
    return replace(consent, given_by=given_by or "", witness=witness or "", share_with=tuple(share),
                   given_by_relationship=collect(errors, clean_kind, consent.given_by_relationship,
                                                 field="given_by_relationship", kind="code",
                                                 label="The relationship") or "",
                   note=collect(errors, clean_kind, consent.note, field="note", kind="record", label="The note") or "")


def consent_problems(consent: ConsentInput) -> list[FieldError]:
    """Every reason ``consent`` cannot be recorded (the dialog shows them inline; the service refuses)."""
    errors: list[FieldError] = []
    consent = _cleaned_consent(consent, errors)
    if consent.method is ConsentMethod.SIGNED and not consent.signature_png:
        errors.append(FieldError("signature", "Ask them to sign on the pad, or record verbal consent instead."))
    return errors


def _consent_view(row: m.VisitConsent) -> ConsentView:
    return ConsentView(
        seq=row.seq, to_assessment=row.to_assessment, photos_record=row.photos_record,
        photos_teaching=row.photos_teaching,
        share_with=tuple(SharePerson(p.get("name", ""), p.get("relationship", "")) for p in row.share_with),
        method=ConsentMethod(row.method), given_by=row.given_by, given_by_relationship=row.given_by_relationship,
        witness=row.witness, has_signature=row.signature is not None, note=row.note, recorded_by=row.recorded_by,
        recorded_at=row.recorded_at)


def _latest_consent(session: Session, assessment_id: str) -> m.VisitConsent | None:
    return session.scalars(select(m.VisitConsent).where(m.VisitConsent.assessment_id == assessment_id)
                           .order_by(m.VisitConsent.seq.desc()).limit(1)).first()


@retry_on_sequence_conflict
def record_consent(ctx: AppContext, assessment_id: str, consent: ConsentInput, *,
                   by: str = "") -> tuple[ConsentView, Changes]:
    """Record consent for a visit, or a change to it (a new entry; earlier ones are kept).

    Allowed after sign-off too: a client may withdraw or widen consent at any time.
    ``by`` is who recorded it (default: the visit's therapist)."""
    errors = consent_problems(consent)
    consent = _cleaned_consent(consent, [])
    by = collect(errors, clean_kind, by, field="recorded_by", kind="name", label="Who is recording consent") or ""
    with ctx.uow() as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        recorder = by or assessment.therapist_name.strip()
        if not recorder:
            errors.append(FieldError("recorded_by", "Say who is recording consent (the therapist's name)."))
        if errors:
            raise ValidationError(errors)
        seq = uow.session.scalar(select(func.coalesce(func.max(m.VisitConsent.seq), 0))
                                 .where(m.VisitConsent.assessment_id == assessment.id)) + 1
        row = m.VisitConsent(
            assessment_id=assessment.id, seq=seq, to_assessment=consent.to_assessment,
            photos_record=consent.photos_record, photos_teaching=consent.photos_teaching,
            share_with=[{"name": p.name, "relationship": p.relationship} for p in consent.share_with],
            method=consent.method.value, given_by=consent.given_by,
            given_by_relationship=consent.given_by_relationship,
            witness=consent.witness if consent.method is ConsentMethod.VERBAL else "",
            signature=consent.signature_png if consent.method is ConsentMethod.SIGNED else None,
            note=consent.note, recorded_by=recorder, recorded_at=ctx.clock.now())
        uow.session.add(row)
        uow.session.flush()
        view = _consent_view(row)
    return view, Changes(assessment_meta=True)


def current_consent(ctx: AppContext, assessment_id: str) -> ConsentView | None:
    """The consent that holds now, or None when it was never recorded."""
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        row = _latest_consent(uow.session, assessment.id)
        return _consent_view(row) if row is not None else None


def consent_history(ctx: AppContext, assessment_id: str) -> list[ConsentView]:
    """Every recording of consent for the visit, oldest first."""
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        rows = uow.session.scalars(select(m.VisitConsent).where(m.VisitConsent.assessment_id == assessment.id)
                                   .order_by(m.VisitConsent.seq))
        return [_consent_view(r) for r in rows]


def consent_signature(ctx: AppContext, assessment_id: str, seq: int | None = None) -> bytes | None:
    """The PNG signed on the pad for one recording of consent (default: the latest)."""
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        query = select(m.VisitConsent.signature).where(m.VisitConsent.assessment_id == assessment.id)
        query = query.where(m.VisitConsent.seq == seq) if seq else query.order_by(m.VisitConsent.seq.desc())
        return uow.session.scalars(query.limit(1)).first()


def visit_name(assessment: m.Assessment) -> str:
    """How messages name a visit: kind, date, client and reference."""
    client = assessment.client
    who = f"{client.given_name} {client.family_name}".strip()
    kind = KIND_WORDS.get(assessment.kind, "visit")
    return f"the {kind} of {assessment.visit_date:%d %B %Y} for {who} (ref {assessment.id[:8]})"


def photo_consent_refusal(session: Session, assessment: m.Assessment) -> str | None:
    """Why photos may not be added to this visit, or None when the client agreed to photos."""
    consent = _latest_consent(session, assessment.id)
    if consent is not None and consent.photos_record:
        return None
    state = "has not been recorded" if consent is None else "was not given"
    return (f"Photo consent {state} for {visit_name(assessment)}. "
            "Record photo consent on the visit overview first.")


# -- not assessed ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NotAssessedView:
    room_id: str
    room_name: str
    item_id: str | None     # None: the whole room
    prompt: str
    reason: str
    marked_by: str
    marked_at: datetime

    @property
    def text(self) -> str:
        what = f"{self.room_name}: {self.prompt}" if self.item_id else f"{self.room_name} (whole room)"
        return what + (f" — {self.reason}" if self.reason else "")


def _marker(session: Session, room_id: str, item_id: str | None) -> m.NotAssessed | None:
    query = select(m.NotAssessed).where(m.NotAssessed.room_id == room_id)
    query = query.where(m.NotAssessed.item_id.is_(None) if item_id is None else m.NotAssessed.item_id == item_id)
    return session.scalars(query.limit(1)).first()


def mark_not_assessed(ctx: AppContext, room_id: str, item_id: str | None = None, *, reason: str = "",
                      by: str = "", clear: bool = False) -> Changes:
    """Mark a room (``item_id`` None) or one item as not assessed, or ``clear`` the mark.

    Not the answer "na" (not applicable): the question applies, it was not looked at."""
    from homeassess.services.assessments import checklist_item, editable_room
    from homeassess.services.findings import pinned_checklist

    reason = clean_kind(reason, field="reason", kind="note", label="The reason")
    by = clean_kind(by, field="by", kind="name", label="Who marked it")
    with ctx.uow() as uow:
        room, assessment = editable_room(uow.session, room_id)
        if item_id is not None:
            checklist_item(pinned_checklist(ctx.registry, assessment, room.room_type), item_id)
        row = _marker(uow.session, room.id, item_id)
        if clear:
            if row is not None:
                uow.session.delete(row)
        elif row is None:
            uow.session.add(m.NotAssessed(assessment_id=assessment.id, room_id=room.id, item_id=item_id,
                                          reason=reason, marked_by=by or assessment.therapist_name,
                                          marked_at=ctx.clock.now()))
        else:
            row.reason = reason
    return Changes(rooms=True, answers=frozenset({item_id}) if item_id else frozenset())


def _not_assessed(ctx: AppContext, session: Session, assessment: m.Assessment) -> list[NotAssessedView]:
    from homeassess.services.findings import pinned_checklist

    rooms = {r.id: r for r in assessment.rooms if r.deleted_at is None}
    out = []
    for row in session.scalars(select(m.NotAssessed).where(m.NotAssessed.assessment_id == assessment.id)
                               .order_by(m.NotAssessed.marked_at)):
        room = rooms.get(row.room_id)
        if room is None:
            continue
        prompt = ""
        if row.item_id is not None:
            items = {i.id: i for i in pinned_checklist(ctx.registry, assessment, room.room_type).items}
            prompt = items[row.item_id].prompt if row.item_id in items else row.item_id
        out.append(NotAssessedView(room.id, room.name, row.item_id, prompt, row.reason, row.marked_by,
                                   row.marked_at))
    out.sort(key=lambda v: (rooms[v.room_id].position, v.item_id is not None))
    return out


def list_not_assessed(ctx: AppContext, assessment_id: str) -> list[NotAssessedView]:
    with ctx.uow(read_only=True) as uow:
        return _not_assessed(ctx, uow.session, get_live(uow.session, m.Assessment, assessment_id, "assessment"))


def outstanding_items(ctx: AppContext, assessment_id: str) -> list[tuple[RoomView, list[Item]]]:
    """``unanswered_items`` without the rooms and items marked not assessed: what blocks sign-off."""
    from homeassess.services.assessments import unanswered_items

    marks = list_not_assessed(ctx, assessment_id)
    whole = {x.room_id for x in marks if x.item_id is None}
    items = {(x.room_id, x.item_id) for x in marks if x.item_id is not None}
    out = []
    for room, missing in unanswered_items(ctx, assessment_id):
        left = [i for i in missing if room.id not in whole and (room.id, i.id) not in items]
        if left:
            out.append((room, left))
    return out


# -- sign-off -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SignOffInput:
    name: str
    registration: str = ""
    signed_on: date | None = None
    method: SignOffMethod = SignOffMethod.TYPED
    signature_png: bytes | None = None


@dataclass(frozen=True, slots=True)
class VisitStatusView:
    assessment_id: str
    status: VisitStatus
    signed_off_on: date | None = None
    signed_off_by: str = ""
    registration: str = ""
    method: str = ""
    consent_recorded: bool = False

    @property
    def label(self) -> str:
        """"In progress" or "Signed off 10/03/2026 by Sam Patel"."""
        if self.status is VisitStatus.FINALISED:
            when = f" {_date(self.signed_off_on)}" if self.signed_off_on else ""
            by = f" by {self.signed_off_by}" if self.signed_off_by else ""
            return f"Signed off{when}{by}"
        return VisitStatus.IN_PROGRESS.label

    @property
    def plain(self) -> str:
        """The command line's status column: "in progress" or "signed off 2026-03-10 by Sam Patel"."""
        if self.status is VisitStatus.FINALISED:
            when = f" {self.signed_off_on.isoformat()}" if self.signed_off_on else ""
            return f"signed off{when}" + (f" by {self.signed_off_by}" if self.signed_off_by else "")
        return "in progress"

    @property
    def report_line(self) -> str:
        """The line near each report's header."""
        if self.status is VisitStatus.FINALISED:
            reg = f" (registration {self.registration})" if self.registration else ""
            return f"Status: {self.label}{reg}."
        return "Status: in progress — not yet signed off by the therapist; details may change."


def _status_view(session: Session, row: m.Assessment) -> VisitStatusView:
    status = VisitStatus.FINALISED if row.status == VisitStatus.FINALISED else VisitStatus.IN_PROGRESS
    recorded = session.scalar(select(func.count()).select_from(m.VisitConsent)
                              .where(m.VisitConsent.assessment_id == row.id)) > 0
    return VisitStatusView(row.id, status, row.signed_off_on, row.signed_off_by, row.signed_off_registration,
                           row.signed_off_method, recorded)


def status_line_for(session: Session, assessment: m.Assessment) -> str:
    """For report builders that already hold a session (orders, progress)."""
    return _status_view(session, assessment).report_line


def visit_status(ctx: AppContext, assessment_id: str) -> VisitStatusView:
    with ctx.uow(read_only=True) as uow:
        return _status_view(uow.session, get_live(uow.session, m.Assessment, assessment_id, "assessment"))


def visit_statuses(ctx: AppContext, assessment_ids: list[str]) -> dict[str, VisitStatusView]:
    """Status of several visits in one read (client list, command line)."""
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.scalars(select(m.Assessment).where(m.Assessment.id.in_(assessment_ids)))
        return {r.id: _status_view(uow.session, r) for r in rows}


def sign_off_problems(ctx: AppContext, assessment_id: str) -> list[str]:
    """What stops this visit being signed off now (empty: it can be)."""
    status = visit_status(ctx, assessment_id)
    if status.status is VisitStatus.FINALISED:
        return [f"This visit is already {status.label.lower()}; add an addendum instead."]
    problems = []
    consent = current_consent(ctx, assessment_id)
    if consent is None:
        problems.append("Consent has not been recorded: record it on the visit overview first.")
    elif not consent.to_assessment:
        problems.append("The client has not consented to the assessment.")
    left = sum(len(items) for _room, items in outstanding_items(ctx, assessment_id))
    if left:
        problems.append(f"{left} item(s) are still unanswered: answer them or mark them not assessed.")
    return problems


def _cleaned_sign_off(sign: SignOffInput, errors: list[FieldError], today: date) -> SignOffInput:
    name = collect(errors, clean_name, sign.name, field="name", label="The therapist's name",
                   empty_message="Type the therapist's name.")
    registration = collect(errors, clean_kind, sign.registration, field="registration", kind="code",
                           label="The registration number")
    if sign.method is SignOffMethod.TYPED and registration == "":
        errors.append(FieldError("registration", "A typed sign-off needs the registration number."))
    if sign.method is SignOffMethod.SIGNATURE and not sign.signature_png:
        errors.append(FieldError("signature", "Sign on the pad, or type your name and registration number."))
    if sign.signature_png is not None and not isinstance(sign.signature_png, bytes):
        errors.append(FieldError("signature", "The signature must be a picture"))
    signed_on = sign.signed_on
    if signed_on is None:
        errors.append(FieldError("signed_on", "Give the date of the sign-off."))
    else:
        signed_on = collect(errors, check_date, signed_on, field="signed_on", rule="signed_on", today=today)
    return replace(sign, name=name or "", registration=registration or "", signed_on=signed_on)


def sign_off(ctx: AppContext, assessment_id: str, sign: SignOffInput) -> tuple[VisitStatusView, Changes]:
    """Sign the visit off and lock it; refuses (ConflictError) while anything is left to resolve."""
    errors: list[FieldError] = []
    sign = _cleaned_sign_off(sign, errors, ctx.clock.today())
    if errors:
        raise ValidationError(errors)
    if problems := sign_off_problems(ctx, assessment_id):
        raise ConflictError(" ".join(problems))
    with ctx.uow() as uow:
        row = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        if row.status == VisitStatus.FINALISED:  # signed elsewhere since the check above
            raise ConflictError("This visit is already signed off; add an addendum instead.")
        now = ctx.clock.now()
        row.status = VisitStatus.FINALISED.value
        row.signed_off_at, row.signed_off_on, row.updated_at = now, sign.signed_on, now
        row.signed_off_by, row.signed_off_registration = sign.name, sign.registration
        row.signed_off_method = sign.method.value
        row.signed_off_signature = sign.signature_png if sign.method is SignOffMethod.SIGNATURE else None
        uow.session.flush()
        view = _status_view(uow.session, row)
    return view, Changes(assessment_meta=True, rooms=True)


def sign_off_signature(ctx: AppContext, assessment_id: str) -> bytes | None:
    with ctx.uow(read_only=True) as uow:
        return get_live(uow.session, m.Assessment, assessment_id, "assessment").signed_off_signature


# -- addenda --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AddendumView:
    id: str
    text: str
    by: str
    created_at: datetime
    finding_id: str | None = None
    recommendation_id: str | None = None
    concerns: str = ""      # the finding's or recommendation's title

    @property
    def line(self) -> str:
        """"Addendum 03/12/2026 by Sam Patel: …" as the reports print it."""
        about = f" (about: {self.concerns})" if self.concerns else ""
        return f"Addendum {_date(self.created_at.date())} by {self.by}{about}: {self.text}"


def _addendum_view(session: Session, row: m.Addendum) -> AddendumView:
    concerns = ""
    if row.finding_id and (finding := session.get(m.Finding, row.finding_id)) is not None:
        concerns = finding.title
    if row.recommendation_id and (rec := session.get(m.Recommendation, row.recommendation_id)) is not None:
        concerns = rec.title
    return AddendumView(row.id, row.text, row.by, row.created_at, row.finding_id, row.recommendation_id, concerns)


def add_addendum(ctx: AppContext, assessment_id: str, text: str, by: str, *, finding_id: str | None = None,
                 recommendation_id: str | None = None) -> tuple[AddendumView, Changes]:
    """Add a dated, attributed note to a signed-off visit, optionally about one finding or recommendation."""
    errors: list[FieldError] = []
    text = collect(errors, clean_name, text, field="text", max_len=TEXT_MAX, multiline=True, label="The addendum",
                   empty_message="Write the addendum.") or ""
    by = collect(errors, clean_name, by, field="by", label="Who is adding the addendum",
                 empty_message="Say who is adding the addendum.") or ""
    if errors:
        raise ValidationError(errors)
    with ctx.uow() as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        if assessment.status != VisitStatus.FINALISED:
            raise ConflictError("This visit is not signed off yet: change it directly instead of adding an addendum.")
        for model, ident in ((m.Finding, finding_id), (m.Recommendation, recommendation_id)):
            target = uow.session.get(model, ident) if ident else None
            if ident and (target is None or target.assessment_id != assessment.id):
                raise NotFoundError(f"no {model.__tablename__} {ident!r} in this visit")
        row = m.Addendum(assessment_id=assessment.id, text=text, by=by, finding_id=finding_id,
                         recommendation_id=recommendation_id, created_at=ctx.clock.now())
        uow.session.add(row)
        uow.session.flush()
        view = _addendum_view(uow.session, row)
    return view, Changes(assessment_meta=True)


def _addenda(session: Session, assessment: m.Assessment) -> list[AddendumView]:
    rows = session.scalars(select(m.Addendum).where(m.Addendum.assessment_id == assessment.id)
                           .order_by(m.Addendum.created_at, m.Addendum.id))
    return [_addendum_view(session, r) for r in rows]


def list_addenda(ctx: AppContext, assessment_id: str) -> list[AddendumView]:
    with ctx.uow(read_only=True) as uow:
        return _addenda(uow.session, get_live(uow.session, m.Assessment, assessment_id, "assessment"))


# -- for the reports ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What the reports print about the visit record (built inside the report's read)."""

    status: VisitStatusView
    consent: ConsentView | None
    addenda: tuple[AddendumView, ...]
    not_assessed: tuple[NotAssessedView, ...]
    signature_png: bytes | None


def record_summary_for(ctx: AppContext, session: Session, assessment: m.Assessment) -> RecordSummary:
    latest = _latest_consent(session, assessment.id)
    return RecordSummary(
        status=_status_view(session, assessment), consent=_consent_view(latest) if latest is not None else None,
        addenda=tuple(_addenda(session, assessment)), not_assessed=tuple(_not_assessed(ctx, session, assessment)),
        signature_png=assessment.signed_off_signature)


def record_verbal_consent(ctx: AppContext, assessment_id: str, *, given_by: str,
                          share_with: tuple[SharePerson, ...] = (), photos_teaching: bool = False) -> ConsentView:
    """Consent to the assessment and to photos for the record, said aloud and witnessed by the visit's
    therapist (the demo visits, scripts and tests use this)."""
    with ctx.uow(read_only=True) as uow:
        therapist = get_live(uow.session, m.Assessment, assessment_id, "assessment").therapist_name.strip()
    consent = ConsentInput(to_assessment=True, photos_record=True, photos_teaching=photos_teaching,
                           share_with=share_with, method=ConsentMethod.VERBAL, given_by=given_by,
                           given_by_relationship="client", witness=therapist or "the therapist")
    return record_consent(ctx, assessment_id, consent, by=therapist or "the therapist")[0]
