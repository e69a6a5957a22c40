"""Read-only visits, enforced where every write passes: the flush.

On a team server a visit checked out to a laptop may be changed only by that laptop's check-in
(``session.info[TEAM_DEVICE]`` names the laptop). On a laptop, a visit checked back in is kept as
a read-only copy until it is checked out again. Both are one small indexed query per flush that
touches a visit, so no service, screen or command can get round them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from homeassess.db import models as m
from homeassess.db.history import _scope   # the same "which visit is this row part of" as the history
from homeassess.domain.errors import ConflictError

TEAM_DEVICE = "team.device"   # session.info: the laptop whose check-out or check-in this session applies
# The hold and check-out bookkeeping itself, and tables that belong to no visit.
EXEMPT = frozenset({"visit_hold", "team_checkout", "photo_file", "change", "sync_base", "setting",
                    "catalogue_item", "erasure", "client", "goal"})

Refusal = Callable[[Session, set[str]], str | None]


def touched_visits(session: Session) -> set[str]:
    visits: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        state = inspect(obj)
        table = state.mapper.local_table.name
        if table in EXEMPT:
            continue
        visit = _scope(session, table, state.dict)[1]
        if visit:
            visits.add(visit)
    return visits


def install(factory: sessionmaker[Session], refusal: Refusal) -> None:
    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        visits = touched_visits(session)
        if visits and (reason := refusal(session, visits)) is not None:
            raise ConflictError(reason)

    event.listen(factory, "before_flush", before_flush)


def held_words(hold: m.VisitHold) -> str:
    where = f" on {hold.device_name}" if hold.device_name else ""
    return f"checked out to {hold.holder or 'another therapist'}{where} since {hold.since:%d %b %Y %H:%M} (UTC)"


def server_holds(session: Session, visits: set[str]) -> str | None:
    mine = session.info.get(TEAM_DEVICE)
    hold = session.scalars(select(m.VisitHold).where(m.VisitHold.assessment_id.in_(visits),
                                                     m.VisitHold.device_id != (mine or ""))).first()
    if hold is None:
        return None
    return (f"This visit is {held_words(hold)}, so it is read-only here until it is checked in. "
            "A team lead can release a hold that is no longer needed (Team > Holds).")


def checked_in_copies(session: Session, visits: set[str]) -> str | None:
    if session.info.get(TEAM_DEVICE):
        return None   # the check-out or check-in itself refreshing the copy
    row = session.scalars(select(m.TeamCheckout).where(m.TeamCheckout.assessment_id.in_(visits),
                                                       m.TeamCheckout.state == "in")).first()
    if row is None:
        return None
    return ("This visit is a copy of the team server's record and is read-only on this laptop. "
            "Check it out (Team > Check out) to change it.")
