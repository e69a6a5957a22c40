"""Moving a visit (or a client with every visit) between installations as one ``.homeassess`` file.

Export gathers every row that belongs to the visit — client, goals and scores, the visit and the
visits it follows up, rooms, answers, findings, photos (rows and files), recommendations with their
options, steps, order lines and outcomes, consent, sign-off, addenda, the catalogue products chosen
— as JSON, with the checklist definitions the visits are pinned to.

Import checks the whole bundle before the database is touched (``storage/bundle_format.py`` for the
file; here the data: known tables and columns only, values of the right type, unique ids, every
reference resolvable, every photo present and matching its hash, checklists valid), then applies it
in one transaction:
- a row not here is added; a row equal to ours is left alone, so a second import changes nothing;
- a row that differs: if only one side changed it since the two copies last met (the sync base
  recorded at each export and import), that side's version holds; if both changed it, each
  differing field is a conflict the therapist resolves (keep mine / keep theirs): clinical fields
  are never merged automatically;
- a visit signed off here only gains addenda.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, Table, select
from sqlalchemy.orm import Session

from homeassess import __version__
from homeassess.db import models as m
from homeassess.db.history import acting_as
from homeassess.domain.errors import ConflictError, NotFoundError
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.storage.bundle_format import DATA, SUFFIX, BundleError, PassphraseError, is_encrypted, pack, \
    sha256, unpack

__all__ = ["BundleError", "ExportResult", "FieldConflict", "ImportConflicts", "ImportResult", "PassphraseError",
           "export_bundle", "import_bundle", "is_encrypted"]

Progress = Callable[[float, str], None]
MIN_PASSPHRASE = 8   # the export dialog says the same (ui/screens/bundle_dialogs.py)

# The tables a bundle carries, parents before children (the order rows are inserted in).
TABLES = ("catalogue_item", "client", "goal", "assessment", "goal_score", "room", "visit_consent", "answer",
          "finding", "not_assessed", "recommendation", "recommendation_finding", "recommendation_event",
          "finding_outcome", "photo", "addendum", "change")
# Append-only: a row is added if new and never compared (the history of changes travels as it is).
APPEND_ONLY = frozenset({"change"})
# Fields a person wrote about the client's health and home: never taken from either side silently.
NOT_COMPARED = frozenset({"version", "updated_at"})


@dataclass(frozen=True)
class ExportResult:
    path: Path
    clients: int
    visits: int
    photos: int
    size_bytes: int
    encrypted: bool


@dataclass(frozen=True)
class FieldConflict:
    key: str            # "table:id:field", what resolutions are keyed by
    where: str          # plain words: "Home visit 2 Dec 2026 — Bathroom"
    label: str          # plain words: the field or question
    mine: str
    theirs: str
    mine_changed: str = ""
    theirs_changed: str = ""


class ImportConflicts(ConflictError):
    def __init__(self, conflicts: list[FieldConflict]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} field(s) were changed both here and in the bundle: choose which to keep.")


@dataclass(frozen=True)
class ImportResult:
    clients: int
    visits: int
    photos: int
    created: int
    updated: int
    unchanged: bool
    assessment_ids: tuple[str, ...] = ()


# -- rows as JSON ------------------------------------------------------------------------------
def _table(name: str) -> Table:
    return m.Base.metadata.tables[name]


def _encode(value: Any, kind: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(kind, (DateTime, Date)):
        return value.isoformat()
    return value


def _decode(value: Any, column: Any, where: str) -> Any:
    """A JSON value back into the column's type; BundleError when it is not one."""
    if value is None:
        if not column.nullable and not column.primary_key and column.default is None \
                and column.server_default is None:
            raise BundleError(f"{where}: {column.name} is missing")
        return None
    kind = column.type
    try:
        if isinstance(kind, LargeBinary):
            return base64.b64decode(value, validate=True)
        if isinstance(kind, DateTime):
            return datetime.fromisoformat(value)
        if isinstance(kind, Date):
            return date.fromisoformat(value)
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if isinstance(kind, Float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
                    or value in (float("inf"), float("-inf")):
                raise TypeError
            return float(value)
        if isinstance(kind, JSON):
            return value
        if not isinstance(value, str):
            raise TypeError
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            raise ValueError
        return value
    except (TypeError, ValueError, AttributeError):
        raise BundleError(f"{where}: {column.name} holds a value of the wrong kind") from None


def _row_dict(row: Any) -> dict[str, Any]:
    table = row.__table__
    # Model attributes are named after their columns.
    return {c.name: _encode(getattr(row, c.name), c.type) for c in table.columns}


def _canonical(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps({k: v for k, v in sorted(values.items()) if k not in NOT_COMPARED},
                                     sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# -- export ------------------------------------------------------------------------------------
def _visits_in_scope(session: Session, assessment_id: str | None, client_id: str | None) -> tuple[m.Client, list[m.Assessment]]:
    if assessment_id:
        visit = session.get(m.Assessment, assessment_id)
        if visit is None or visit.deleted_at is not None:
            raise NotFoundError(f"no visit {assessment_id}")
        visits = [visit]
        while visits[-1].previous_assessment_id:   # a follow-up travels with the visits it reviews
            earlier = session.get(m.Assessment, visits[-1].previous_assessment_id)
            if earlier is None or earlier in visits:
                break
            visits.append(earlier)
        client = session.get(m.Client, visit.client_id)
    else:
        client = session.get(m.Client, client_id)
        if client is None or client.deleted_at is not None:
            raise NotFoundError(f"no client {client_id}")
        visits = list(session.scalars(select(m.Assessment).where(m.Assessment.client_id == client.id)))
    return client, visits


def _gather(session: Session, client: m.Client, visits: list[m.Assessment]) -> dict[str, list[Any]]:
    ids = [v.id for v in visits]
    rows: dict[str, list[Any]] = {name: [] for name in TABLES}
    rows["client"] = [client]
    rows["goal"] = list(session.scalars(select(m.Goal).where(m.Goal.client_id == client.id)))
    rows["assessment"] = sorted(visits, key=lambda v: (v.visit_date, v.id))
    for name, model in (("goal_score", m.GoalScore), ("room", m.Room), ("visit_consent", m.VisitConsent),
                        ("finding", m.Finding), ("not_assessed", m.NotAssessed), ("recommendation", m.Recommendation),
                        ("finding_outcome", m.FindingOutcome), ("photo", m.Photo), ("addendum", m.Addendum)):
        rows[name] = list(session.scalars(select(model).where(model.assessment_id.in_(ids))))
    room_ids = [r.id for r in rows["room"]]
    rec_ids = [r.id for r in rows["recommendation"]]
    rows["answer"] = list(session.scalars(select(m.Answer).where(m.Answer.room_id.in_(room_ids))))
    rows["recommendation_finding"] = list(session.scalars(
        select(m.RecommendationFinding).where(m.RecommendationFinding.recommendation_id.in_(rec_ids))))
    rows["recommendation_event"] = list(session.scalars(
        select(m.RecommendationEvent).where(m.RecommendationEvent.recommendation_id.in_(rec_ids))))
    products = {r.catalogue_item_id for r in rows["recommendation"] if r.catalogue_item_id}
    items = list(session.scalars(select(m.CatalogueItem).where(m.CatalogueItem.id.in_(products))))
    generics = {i.generic_id for i in items if i.generic_id} - products
    items += list(session.scalars(select(m.CatalogueItem).where(m.CatalogueItem.id.in_(generics))))
    rows["catalogue_item"] = sorted(items, key=lambda i: i.generic_id is not None)   # generics first
    rows["change"] = list(session.scalars(
        select(m.Change).where(m.Change.client_id == client.id,
                               (m.Change.assessment_id.is_(None)) | m.Change.assessment_id.in_(ids))
        .order_by(m.Change.at)))
    return rows


def _checklist_sources(ctx: AppContext, pins: Iterable[dict[str, Any] | None]) -> dict[str, bytes]:
    """The definition files of the checklist versions the visits are pinned to."""
    from homeassess.checklists.registry import shipped_paths

    wanted = {(room_type, int(version)) for pin in pins for room_type, version in (pin or {}).items()}
    found = {}
    for path in [*shipped_paths()[0], *sorted((ctx.data_dir / "checklists").glob("*.toml"))]:
        stem = path.name.removesuffix(".toml")
        room_type, _, version = stem.rpartition(".v")
        if version.isdigit() and (room_type, int(version)) in wanted:
            found[f"checklists/{path.name}"] = path.read_bytes()
    return found


def _therapist(session: Session) -> str:
    row = session.get(m.Setting, "therapist.name")
    return row.value if row is not None else ""


def export_bundle(ctx: AppContext, out: Path, *, assessment_id: str | None = None, client_id: str | None = None,
                  passphrase: str | None = None, progress: Progress | None = None,
                  cancel: threading.Event | None = None) -> ExportResult:
    """Write the visit (or the client with every visit) to ``out``; encrypted when a passphrase is given."""
    from homeassess.db.migrate import head_revision
    from homeassess.services.lookup import get_live
    from homeassess.services.reports import write_atomically

    report = progress or (lambda *_: None)
    if (assessment_id is None) == (client_id is None):
        raise ValueError("export one visit or one client")
    if out.suffix != SUFFIX:
        raise BundleError(f"a bundle's name ends in {SUFFIX} ({out.name} does not)")
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise BundleError(f"a passphrase needs at least {MIN_PASSPHRASE} characters")
    report(0.05, "Collecting the visit")
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        if assessment_id:
            assessment_id = get_live(session, m.Assessment, assessment_id, "visit").id
        else:
            client_id = get_live(session, m.Client, client_id or "", "client").id
        client, visits = _visits_in_scope(session, assessment_id, client_id)
        rows = _gather(session, client, visits)
        data = {name: [_row_dict(r) for r in rows[name]] for name in TABLES}
        created_by = _therapist(session)
        client_key = client.id
    entries: dict[str, bytes] = {DATA: json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()}
    shas = sorted({p["sha256"] for p in data["photo"]})
    for n, sha in enumerate(shas):
        if cancel is not None and cancel.is_set():
            raise InterruptedError("export cancelled")
        try:
            entries[f"photos/{sha}.jpg"] = ctx.photo_store.existing(sha).read_bytes()
        except OSError as exc:
            raise BundleError(f"a photo of this visit is missing from the photo folder ({sha[:12]}): "
                              f"run `homeassess check` ({exc.strerror or exc})") from exc
        report(0.1 + 0.6 * (n + 1) / max(len(shas), 1), "Adding photos")
    entries.update(_checklist_sources(ctx, [v["checklist_versions"] for v in data["assessment"]]))
    manifest = {"app_version": __version__, "schema_revision": head_revision(),
                "created_at": ctx.clock.now().isoformat(timespec="seconds"), "created_by": created_by,
                "scope": {"client_id": client_key, "assessment_ids": [v["id"] for v in data["assessment"]]}}
    report(0.75, "Encrypting" if passphrase else "Packing")
    packed = pack(manifest, entries, passphrase)
    path = write_atomically(out, lambda tmp: tmp.write_bytes(packed), scratch=ctx.scratch_dir)
    _remember_base(ctx, data)
    report(1.0, "Done")
    return ExportResult(path=path, clients=1, visits=len(data["assessment"]), photos=len(shas), size_bytes=len(packed),
                        encrypted=bool(passphrase))


# -- sync base: what each row looked like when the two copies last met ---------------------------
def _remember_base(ctx: AppContext, data: dict[str, list[dict[str, Any]]]) -> None:
    with ctx.uow() as uow:
        _record_base(uow.session, data)


def _record_base(session: Session, data: dict[str, list[dict[str, Any]]]) -> None:
    names = [n for n in data if n not in APPEND_ONLY]
    known = {(b.entity, b.entity_id): b
             for b in session.scalars(select(m.SyncBase).where(m.SyncBase.entity.in_(names)))}
    for name in names:
        for row in data[name]:
            key = _row_key(name, row)
            digest = _canonical(row)
            existing = known.get((name, key))
            if existing is None:
                session.add(m.SyncBase(entity=name, entity_id=key, digest=digest))
            elif existing.digest != digest:
                existing.digest = digest


def _row_key(name: str, row: dict[str, Any]) -> str:
    if name == "recommendation_finding":
        return f"{row['recommendation_id']}/{row['finding_id']}"
    return str(row["id"])


# -- import: check everything first ---------------------------------------------------------------
@dataclass
class _Plan:
    data: dict[str, list[dict[str, Any]]]
    photos: dict[str, bytes]
    checklists: dict[str, bytes]
    manifest: dict[str, Any]
    decoded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _check_data(raw: bytes) -> dict[str, list[dict[str, Any]]]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BundleError(f"the bundle's data is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(data, dict) or set(data) - set(TABLES):
        raise BundleError("the bundle's data holds something other than visit records")
    for name in TABLES:
        rows = data.setdefault(name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BundleError(f"the bundle's {name} records are malformed")
        columns = {c.name for c in _table(name).columns}
        keys: set[str] = set()
        for row in rows:
            if set(row) - columns:
                raise BundleError(f"a {name} record in the bundle has unknown fields "
                                  f"({', '.join(sorted(set(row) - columns))[:80]})")
            if name != "recommendation_finding" and not isinstance(row.get("id"), str):
                raise BundleError(f"a {name} record in the bundle has no id")
            key = _row_key(name, row)
            if key in keys:
                raise BundleError(f"the bundle holds the {name} record {key[:40]} twice")
            keys.add(key)
    if len(data["client"]) != 1:
        raise BundleError("a bundle holds exactly one client")
    return data


def _decode_rows(data: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    decoded = {}
    for name in TABLES:
        table = _table(name)
        out = []
        for row in data[name]:
            where = f"{name} {_row_key(name, row)[:40]}"
            out.append({c.name: _decode(row.get(c.name), c, where) for c in table.columns if c.name in row})
        decoded[name] = out
    return decoded


def _check_references(session: Session, plan: _Plan) -> None:
    """Every reference points to a row in the bundle or already here."""
    present = {name: {_row_key(name, r) for r in plan.data[name]} for name in TABLES}
    for name in TABLES:
        table = _table(name)
        for fk in table.foreign_keys:
            target = fk.column.table.name
            column = fk.parent.name
            model = _model(target)
            for row in plan.data[name]:
                ref = row.get(column)
                if ref is None or ref in present.get(target, set()):
                    continue
                if session.get(model, ref) is None:
                    if fk.parent.nullable and column in ("previous_assessment_id", "generic_id", "catalogue_item_id",
                                                        "goal_id", "finding_id", "recommendation_id"):
                        row[column] = None   # an optional link to something this copy never had
                        continue
                    raise BundleError(f"a {name} record refers to a {target} that is not in the bundle")


def _model(table_name: str) -> Any:
    for mapper in m.Base.registry.mappers:
        if mapper.local_table.name == table_name:
            return mapper.class_
    raise KeyError(table_name)


def _check_photos(plan: _Plan) -> None:
    for row in plan.data["photo"]:
        sha = row.get("sha256")
        data = plan.photos.get(f"photos/{sha}.jpg")
        if data is None:
            raise BundleError(f"a photo ({row.get('original_filename') or str(sha)[:12]}) is missing from the bundle")
        if sha256(data) != sha:
            raise BundleError(f"a photo ({row.get('original_filename') or str(sha)[:12]}) does not match its hash")


def _check_checklists(ctx: AppContext, plan: _Plan) -> dict[str, bytes]:
    """Bundled checklist definitions this installation lacks (validated); BundleError if a visit
    is pinned to a version neither side has."""
    from homeassess.checklists.loader import load_files
    from homeassess.domain.errors import ChecklistDefinitionError, HomeAssessError

    needed = {(room_type, int(version)) for v in plan.data["assessment"]
              for room_type, version in (v.get("checklist_versions") or {}).items()
              if isinstance(version, int) and not isinstance(version, bool)}
    missing = {key for key in needed if (key[0], key[1]) not in ctx.registry.data.checklists}
    new: dict[str, bytes] = {}
    for room_type, version in sorted(missing):
        name = f"checklists/{room_type}.v{version}.toml"
        if name not in plan.checklists:
            raise BundleError(f"the visit uses the {room_type} checklist version {version}, which neither this "
                              "installation nor the bundle has")
        new[name] = plan.checklists[name]
    if new:
        import tempfile

        from homeassess.checklists.registry import shipped_paths

        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for name, body in new.items():
                path = Path(folder) / Path(name).name
                path.write_bytes(body)
                paths.append(path)
            try:
                load_files([*shipped_paths()[0], *paths], shipped_paths()[1], None)
            except (ChecklistDefinitionError, HomeAssessError, ValueError) as exc:
                raise BundleError(f"a checklist in the bundle is not valid ({str(exc).splitlines()[0][:120]})") from None
    return new


def import_bundle(ctx: AppContext, path: Path, *, passphrase: str | None = None,
                  resolutions: dict[str, str] | None = None, progress: Progress | None = None,
                  cancel: threading.Event | None = None) -> ImportResult:
    """Check the whole bundle, then apply it in one transaction (see the module docstring)."""
    report = progress or (lambda *_: None)
    report(0.05, "Opening the bundle")
    contents = unpack(path, passphrase)
    from homeassess.db.migrate import known_revisions

    if contents.manifest.get("schema_revision") not in known_revisions():
        raise BundleError("the bundle was made by a newer HomeAssess; install the newer version to import it.")
    report(0.3, "Checking the records")
    plan = _Plan(data=_check_data(contents.entries[DATA]),
                 photos={k: v for k, v in contents.entries.items() if k.startswith("photos/")},
                 checklists={k: v for k, v in contents.entries.items() if k.startswith("checklists/")},
                 manifest=contents.manifest)
    _check_photos(plan)
    new_checklists = _check_checklists(ctx, plan)
    with ctx.uow(read_only=True) as uow:
        _check_references(uow.session, plan)
    plan.decoded = _decode_rows(plan.data)
    if cancel is not None and cancel.is_set():
        raise InterruptedError("import cancelled")
    report(0.5, "Storing photos")
    for name, data in plan.photos.items():   # content-addressed: a file no row ends up using is swept later
        sha = name.removeprefix("photos/").removesuffix(".jpg")
        target = ctx.photo_store.path_for(sha)
        if not target.exists():
            from homeassess.storage.photos import atomic_write

            atomic_write(target, data)
    report(0.7, "Applying the records")
    result = _apply(ctx, plan, resolutions or {})
    if new_checklists:
        _install_checklists(ctx, new_checklists)
    report(1.0, "Done")
    return result


def _install_checklists(ctx: AppContext, new: dict[str, bytes]) -> None:
    from homeassess.checklists.registry import Registry, shipped_paths
    from homeassess.storage.private import make_private, make_private_dir

    folder = make_private_dir(ctx.data_dir / "checklists")
    for name, body in new.items():
        target = folder / Path(name).name
        target.write_bytes(body)
        make_private(target)
    ctx.registry = Registry.load([*shipped_paths()[0], *sorted(folder.glob("*.toml"))])


# -- import: apply ---------------------------------------------------------------------------------
LABELS = {"given_name": "Given name", "family_name": "Family name", "phone": "Phone", "address": "Address",
          "value": "Answer", "number": "Measurement", "note": "Note", "status": "Status", "title": "Title"}


def _where(session: Session, name: str, row: dict[str, Any]) -> str:
    visit_id = row.get("assessment_id") if name != "assessment" else row.get("id")
    if name == "answer":
        room = session.get(m.Room, row["room_id"])
        visit_id = room.assessment_id if room is not None else None
        if room is not None:
            visit = session.get(m.Assessment, visit_id)
            return f"Visit {visit.visit_date:%d %b %Y} — {room.name}" if visit is not None else room.name
    if name in ("client", "goal"):
        return "Client details" if name == "client" else "Goals"
    visit = session.get(m.Assessment, visit_id) if visit_id else None
    return f"Visit {visit.visit_date:%d %b %Y}" if visit is not None else name.replace("_", " ").capitalize()


def _label(ctx: AppContext, session: Session, name: str, row: dict[str, Any], column: str) -> str:
    if name == "answer":
        room = session.get(m.Room, row["room_id"])
        if room is not None:
            try:
                visit = session.get(m.Assessment, room.assessment_id)
                version = (visit.checklist_versions or {}).get(room.room_type) if visit else None
                checklist = ctx.registry.get(room.room_type, int(version)) if version else ctx.registry.latest(
                    room.room_type)
                prompt = next((i.prompt for i in checklist.items if i.id == row["item_id"]), row["item_id"])
                return f"{prompt} ({LABELS.get(column, column)})"
            except NotFoundError:
                pass
    return LABELS.get(column, column.replace("_", " ").capitalize())


def _changed_words(at: datetime | str, by: str) -> str:
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return f"changed {when:%d %b %Y %H:%M}" + (f" by {by}" if by else "")


def _last_change_here(session: Session, name: str, key: str, column: str) -> str:
    """The history's words for the latest change to this field here ("" when none is recorded)."""
    row = session.scalars(select(m.Change).where(m.Change.entity == name, m.Change.entity_id == key,
                                                 m.Change.field == column).order_by(m.Change.at.desc())).first()
    return _changed_words(row.at, row.by) if row is not None else ""


def _last_change_in(changes: list[dict[str, Any]], name: str, key: str, column: str) -> str:
    """The same from the bundle's own history."""
    mine = [c for c in changes if (c.get("entity"), c.get("entity_id"), c.get("field")) == (name, key, column)]
    if not mine:
        return ""
    latest = max(mine, key=lambda c: str(c.get("at") or ""))
    try:
        return _changed_words(str(latest["at"]), str(latest.get("by") or ""))
    except (KeyError, ValueError):
        return ""


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value) if not isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False)[:200]


def _visit_of(name: str, values: dict[str, Any], rooms: dict[str, str], recs: dict[str, str]) -> str | None:
    """The visit a row belongs to (None for the client's own rows and catalogue products)."""
    if name == "assessment":
        return values["id"]
    if "assessment_id" in values:
        return values["assessment_id"]
    if name == "answer":
        return rooms.get(values["room_id"])
    if name in ("recommendation_event", "recommendation_finding"):
        return recs.get(values["recommendation_id"])
    return None


def _apply(ctx: AppContext, plan: _Plan, resolutions: dict[str, str]) -> ImportResult:
    created = updated = 0
    conflicts: list[FieldConflict] = []
    made_by = str(plan.manifest.get("created_by") or "").strip()[:120]
    with ctx.uow() as uow, acting_as(uow.session, f"Bundle from {made_by}" if made_by else "Imported bundle"):
        session = uow.session
        visit_of_room = {r["id"]: r["assessment_id"] for r in plan.data["room"]}
        visit_of_rec = {r["id"]: r["assessment_id"] for r in plan.data["recommendation"]}
        signed_here = {a.id for a in session.scalars(select(m.Assessment).where(
            m.Assessment.id.in_([r["id"] for r in plan.data["assessment"]]), m.Assessment.signed_off_at.is_not(None)))}
        for name in TABLES:
            model = _model(name)
            for raw, values in zip(plan.data[name], plan.decoded[name], strict=True):
                key = _row_key(name, raw)
                ident = (values["recommendation_id"], values["finding_id"]) if name == "recommendation_finding" \
                    else values["id"]
                mine = session.get(model, ident)
                visit = _visit_of(name, values, visit_of_room, visit_of_rec)
                if mine is None:
                    if visit in signed_here and name != "addendum":
                        continue   # a signed-off visit only gains addenda
                    if session.get(m.SyncBase, (name, key)) is not None:
                        continue   # it was here when the copies last met, and was removed here since
                    session.add(model(**values))
                    session.flush()
                    created += 1
                    continue
                if name in APPEND_ONLY:
                    continue
                mine_raw = _row_dict(mine)
                theirs_digest, mine_digest = _canonical(raw), _canonical(mine_raw)
                if theirs_digest == mine_digest:
                    continue
                if visit in signed_here:
                    continue
                base = session.get(m.SyncBase, (name, key))
                if base is not None and base.digest == mine_digest:      # only theirs changed: theirs applies
                    changes = {c: v for c, v in values.items() if c not in NOT_COMPARED}
                elif base is not None and base.digest == theirs_digest:  # only mine changed: keep mine
                    continue
                else:                                                    # both changed: ask, field by field
                    changes = {}
                    for column, value in values.items():
                        if column in NOT_COMPARED or mine_raw.get(column) == raw.get(column):
                            continue
                        conflict_key = f"{name}:{key}:{column}"
                        choice = resolutions.get(conflict_key)
                        if choice == "theirs":
                            changes[column] = value
                        elif choice != "mine":
                            conflicts.append(FieldConflict(
                                key=conflict_key, where=_where(session, name, raw),
                                label=_label(ctx, session, name, raw, column),
                                mine=_shown(mine_raw.get(column)), theirs=_shown(raw.get(column)),
                                mine_changed=_last_change_here(session, name, key, column),
                                theirs_changed=_last_change_in(plan.data["change"], name, key, column)))
                for column, value in changes.items():
                    setattr(mine, column, value)
                if changes:
                    updated += 1
        if conflicts:
            session.rollback()
            raise ImportConflicts(conflicts)
        # The two copies have now met: each row's base is what the bundle holds (a row where ours was
        # kept differs from it, so a later bundle that still holds theirs leaves ours alone).
        _record_base(session, plan.data)
    visits = tuple(r["id"] for r in plan.data["assessment"])
    return ImportResult(clients=1, visits=len(visits), photos=len(plan.data["photo"]), created=created,
                        updated=updated, unchanged=created == 0 and updated == 0, assessment_ids=visits)


def import_changes() -> Changes:
    return Changes(clients=True, findings=True, recommendations=True)
