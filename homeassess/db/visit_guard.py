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
                    "catalogue_item", "erasure"})
CLIENT_TABLES = frozenset({"client", "goal"})   # the client's own record, shared by all their visits

Refusal = Callable[[Session, set[str], set[str]], str | None]


def touched(session: Session) -> tuple[set[str], set[str]]:
    """(visits, clients whose own record) this flush changes."""
    visits: set[str] = set()
    clients: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        state = inspect(obj)
        table = state.mapper.local_table.name
        if table in EXEMPT:
            continue
        client, visit = _scope(session, table, state.dict)
        if table in CLIENT_TABLES:
            if client:
                clients.add(client)
        elif visit:
            visits.add(visit)
    return visits, clients


def install(factory: sessionmaker[Session], refusal: Refusal) -> None:
    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        visits, clients = touched(session)
        if (visits or clients) and (reason := refusal(session, visits, clients)) is not None:
            raise ConflictError(reason)

    event.listen(factory, "before_flush", before_flush)


def held_words(hold: m.VisitHold) -> str:
    where = f" on {hold.device_name}" if hold.device_name else ""
    return f"checked out to {hold.holder or 'another therapist'}{where} since {hold.since:%d %b %Y %H:%M} (UTC)"


def server_holds(session: Session, visits: set[str], _clients: set[str]) -> str | None:
    """The client's own record stays editable in the office while a visit is out: check-in merges
    it field by field."""
    if not visits:
        return None
    mine = session.info.get(TEAM_DEVICE)
    hold = session.scalars(select(m.VisitHold).where(m.VisitHold.assessment_id.in_(visits),
                                                     m.VisitHold.device_id != (mine or ""))).first()
    if hold is None:
        return None
    return (f"This visit is {held_words(hold)}, so it is read-only here until it is checked in. "
            "A team lead can release a hold that is no longer needed (Team > Holds).")


def checked_in_copies(session: Session, visits: set[str], clients: set[str]) -> str | None:
    """A visit checked back in is the server's record. So is the client's own record when none of
    their visits is held here: an edit would never reach the server, so it is refused, not kept."""
    if session.info.get(TEAM_DEVICE):
        return None   # the check-out or check-in itself refreshing the copy
    if visits and session.scalars(select(m.TeamCheckout).where(m.TeamCheckout.assessment_id.in_(visits),
                                                               m.TeamCheckout.state == "in")).first() is not None:
        return ("This visit is a copy of the team server's record and is read-only on this laptop. "
                "Check it out (File > Team) to change it.")
    if clients:
        states = set(session.scalars(select(m.TeamCheckout.state).where(m.TeamCheckout.client_id.in_(clients))))
        if states and "out" not in states:
            return ("This client's details are the team server's record and are read-only on this laptop while "
                    "none of their visits is checked out here. Check a visit out (File > Team) to change them.")
    return None
