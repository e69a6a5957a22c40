"""The history of changes, captured in one place: a session event, not a line in every service.

``install`` registers ``after_flush`` on the session factory (``db/engine.py``). After each flush the
session still holds the pre-flush state: which rows were new, changed or deleted, and each changed
column's attribute history (old → new). One ``change`` row is written per changed column, or one per
row created or deleted (with a compact JSON snapshot of its fields), by a single INSERT on the flush's
own connection, so history commits or rolls back with the change it describes.

Who: ``session.info["by"]`` when set (``acting_as``; the engine re-deriving findings and suggestions
is ``ENGINE``), else the therapist's name from Settings, read once per unit of work.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, insert, inspect, select
from sqlalchemy.orm import InstanceState, Mapper, Session, sessionmaker
from sqlalchemy.orm.util import identity_key

from homeassess.db import models as m

ENGINE = "HomeAssess"            # who re-derived a finding or a suggested recommendation
BY = "by"                        # session.info key: who makes the changes of this session
CREATED, CHANGED, DELETED = "created", "changed", "deleted"
# Bookkeeping, link rows the engine keeps in step, reference data (catalogue imports run to hundreds of
# rows) and the erasure log (never what was erased) are not part of a client's story.
SKIPPED_TABLES = frozenset({"change", "sync_base", "recommendation_finding", "catalogue_item", "erasure",
                            "visit_hold", "team_checkout", "photo_file"})   # team bookkeeping: its story is told as "hold"
# Columns every write touches; what they say is already in the change row itself.
NOISE = frozenset({"updated_at", "version", "created_at", "status_changed_at", "started_at"})
INTERNAL_SETTINGS = ("archived.", "app.")   # archived marks, last and recent visits: ids only
MAX_TEXT = 1000
_SCOPE, _WHO = "history.scope", "history.who"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def install(factory: sessionmaker[Session], now: Callable[[], datetime] = utc_now) -> None:
    """Record every flush of the factory's sessions in the ``change`` table."""
    clock = _Ordered(now)

    def after_flush(session: Session, _flush_context: Any) -> None:
        rows = changes_of(session)
        if rows:
            if not clock.seeded:   # go on from the newest recorded time (another run, a copied folder)
                clock.seed(session.connection().execute(select(func.max(m.Change.at))).scalar())
            for row in rows:
                row.update(id=m.new_id(), at=clock.next())
            session.connection().execute(insert(m.Change.__table__), rows)

    event.listen(factory, "after_flush", after_flush)


class _Ordered:
    """Times that only go forward (by a microsecond when the clock has not moved, or is pinned), so
    "newest first" is an ORDER BY on the time alone, on SQLite and PostgreSQL alike."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now, self._last, self._lock = now, datetime.min, threading.Lock()
        self.seeded = False

    def seed(self, latest: datetime | None) -> None:
        with self._lock:
            if latest is not None and latest > self._last:
                self._last = latest
            self.seeded = True

    def next(self) -> datetime:
        with self._lock:
            self._last = max(self._now(), self._last + timedelta(microseconds=1))
            return self._last


@contextmanager
def acting_as(session: Session, who: str) -> Iterator[None]:
    """Changes flushed inside the block are attributed to ``who``; pending ones are flushed first, so
    they keep their own author."""
    session.flush()
    before = session.info.get(BY)
    session.info[BY] = who
    try:
        yield
        session.flush()
    finally:
        if before is None:
            session.info.pop(BY, None)
        else:
            session.info[BY] = before


def changes_of(session: Session) -> list[dict[str, Any]]:
    """The change rows (without id and time) for what this flush wrote."""
    rows: list[dict[str, Any]] = []
    for objects, action in ((session.new, CREATED), (session.dirty, CHANGED), (session.deleted, DELETED)):
        for obj in objects:
            state = inspect(obj)
            table = state.mapper.local_table.name
            if table in SKIPPED_TABLES or _internal(table, state):
                continue
            fields = _changed_fields(state) if action == CHANGED else [("", *_snapshot(state, action))]
            if not fields:
                continue
            client_id, assessment_id = _scope(session, table, state.dict)
            base = dict(by=_who(session), entity=table, entity_id=_entity_id(state), action=action,
                        client_id=client_id, assessment_id=assessment_id)
            rows += [dict(base, field=name, old=old, new=new) for name, old, new in fields]
    return rows


# -- values ------------------------------------------------------------------------------------
def render(value: Any) -> str:
    """A value as short JSON-safe text: strings as they are, dates ISO, numbers as given, JSON compact."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _short(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return _dumps(value)


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _plain(value: Any) -> Any:
    """A value for a JSON snapshot: JSON types as they are, the rest as ``render`` gives them."""
    if isinstance(value, str):
        return _short(value)
    return value if isinstance(value, (bool, int, float, list, dict)) else render(value)


# -- what changed -------------------------------------------------------------------------------
_COLUMNS: dict[Mapper[Any], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _columns(mapper: Mapper[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(recorded column attributes, primary-key attributes) of a mapper, worked out once."""
    if mapper not in _COLUMNS:
        keys = tuple(mapper.get_property_by_column(c).key for c in mapper.primary_key)
        _COLUMNS[mapper] = (tuple(a.key for a in mapper.column_attrs if a.key not in NOISE and a.key not in keys),
                            keys)
    return _COLUMNS[mapper]


_RECORDED: dict[Mapper[Any], frozenset[str]] = {}


def _recorded(mapper: Mapper[Any]) -> frozenset[str]:
    if mapper not in _RECORDED:
        _RECORDED[mapper] = frozenset(_columns(mapper)[0])
    return _RECORDED[mapper]


def _changed_fields(state: InstanceState[Any]) -> list[tuple[str, str, str]]:
    recorded, values = _recorded(state.mapper), state.dict
    out = []
    for key, before in list(state.committed_state.items()):
        if key not in recorded or before is values.get(key) or before == values.get(key):
            continue   # set again to what it was (the engine re-derives every field): cheap to rule out
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            out.append((key, render(old), render(new)))
    return out


def _snapshot(state: InstanceState[Any], action: str) -> tuple[str, str]:
    """(old, new) of a row created (new: its fields) or deleted (old: its fields)."""
    values = {k: _plain(state.dict[k]) for k in _columns(state.mapper)[0]
              if k in state.dict and state.dict[k] not in (None, "", [], {})}
    text = _dumps(values)
    return ("", text) if action == CREATED else (text, "")


def _entity_id(state: InstanceState[Any]) -> str:
    return "/".join(str(state.dict.get(k, "")) for k in _columns(state.mapper)[1])


def _internal(table: str, state: InstanceState[Any]) -> bool:
    return table == "setting" and str(state.dict.get("key", "")).startswith(INTERNAL_SETTINGS)


# -- who and whose -----------------------------------------------------------------------------
def _who(session: Session) -> str:
    if session.info.get(BY) is not None:
        return str(session.info[BY])
    if _WHO not in session.info:
        name = session.connection().execute(
            select(m.Setting.value).where(m.Setting.key == "therapist.name")).scalar()
        session.info[_WHO] = name or ""
    return str(session.info[_WHO])


def _scope(session: Session, table: str, values: dict[str, Any]) -> tuple[str | None, str | None]:
    """(client id, visit id) a row belongs to, for the client's and the visit's history."""
    if table == "client":
        return values.get("id"), None
    if table == "goal":
        return values.get("client_id"), None
    if table == "assessment":
        return values.get("client_id"), values.get("id")
    visit = values.get("assessment_id")
    if visit is None and values.get("room_id"):
        visit = _parent(session, m.Room, values["room_id"], "assessment_id")
    if visit is None and values.get("recommendation_id"):
        visit = _parent(session, m.Recommendation, values["recommendation_id"], "assessment_id")
    if visit is None and values.get("goal_id"):
        return _parent(session, m.Goal, values["goal_id"], "client_id"), None
    return (_parent(session, m.Assessment, visit, "client_id") if visit else None), visit


def _parent(session: Session, model: type[m.Base], row_id: str, column: str) -> str | None:
    """One column of a row, from the session when it holds the row, else one query (then remembered)."""
    cache = session.info.setdefault(_SCOPE, {})
    key = (model.__tablename__, row_id, column)
    if key not in cache:
        held = session.identity_map.get(identity_key(model, row_id))
        value = inspect(held).dict.get(column) if held is not None else None
        if value is None:
            value = session.connection().execute(
                select(getattr(model, column)).where(model.id == row_id)).scalar()   # type: ignore[attr-defined]
        cache[key] = value
    return cache[key]
