"""Field-by-field three-way merge of visit records between a laptop and the team server.

Both directions use it: check-out merges the server's rows into the laptop, check-in merges the
laptop's into the server. Rows travel in the visit-bundle data format (services/bundles.py). The
base is what the rows looked like when they last left the server (kept with the check-out), so each
field is decided on its own:
- the same on both sides, or changed only here: kept;
- changed only on the other side: taken;
- changed on both sides to different values: a conflict the therapist resolves (keep mine / keep
  theirs), reported with the same FieldConflict as a bundle import; nothing is applied until every
  conflict has an answer.
A row of a held visit that the base had and the other side no longer has was removed there (the
links the engine keeps between findings and suggestions): it is removed here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.services import bundles as b
from homeassess.services.context import AppContext

Rows = dict[str, list[dict[str, Any]]]
Bases = dict[tuple[str, str], dict[str, Any]]
_MISSING = object()
# Rows shared beyond one visit, never removed because a visit's copy lacks them.
SHARED = frozenset({"catalogue_item", "client", "goal", "change"})


@dataclass
class MergeResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    conflicts: list[b.FieldConflict] = field(default_factory=list)


def gather(session: Session, client: m.Client, visits: list[m.Assessment], *, skip_history_by: str = "") -> Rows:
    """The visits' records (and their client's) as bundle data; without the history rows written by
    ``skip_history_by`` (a laptop's record of copying the server's rows is no news to the server)."""
    rows = b._gather(session, client, visits)
    data = {name: [b._row_dict(r) for r in rows[name]] for name in b.TABLES}
    if skip_history_by:
        data["change"] = [c for c in data["change"] if c["by"] != skip_history_by]
    return data


def bases_of(snapshots: Iterable[Rows]) -> Bases:
    """Each row's base from the snapshots kept with check-outs (later snapshots win)."""
    out: Bases = {}
    for snapshot in snapshots:
        for name, rows in (snapshot or {}).items():
            if name in b.TABLES and name not in b.APPEND_ONLY:
                for row in rows:
                    out[(name, b._row_key(name, row))] = row
    return out


def merge(ctx: AppContext, session: Session, incoming: Rows, bases: Bases, resolutions: dict[str, str], *,
          whole_visits: set[str]) -> MergeResult:
    """Merge ``incoming`` into the rows of ``session`` (see the module docstring). ``whole_visits``:
    visits whose rows ``incoming`` holds in full, so a row missing from it was removed there."""
    decoded = b._decode_rows(incoming)
    result = MergeResult()
    for name in b.TABLES:
        model = b._model(name)
        for raw, values in zip(incoming[name], decoded[name], strict=True):
            key = b._row_key(name, raw)
            ident = (values["recommendation_id"], values["finding_id"]) if name == "recommendation_finding" \
                else values["id"]
            mine = session.get(model, ident)
            if mine is None:
                session.add(model(**values))
                session.flush()
                result.created += name not in b.APPEND_ONLY   # history rows are not records
                continue
            if name in b.APPEND_ONLY:
                continue
            if _merge_row(ctx, session, name, key, raw, values, mine, bases.get((name, key)), resolutions,
                          incoming, result):
                result.updated += 1
    _remove_missing(session, incoming, bases, whole_visits, result)
    return result


def _merge_row(ctx: AppContext, session: Session, name: str, key: str, raw: dict[str, Any], values: dict[str, Any],
               mine: Any, base: dict[str, Any] | None, resolutions: dict[str, str], incoming: Rows,
               result: MergeResult) -> bool:
    mine_raw = b._row_dict(mine)
    changed = False
    for column, value in values.items():
        if column in b.NOT_COMPARED:
            continue
        here, there = mine_raw.get(column), raw.get(column)
        if here == there:
            continue
        was = base.get(column, _MISSING) if base is not None else _MISSING
        if there == was:
            continue                      # changed only here
        if here != was:                   # changed on both sides
            conflict_key = f"{name}:{key}:{column}"
            choice = resolutions.get(conflict_key)
            if choice == "mine":
                continue
            if choice != "theirs":
                result.conflicts.append(b.FieldConflict(
                    key=conflict_key, where=b._where(session, name, raw), label=b._label(ctx, session, name, raw, column),
                    mine=b._shown(here), theirs=b._shown(there),
                    mine_changed=b._last_change_here(session, name, key, column),
                    theirs_changed=b._last_change_in(incoming["change"], name, key, column)))
                continue
        setattr(mine, column, value)
        changed = True
    return changed


def _remove_missing(session: Session, incoming: Rows, bases: Bases, whole_visits: set[str],
                    result: MergeResult) -> None:
    if not whole_visits:
        return
    present = {(name, b._row_key(name, row)) for name, rows in incoming.items() for row in rows}
    rooms = {r["id"]: r["assessment_id"] for r in [*incoming["room"], *(v for (t, _), v in bases.items() if t == "room")]}
    recs = {r["id"]: r["assessment_id"] for r in [*incoming["recommendation"],
                                                   *(v for (t, _), v in bases.items() if t == "recommendation")]}
    for name in reversed(b.TABLES):   # children first
        if name in SHARED:
            continue
        for (table, key), row in bases.items():
            if table != name or (table, key) in present:
                continue
            if b._visit_of(name, row, rooms, recs) not in whole_visits:
                continue
            model = b._model(name)
            ident = tuple(key.split("/")) if name == "recommendation_finding" else key
            gone = session.get(model, ident)
            if gone is not None:
                session.delete(gone)
                result.removed += 1
    session.flush()


def photo_shas(rows: Rows) -> set[str]:
    return {p["sha256"] for p in rows["photo"]}


def server_photo_bytes(session: Session, shas: set[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    return {sha: bytes(data) for sha, data in session.execute(
        select(m.PhotoFile.sha256, m.PhotoFile.data).where(m.PhotoFile.sha256.in_(shas)))}
