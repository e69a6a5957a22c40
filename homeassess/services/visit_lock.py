"""Whether a visit can be changed here, and if not why: one answer for every visit screen.

A visit is locked for one of three reasons, each enforced elsewhere; this module only asks those
places, so the screens and the refusals can never disagree:

- signed off (``assessments.editable_assessment`` refuses): only the steps that follow a visit stay
  open — recommendation lifecycle (ordered, installed …), consent, follow-up outcomes and addenda;
- held by a laptop, seen on the team server (``team.hold_of``; ``db/visit_guard.server_holds``);
- a laptop's read-only copy of a checked-in visit (``team.is_read_only_copy``;
  ``db/visit_guard.checked_in_copies``), which may also cover the client's own record.

A team lock refuses every change to the visit, so it is reported before a sign-off. ``client_lock``
answers the same for the client editor: only the last reason can cover the client's own record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.db.visit_guard import checked_in_copies
from homeassess.domain.visit_record import VisitStatus
from homeassess.services import team
from homeassess.services.context import AppContext
from homeassess.services.lookup import get_live
from homeassess.services.visit_record import visit_status


class LockReason(StrEnum):
    SIGNED_OFF = "signed_off"
    HELD = "held"                     # on the team server: a laptop has it checked out
    READ_ONLY_COPY = "read_only_copy"  # on a laptop: checked in, the server's record


@dataclass(frozen=True, slots=True)
class VisitLock:
    """Why a visit is read-only here, in a sentence for the banner."""

    reason: LockReason
    sentence: str
    client_record_locked: bool = False   # the client's own record (their goals) is refused too

    @property
    def after_sign_off_open(self) -> bool:
        """Recommendation status steps, consent, follow-up outcomes and addenda can still be recorded."""
        return self.reason is LockReason.SIGNED_OFF


def visit_lock(ctx: AppContext, assessment_id: str) -> VisitLock | None:
    """The lock on this visit here, or None when it can be changed."""
    if (hold := team.hold_of(ctx, assessment_id)) is not None:
        return VisitLock(LockReason.HELD,
                         f"Checked out to {hold.words} — read-only until it is checked in. A team lead can "
                         "release a hold that is no longer needed (File ▸ Team ▸ Holds).")
    if team.is_read_only_copy(ctx, assessment_id):
        return VisitLock(LockReason.READ_ONLY_COPY,
                         "A read-only copy of the team server's record. Check it out (File ▸ Team) to change it.",
                         client_record_locked=_visit_client_refused(ctx, assessment_id))
    status = visit_status(ctx, assessment_id)
    if status.status is VisitStatus.FINALISED:
        return VisitLock(LockReason.SIGNED_OFF,
                         f"{status.label} — the record is locked. To correct or add to it, add an addendum "
                         "(Add addendum… on the visit overview).")
    return None


def _visit_client_refused(ctx: AppContext, assessment_id: str) -> bool:
    with ctx.uow(read_only=True) as uow:
        client_id = get_live(uow.session, m.Assessment, assessment_id, "assessment").client_id
        return _client_record_refused(uow.session, client_id)


CLIENT_SENTENCE = ("A read-only copy of the team server's record: check one of this client's visits out "
                   "(File ▸ Team) to change their details.")


def client_lock(ctx: AppContext, client_id: str) -> VisitLock | None:
    """The lock on the client's own record (profile, contacts, goals) here, or None when it can be
    changed. Only a laptop's read-only copy locks it: on the team server ``server_holds`` leaves client
    records editable while a visit is out (check-in merges them field by field), and a data folder
    never linked to a server has no copies. One indexed query, asked of the guard itself."""
    if ctx.is_server:
        return None
    with ctx.uow(read_only=True) as uow:
        refused = _client_record_refused(uow.session, client_id)
    if not refused:
        return None
    return VisitLock(LockReason.READ_ONLY_COPY, CLIENT_SENTENCE, client_record_locked=True)


def _client_record_refused(session: Session, client_id: str) -> bool:
    """Asked of the guard itself: the client's record is read-only when none of their visits is out here."""
    return checked_in_copies(session, set(), {client_id}) is not None
