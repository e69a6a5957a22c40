"""Team mode (issue 16): one PostgreSQL server holds the team's records; each laptop keeps its own
SQLite database and works offline in the home.

- ``connect``: link this laptop's data folder to a server once (the address is kept without its
  password; the password goes to the OS keyring when there is one).
- ``checkout``: before going out, copy visits from the server to the laptop. The server records a
  hold — this laptop, this therapist, since when — and the visit is read-only everywhere else
  (``db/visit_guard.py``). The hold and the copy are made in one server transaction.
- ``checkin``: afterwards, merge the laptop's visits into the server field by field
  (``team_merge``), store their photos and release the holds, all in one server transaction; then
  the laptop keeps a read-only copy of the server's result. Visits created on the laptop since it
  was linked go up too.
- ``release_hold``: a team lead frees a hold that is no longer needed, with a reason; the history
  records who, when and why.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.db.history import acting_as
from homeassess.db.server_url import keyring_name, parse, shown
from homeassess.db.visit_guard import TEAM_DEVICE, held_words
from homeassess.domain.errors import HomeAssessError, NotFoundError
from homeassess.services import team_merge
from homeassess.services.bundles import FieldConflict, ImportConflicts
from homeassess.services.context import AppContext, open_server
from homeassess.services.lookup import get_live
from homeassess.services.settings import _put   # the link's settings are internal: not validated as user settings
from homeassess.services.server_photos import LOCAL_STORE
from homeassess.storage.credentials import available as keyring_available, forget_password, save_password

SERVER, DEVICE, DEVICE_NAME, LINKED_AT = "team.server", "team.device_id", "team.device_name", "team.linked_at"
COPIED = "Team server"   # who the laptop's history says made the rows it copied from the server
LEADS_ROLE = "homeassess_leads"   # PostgreSQL role whose members may release others' holds
Ask = Callable[[str], str | None]


class TeamError(HomeAssessError):
    """A team operation that cannot be done as asked (not linked, held elsewhere, not a lead)."""


@dataclass(frozen=True)
class TeamLink:
    server: str            # without password
    device_id: str
    device_name: str
    linked_at: datetime
    password_saved: bool = False


@dataclass(frozen=True)
class HoldView:
    assessment_id: str
    client_id: str
    client_name: str
    visit_date: date | None
    holder: str
    device_name: str
    since: datetime
    mine: bool = False

    @property
    def words(self) -> str:
        where = f" on {self.device_name}" if self.device_name else ""
        return f"{self.holder or 'another therapist'}{where} since {self.since:%d %b %Y %H:%M} UTC"


@dataclass(frozen=True)
class LocalVisit:
    assessment_id: str
    client_name: str
    visit_date: date
    state: str                 # "out" (held here), "new" (made here, not yet on the server), "in" (read-only copy)
    since: datetime | None
    changes: int               # changes recorded here since it was checked out


@dataclass(frozen=True)
class CheckoutResult:
    assessment_ids: tuple[str, ...]
    client_name: str
    photos: int
    created: int
    updated: int


@dataclass(frozen=True)
class CheckinResult:
    assessment_ids: tuple[str, ...]
    created: int
    updated: int
    removed: int
    photos: int
    notes: tuple[str, ...] = ()   # e.g. a hold that a lead had released meanwhile


@dataclass(frozen=True)
class TeamStatus:
    link: TeamLink | None
    visits: tuple[LocalVisit, ...]
    holds: tuple[HoldView, ...] | None      # None when the server could not be reached
    server_problem: str = ""


class CheckinConflicts(ImportConflicts):
    """Fields changed on this laptop and on the server: "mine" is this laptop's value."""


# -- the link ------------------------------------------------------------------------------------
def _settings(session: Session, *keys: str) -> dict[str, str]:
    return {r.key: r.value for r in session.scalars(select(m.Setting).where(m.Setting.key.in_(keys)))}


def link_of(ctx: AppContext) -> TeamLink | None:
    if ctx.is_server:
        return None
    with ctx.uow(read_only=True) as uow:
        got = _settings(uow.session, SERVER, DEVICE, DEVICE_NAME, LINKED_AT)
    if not got.get(SERVER):
        return None
    return TeamLink(server=got[SERVER], device_id=got.get(DEVICE, ""), device_name=got.get(DEVICE_NAME, ""),
                    linked_at=datetime.fromisoformat(got[LINKED_AT]) if got.get(LINKED_AT) else datetime.min)


def _require_link(ctx: AppContext) -> TeamLink:
    if ctx.is_server:
        raise TeamError(f"This computer is working on the team server {ctx.server} directly: check-out and "
                        "check-in are for a laptop's own data folder.")
    link = link_of(ctx)
    if link is None:
        raise TeamError("This laptop is not linked to a team server: run `homeassess team connect URL` "
                        "(or Settings > Team) first.")
    return link


def connect(ctx: AppContext, url_text: str, *, password: str | None = None) -> TeamLink:
    """Check the server can be used (migrating it if needed) and remember it for this laptop."""
    if ctx.is_server:
        raise TeamError("Link a laptop's own data folder to the server, not a computer already working on it.")
    url = parse(url_text)
    secret = password or url.password
    server = open_server(ctx.data_dir, shown(url), password=secret, registry=ctx.registry, clock=ctx.clock)
    server.close()
    saved = bool(secret) and save_password(keyring_name(url), secret)
    with ctx.uow() as uow:
        session = uow.session
        got = _settings(session, SERVER, DEVICE, DEVICE_NAME)
        if got.get(SERVER) and got[SERVER] != shown(url) and _checked_out(session):
            raise TeamError(f"This laptop still holds visits from {got[SERVER]}: check them in before linking "
                            "it to another server.")
        _put(session, SERVER, shown(url))
        _put(session, DEVICE, got.get(DEVICE) or m.new_id())
        _put(session, DEVICE_NAME, got.get(DEVICE_NAME) or socket.gethostname()[:200])
        if got.get(SERVER) != shown(url):
            _put(session, LINKED_AT, ctx.clock.now().isoformat())
    link = link_of(ctx)
    assert link is not None
    return TeamLink(**{**link.__dict__, "password_saved": saved})


def disconnect(ctx: AppContext) -> None:
    link = _require_link(ctx)
    with ctx.uow() as uow:
        if _checked_out(uow.session):
            raise TeamError("This laptop still holds visits from the team server: check them in first.")
        for key in (SERVER, LINKED_AT):
            row = uow.session.get(m.Setting, key)
            if row is not None:
                uow.session.delete(row)
    forget_password(keyring_name(parse(link.server)))


def keyring_works() -> bool:
    return keyring_available()


def _checked_out(session: Session) -> list[m.TeamCheckout]:
    return list(session.scalars(select(m.TeamCheckout).where(m.TeamCheckout.state == "out")))


@contextmanager
def team_server(ctx: AppContext, *, password: str | None = None) -> Iterator[AppContext]:
    """A context on the linked server (closed afterwards); its photo cache is this laptop's folder."""
    link = _require_link(ctx)
    server = open_server(ctx.data_dir, link.server, password=password, registry=ctx.registry, clock=ctx.clock)
    try:
        yield server
    finally:
        server.close()


# -- check-out -----------------------------------------------------------------------------------
def _therapist(session: Session) -> str:
    row = session.get(m.Setting, "therapist.name")
    return row.value.strip() if row is not None and row.value.strip() else ""


def _name(client: m.Client) -> str:
    return f"{client.given_name} {client.family_name}".strip()


def _with_earlier(session: Session, visits: list[m.Assessment]) -> list[m.Assessment]:
    """The visits and those they follow up (read-only context for a follow-up visit)."""
    out = list(visits)
    for visit in visits:
        current = visit
        while current.previous_assessment_id:
            earlier = session.get(m.Assessment, current.previous_assessment_id)
            if earlier is None or earlier in out:
                break
            out.append(earlier)
            current = earlier
    return out


def _note_hold(session: Session, visit: m.Assessment, old: str, new: str, by: str, at: datetime) -> None:
    """The hold's story in the visit's history (the hold rows themselves are bookkeeping)."""
    session.add(m.Change(at=at, by=by, entity="assessment", entity_id=visit.id, field="hold", action="changed",
                         old=old, new=new, client_id=visit.client_id, assessment_id=visit.id))


def checkout(ctx: AppContext, *, assessment_id: str | None = None, client_id: str | None = None,
             password: str | None = None, resolutions: dict[str, str] | None = None) -> CheckoutResult:
    """Hold the visit (or every visit of the client) for this laptop and copy it here."""
    if (assessment_id is None) == (client_id is None):
        raise ValueError("check out one visit or one client")
    link = _require_link(ctx)
    with ctx.uow(read_only=True) as uow:
        holder = _therapist(uow.session)
    with team_server(ctx, password=password) as server, server.uow() as suow:
        session = suow.session
        session.info[TEAM_DEVICE] = link.device_id
        if assessment_id:
            visits = [get_live(session, m.Assessment, assessment_id, "visit on the team server")]
            client = session.get(m.Client, visits[0].client_id)
        else:
            client = get_live(session, m.Client, client_id or "", "client on the team server")
            visits = list(session.scalars(select(m.Assessment).where(m.Assessment.client_id == client.id,
                                                                     m.Assessment.deleted_at.is_(None))
                                          .order_by(m.Assessment.visit_date)))
            if not visits:
                raise NotFoundError(f"{_name(client)} has no visits on the team server to check out")
        assert client is not None
        refused = [(v, h) for v in visits if (h := session.get(m.VisitHold, v.id)) is not None
                   and h.device_id != link.device_id]
        if refused:
            raise TeamError("; ".join(f"The visit of {v.visit_date:%d %b %Y} is {held_words(h)}" for v, h in refused)
                            + ". Nothing was checked out.")
        now = ctx.clock.now()
        who = holder or "a therapist"
        for visit in visits:
            if session.get(m.VisitHold, visit.id) is None:
                session.add(m.VisitHold(assessment_id=visit.id, client_id=client.id, holder=holder,
                                        device_id=link.device_id, device_name=link.device_name, since=now))
                _note_hold(session, visit, "", f"checked the visit out to the laptop {link.device_name}", who, now)
        session.flush()
        held = {v.id for v in visits}
        data = team_merge.gather(session, client, _with_earlier(session, visits))
        photos = team_merge.server_photo_bytes(session, team_merge.photo_shas(data))
        # Applied here inside the server's transaction: no hold without the copy on the laptop.
        merged = _take_here(ctx, link, data, photos, held, resolutions or {})
        name = _name(client)
    return CheckoutResult(assessment_ids=tuple(sorted(held)), client_name=name, photos=len(photos),
                          created=merged.created, updated=merged.updated)


def _store_photos(ctx: AppContext, photos: dict[str, bytes]) -> None:
    from homeassess.storage.photos import atomic_write

    for sha, data in photos.items():
        target = ctx.photo_store.path_for(sha)
        if not target.exists():
            atomic_write(target, data)


def _take_here(ctx: AppContext, link: TeamLink, data: team_merge.Rows, photos: dict[str, bytes], held: set[str],
               resolutions: dict[str, str]) -> team_merge.MergeResult:
    """Merge the server's rows into this laptop and record what is held here."""
    _store_photos(ctx, photos)
    visit_ids = {v["id"] for v in data["assessment"]}
    client_id = data["client"][0]["id"]
    with ctx.uow() as uow, acting_as(uow.session, COPIED):
        session = uow.session
        session.info[TEAM_DEVICE] = link.device_id
        records = list(session.scalars(select(m.TeamCheckout).where(m.TeamCheckout.client_id == client_id)
                                       .order_by(m.TeamCheckout.checked_out_at)))
        result = team_merge.merge(ctx, session, data, team_merge.bases_of(r.base for r in records), resolutions,
                                  whole_visits={r.assessment_id for r in records if r.state == "in"} & visit_ids)
        if result.conflicts:
            session.rollback()
            raise ImportConflicts(result.conflicts)
        now = ctx.clock.now()
        for visit_id in visit_ids:
            row = session.get(m.TeamCheckout, visit_id)
            state = "out" if visit_id in held else (row.state if row is not None and row.state == "out" else "in")
            if row is None:
                session.add(m.TeamCheckout(assessment_id=visit_id, client_id=client_id, state=state,
                                           checked_out_at=now, base=data))
            else:
                if state == "out" and row.state != "out":
                    row.checked_out_at = now
                row.state, row.base = state, data
    return result


# -- check-in ------------------------------------------------------------------------------------
def _to_check_in(session: Session, link: TeamLink, only: set[str] | None) -> dict[str, list[m.Assessment]]:
    """Client id → visits going up: those held here, and those made here since the link."""
    out_ids = {r.assessment_id for r in _checked_out(session)}
    known = set(session.scalars(select(m.TeamCheckout.assessment_id)))
    made_here = session.scalars(select(m.Assessment).where(m.Assessment.created_at >= link.linked_at))
    visits = [v for v in session.scalars(select(m.Assessment).where(m.Assessment.id.in_(out_ids)))]
    visits += [v for v in made_here if v.id not in known]
    if only is not None:
        visits = [v for v in visits if v.id in only or any(v.id.startswith(p) for p in only if len(p) >= 6)]
    groups: dict[str, list[m.Assessment]] = {}
    for visit in visits:
        groups.setdefault(visit.client_id, []).append(visit)
    return groups


def checkin(ctx: AppContext, *, assessment_ids: list[str] | None = None, password: str | None = None,
            resolutions: dict[str, str] | None = None) -> CheckinResult:
    """Merge this laptop's visits into the server in one transaction and release their holds.
    ``resolutions``: conflict key → "mine" (this laptop's value) or "theirs" (the server's)."""
    link = _require_link(ctx)
    answers = {k: {"mine": "theirs", "theirs": "mine"}[v] for k, v in (resolutions or {}).items()}
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        groups = _to_check_in(session, link, set(assessment_ids) if assessment_ids else None)
        if assessment_ids and not groups:
            raise NotFoundError("none of those visits is checked out to this laptop")
        sent: list[tuple[team_merge.Rows, team_merge.Bases, set[str]]] = []
        for client_id, visits in groups.items():
            client = session.get(m.Client, client_id)
            assert client is not None
            records = list(session.scalars(select(m.TeamCheckout).where(m.TeamCheckout.client_id == client_id)
                                           .order_by(m.TeamCheckout.checked_out_at)))
            sent.append((team_merge.gather(session, client, _with_earlier(session, visits), skip_history_by=COPIED),
                         team_merge.bases_of(r.base for r in records), {v.id for v in visits}))
        who = _therapist(session) or "a therapist"
    if not sent:
        return CheckinResult(assessment_ids=(), created=0, updated=0, removed=0, photos=0)
    total = team_merge.MergeResult()
    notes: list[str] = []
    fresh: list[tuple[team_merge.Rows, set[str]]] = []
    with team_server(ctx, password=password) as server, server.uow() as suow, \
            acting_as(suow.session, f"Check-in from {who} ({link.device_name})"):
        session = suow.session
        session.info[TEAM_DEVICE] = link.device_id
        session.info[LOCAL_STORE] = ctx.photo_store
        now = ctx.clock.now()
        for data, bases, visit_ids in sent:
            for visit_id in sorted(visit_ids):
                hold = session.get(m.VisitHold, visit_id)
                if hold is not None and hold.device_id != link.device_id:
                    raise TeamError(f"A visit on this laptop is now {held_words(hold)}: its hold here was released. "
                                    "Nothing was checked in; your copy is kept. Ask them to check it in, then check "
                                    "in again (or export it as a bundle).")
                if hold is None and visit_id in bases_visits(bases):
                    notes.append(f"The hold on visit {visit_id[:8]} had been released on the server; "
                                 "your changes were merged with the server's.")
            merged = team_merge.merge(server, session, data, bases, answers, whole_visits=visit_ids)
            total.created += merged.created
            total.updated += merged.updated
            total.removed += merged.removed
            total.conflicts += merged.conflicts
        if total.conflicts:
            session.rollback()
            raise CheckinConflicts([_laptop_side(c) for c in total.conflicts])
        for data, _bases, visit_ids in sent:
            for visit_id in sorted(visit_ids):
                visit = session.get(m.Assessment, visit_id)
                hold = session.get(m.VisitHold, visit_id)
                if hold is not None:
                    session.delete(hold)
                if visit is not None:
                    _note_hold(session, visit, f"checked out to {who} on {link.device_name}", "checked the visit in", who,
                               now)
            session.flush()
            client = session.get(m.Client, data["client"][0]["id"])
            assert client is not None
            visits = [v for v in (session.get(m.Assessment, i) for i in visit_ids) if v is not None]
            fresh.append((team_merge.gather(session, client, _with_earlier(session, visits)), visit_ids))
        photos = sum(len(team_merge.photo_shas(d)) for d, _, _ in sent)
    # The server has committed: the laptop keeps the server's result as a read-only copy.
    for data, visit_ids in fresh:
        _keep_copy(ctx, link, data, visit_ids)
    return CheckinResult(assessment_ids=tuple(sorted(i for _, ids, in fresh for i in ids)), created=total.created,
                         updated=total.updated, removed=total.removed, photos=photos, notes=tuple(notes))


def bases_visits(bases: team_merge.Bases) -> set[str]:
    return {key for (table, key) in bases if table == "assessment"}


def _laptop_side(conflict: FieldConflict) -> FieldConflict:
    """A server-side conflict in the laptop's words: "mine" is the laptop's value."""
    return FieldConflict(key=conflict.key, where=conflict.where, label=conflict.label, mine=conflict.theirs,
                         theirs=conflict.mine, mine_changed=conflict.theirs_changed, theirs_changed=conflict.mine_changed)


def _keep_copy(ctx: AppContext, link: TeamLink, data: team_merge.Rows, visit_ids: set[str]) -> None:
    """Replace the laptop's rows with the server's merged result and mark the visits checked in."""
    with ctx.uow() as uow, acting_as(uow.session, COPIED):
        session = uow.session
        session.info[TEAM_DEVICE] = link.device_id
        mine = {(name, team_merge.b._row_key(name, row)): row for name, rows in
                team_merge.gather(session, session.get(m.Client, data["client"][0]["id"]),  # type: ignore[arg-type]
                                  [v for v in (session.get(m.Assessment, i) for i in visit_ids) if v is not None]).items()
                for row in rows}
        # Base = this laptop's own rows: every field the server settled differently is taken.
        team_merge.merge(ctx, session, data, mine, {}, whole_visits=visit_ids)
        now = ctx.clock.now()
        client_id = data["client"][0]["id"]
        for visit in data["assessment"]:
            row = session.get(m.TeamCheckout, visit["id"])
            if row is None:
                session.add(m.TeamCheckout(assessment_id=visit["id"], client_id=client_id, state="in",
                                           checked_out_at=now, checked_in_at=now, base=data))
            else:
                if visit["id"] in visit_ids:
                    row.state, row.checked_in_at = "in", now
                row.base = data


# -- status, holds, team views --------------------------------------------------------------------
def local_visits(ctx: AppContext) -> list[LocalVisit]:
    """Visits held on this laptop, and those made here that the server has not had yet."""
    link = link_of(ctx)
    if link is None:
        return []
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        out = []
        for client_id, visits in _to_check_in(session, link, None).items():
            client = session.get(m.Client, client_id)
            for visit in visits:
                record = session.get(m.TeamCheckout, visit.id)
                since = record.checked_out_at if record is not None else None
                changes = session.scalar(select(func.count()).select_from(m.Change).where(
                    m.Change.assessment_id == visit.id, m.Change.at > (since or link.linked_at),
                    m.Change.by != COPIED)) or 0
                out.append(LocalVisit(assessment_id=visit.id, client_name=_name(client) if client else "",
                                      visit_date=visit.visit_date, state="out" if record is not None else "new",
                                      since=since, changes=changes))
    return sorted(out, key=lambda v: (v.client_name.lower(), v.visit_date))


def holds(server: AppContext, *, device_id: str = "") -> list[HoldView]:
    """Who holds which visit, on the server."""
    with server.uow(read_only=True) as uow:
        rows = uow.session.execute(
            select(m.VisitHold, m.Client, m.Assessment.visit_date)
            .join(m.Assessment, m.Assessment.id == m.VisitHold.assessment_id)
            .join(m.Client, m.Client.id == m.VisitHold.client_id)
            .order_by(m.VisitHold.since)).all()
        return [HoldView(assessment_id=h.assessment_id, client_id=h.client_id, client_name=_name(c), visit_date=d,
                         holder=h.holder, device_name=h.device_name, since=h.since, mine=h.device_id == device_id)
                for h, c, d in rows]


def hold_of(ctx: AppContext, assessment_id: str) -> HoldView | None:
    """On a server: who holds this visit (None when nobody does)."""
    if not ctx.is_server:
        return None
    return next((h for h in holds(ctx) if h.assessment_id == assessment_id), None)


def is_read_only_copy(ctx: AppContext, assessment_id: str) -> bool:
    """On a laptop: the visit is the server's record, checked in, so read-only here."""
    if ctx.is_server:
        return False
    with ctx.uow(read_only=True) as uow:
        row = uow.session.get(m.TeamCheckout, assessment_id)
        return row is not None and row.state == "in"


def status(ctx: AppContext, *, password: str | None = None) -> TeamStatus:
    link = link_of(ctx)
    if link is None:
        return TeamStatus(link=None, visits=(), holds=None)
    visits = tuple(local_visits(ctx))
    try:
        with team_server(ctx, password=password) as server:
            return TeamStatus(link=link, visits=visits, holds=tuple(holds(server, device_id=link.device_id)))
    except HomeAssessError as exc:
        return TeamStatus(link=link, visits=visits, holds=None, server_problem=str(exc))


def is_lead(server: AppContext) -> bool:
    """Members of the PostgreSQL role ``homeassess_leads`` (and superusers) are team leads. Where the
    role has not been created, every user of the server may release a hold (it is still recorded)."""
    with server.uow(read_only=True) as uow:
        conn = uow.session.connection()
        superuser = conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar()
        exists = conn.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{LEADS_ROLE}'").scalar()
        if superuser or not exists:
            return True
        return bool(conn.exec_driver_sql(f"SELECT pg_has_role(current_user, '{LEADS_ROLE}', 'member')").scalar())


def release_hold(server: AppContext, assessment_id: str, *, reason: str, by: str) -> HoldView:
    """Free a visit held by a laptop that will not check it in (lost, broken, its therapist away)."""
    reason, by = " ".join(reason.split()), " ".join(by.split())
    if len(reason) < 5:
        raise TeamError("Say why the hold is released (at least a few words): it goes in the visit's history.")
    if not by:
        raise TeamError("Say who is releasing the hold (your name): it goes in the visit's history.")
    if not is_lead(server):
        raise TeamError(f"Only a team lead (a member of the server's {LEADS_ROLE} role) can release another "
                        "therapist's hold.")
    with server.uow() as uow:
        session = uow.session
        visit = get_live(session, m.Assessment, assessment_id, "visit on the team server")
        hold = session.get(m.VisitHold, visit.id)
        if hold is None:
            raise NotFoundError("that visit is not checked out to anyone")
        view = HoldView(assessment_id=visit.id, client_id=hold.client_id, client_name="", visit_date=visit.visit_date,
                        holder=hold.holder, device_name=hold.device_name, since=hold.since)
        session.delete(hold)
        _note_hold(session, visit, f"checked out to {hold.holder or 'a therapist'} on {hold.device_name}",
                   f"released the hold of {hold.holder or 'another therapist'} ({hold.device_name}) on the visit: "
                   f"{reason[:500]}", by[:200], server.clock.now())
    return view


@dataclass(frozen=True)
class CaseloadRow:
    client_id: str
    client_name: str
    visits: int
    last_visit: date | None
    therapists: str
    open_recommendations: int
    held_by: str


def caseload(server: AppContext, *, limit: int = 500, offset: int = 0) -> list[CaseloadRow]:
    """The team's clients with their visits, open recommendations and holds (a page at a time)."""
    with server.uow(read_only=True) as uow:
        session = uow.session
        clients = list(session.scalars(select(m.Client).where(m.Client.deleted_at.is_(None))
                                       .order_by(func.lower(m.Client.family_name), func.lower(m.Client.given_name),
                                                 m.Client.id).limit(limit).offset(offset)))
        ids = [c.id for c in clients]
        visits: dict[str, list[m.Assessment]] = {}
        for visit in session.scalars(select(m.Assessment).where(m.Assessment.client_id.in_(ids),
                                                                m.Assessment.deleted_at.is_(None))):
            visits.setdefault(visit.client_id, []).append(visit)
        open_recs = dict(session.execute(
            select(m.Assessment.client_id, func.count(m.Recommendation.id))
            .join(m.Recommendation, m.Recommendation.assessment_id == m.Assessment.id)
            .where(m.Assessment.client_id.in_(ids), m.Recommendation.deleted_at.is_(None),
                   m.Recommendation.status.in_(("agreed", "ordered")))
            .group_by(m.Assessment.client_id)).all())
        held: dict[str, str] = {}
        for hold in session.scalars(select(m.VisitHold).where(m.VisitHold.client_id.in_(ids))):
            held[hold.client_id] = hold.holder or hold.device_name
        return [CaseloadRow(client_id=c.id, client_name=_name(c), visits=len(visits.get(c.id, [])),
                            last_visit=max((v.visit_date for v in visits.get(c.id, [])), default=None),
                            therapists=", ".join(sorted({v.therapist_name for v in visits.get(c.id, [])
                                                         if v.therapist_name})),
                            open_recommendations=int(open_recs.get(c.id, 0)), held_by=held.get(c.id, ""))
                for c in clients]



@dataclass(frozen=True)
class ServerVisit:
    assessment_id: str
    client_id: str
    client_name: str
    visit_date: date
    kind: str
    status: str
    therapist: str
    held: str            # "" when free, else HoldView.words
    held_here: bool


def server_visits(server: AppContext, *, search: str = "", device_id: str = "", limit: int = 200) -> list[ServerVisit]:
    """Visits on the server for the check-out picker: newest first, filtered by client name words."""
    from homeassess.services.clients import list_clients

    with server.uow(read_only=True) as uow:
        session = uow.session
        query = (select(m.Assessment, m.Client).join(m.Client, m.Client.id == m.Assessment.client_id)
                 .where(m.Assessment.deleted_at.is_(None), m.Client.deleted_at.is_(None)))
        if search.strip():
            ids = [c.id for c in list_clients(server, search)][:limit]
            query = query.where(m.Client.id.in_(ids))
        rows = session.execute(query.order_by(m.Assessment.visit_date.desc(), m.Assessment.id).limit(limit)).all()
        held = {h.assessment_id: h for h in session.scalars(
            select(m.VisitHold).where(m.VisitHold.assessment_id.in_([a.id for a, _ in rows])))}
        out = []
        for visit, client in rows:
            hold = held.get(visit.id)
            words = HoldView(visit.id, client.id, "", None, hold.holder, hold.device_name, hold.since).words \
                if hold is not None else ""
            out.append(ServerVisit(assessment_id=visit.id, client_id=client.id, client_name=_name(client),
                                   visit_date=visit.visit_date, kind=visit.kind, status=visit.status,
                                   therapist=visit.therapist_name, held=words,
                                   held_here=hold is not None and hold.device_id == device_id))
        return out


def server_address(text: str) -> str:
    """A typed server address as it is shown and kept: checked, without its password (ServerUrlError)."""
    return shown(parse(text))
