"""Client profiles and goals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, literal, or_, select, tuple_

from homeassess.db import models as m
from homeassess.db.uow import STALE_EDIT
from homeassess.domain.client import (
    AidUse, Behaviour, ClientProfile, Cognition, Condition, Contact, Equipment, MobilityAid, Precaution, Sense,
    Symptom, Transfers, WeakSide,
)
from homeassess.domain.errors import ConflictError, FieldError, ValidationError
from homeassess.domain.input_rules import check_number
from homeassess.domain.text_rules import TEXT_LIMITS, clean_kind, clean_name
from homeassess.domain.validation import clean_client_fields, validate_client_fields
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.dto import ClientDetail, ClientSummary, GoalView
from homeassess.services.lookup import get_live
from homeassess.services.settings import archived_ids, set_archived

EDITABLE = {
    "given_name", "family_name", "preferred_name", "date_of_birth", "address", "phone", "identifiers",
    "conditions", "other_conditions", "precautions", "precaution_notes", "mobility_aid", "aid_width_mm",
    "aid_length_mm", "knee_height_mm", "weight_kg", "height_mm", "falls_last_12_months", "cognition",
    "vision", "hearing", "lives_alone", "has_carers", "contacts", "notes", "weak_side", "transfers",
    "behaviours", "home_oxygen", "household_smoker", "aid_swl_kg", "symptoms", "second_aid", "second_aid_use",
    "equipment",
}
_ENUMS = {"mobility_aid": MobilityAid, "cognition": Cognition, "vision": Sense, "hearing": Sense,
          "weak_side": WeakSide, "transfers": Transfers, "second_aid": MobilityAid, "second_aid_use": AidUse}


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    """Coerce enum-valued fields to their codes; reject unknown fields and codes."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError([FieldError(f, "is not a client field") for f in sorted(unknown)])
    out = dict(fields)
    errors: list[FieldError] = []
    for name, enum in _ENUMS.items():
        if name in out:
            try:
                out[name] = enum(out[name]).value
            except ValueError:
                errors.append(FieldError(name, f"{out[name]!r} is not a valid choice"))
    for name, enum in (("conditions", Condition), ("precautions", Precaution), ("behaviours", Behaviour),
                        ("symptoms", Symptom)):
        if name in out:
            try:
                out[name] = sorted(enum(v).value for v in out[name])
            except ValueError as exc:
                errors.append(FieldError(name, str(exc)))
    if "equipment" in out:
        out["equipment"] = [{"name": e.name, "swl_kg": e.swl_kg} if isinstance(e, Equipment)
                            else {"name": e.get("name", ""), "swl_kg": e.get("swl_kg")}
                            for e in out["equipment"]]
    if "contacts" in out:
        out["contacts"] = [{"name": c.name, "relationship": c.relationship, "phone": c.phone}
                           if isinstance(c, Contact) else dict(c) for c in out["contacts"]]
    if errors:
        raise ValidationError(errors)
    return out


def profile_of(row: m.Client) -> ClientProfile:
    return ClientProfile(
        date_of_birth=row.date_of_birth,
        conditions=frozenset(Condition(c) for c in row.conditions),
        precautions=frozenset(Precaution(p) for p in row.precautions),
        mobility_aid=MobilityAid(row.mobility_aid), aid_width_mm=row.aid_width_mm,
        aid_length_mm=row.aid_length_mm, knee_height_mm=row.knee_height_mm, weight_kg=row.weight_kg,
        falls_last_12_months=row.falls_last_12_months, cognition=Cognition(row.cognition),
        vision=Sense(row.vision), hearing=Sense(row.hearing), lives_alone=row.lives_alone,
        has_carers=row.has_carers,
        contacts=tuple(Contact(c.get("name", ""), c.get("relationship", ""), c.get("phone", ""))
                       for c in row.contacts),
        weak_side=WeakSide(row.weak_side or "none"), transfers=Transfers(row.transfers or "independent"),
        behaviours=frozenset(Behaviour(b) for b in row.behaviours or ()), home_oxygen=bool(row.home_oxygen),
        household_smoker=bool(row.household_smoker), aid_swl_kg=row.aid_swl_kg,
        symptoms=frozenset(Symptom(s) for s in row.symptoms or ()),
        second_aid=MobilityAid(row.second_aid or "none"), second_aid_use=AidUse(row.second_aid_use or "outdoors"),
        equipment=tuple(Equipment(e.get("name", ""), e.get("swl_kg")) for e in row.equipment or ()),
    )


def _detail(row: m.Client) -> ClientDetail:
    goals = tuple(goal_view(g) for g in row.goals if g.deleted_at is None)
    return ClientDetail(
        id=row.id, given_name=row.given_name, family_name=row.family_name,
        preferred_name=row.preferred_name, address=row.address, phone=row.phone,
        identifiers=dict(row.identifiers), other_conditions=row.other_conditions,
        precaution_notes=row.precaution_notes, height_mm=row.height_mm, notes=row.notes,
        profile=profile_of(row), goals=goals, version=row.version,
    )


class DuplicateClientError(ConflictError):
    """A live client already has this name and date of birth; ``allow_duplicate=True`` creates another."""

    def __init__(self, existing: ClientSummary) -> None:
        self.existing = existing
        born = f" born {existing.date_of_birth:%d/%m/%Y}" if existing.date_of_birth else ""
        super().__init__(f"A client named {existing.display_name}{born} already exists. Create another?")


def find_duplicate(session: Any, given_name: str, family_name: str, date_of_birth: date | None) -> m.Client | None:
    """A live client with the same name (ignoring case and spaces) and date of birth; an unknown date of
    birth on either side matches any, so naming a new client warns before the date is typed."""
    def key(given: str, family: str) -> tuple[str, str]:  # compared in Python: SQL lower() is ASCII-only
        return " ".join(given.split()).casefold(), " ".join(family.split()).casefold()

    wanted = key(given_name, family_name)
    search = m.ClientSearch   # the folded names narrow it down first: no loading every client of a team
    query = (select(m.Client).join(search, search.client_id == m.Client.id)
             .where(m.Client.deleted_at.is_(None), search.family_key == m.fold(family_name),
                    search.given_key == m.fold(given_name)))
    if date_of_birth is not None:
        query = query.where(or_(m.Client.date_of_birth.is_(None), m.Client.date_of_birth == date_of_birth))
    return next((row for row in session.scalars(query.order_by(m.Client.created_at))
                 if key(row.given_name, row.family_name) == wanted), None)


def _summary(row: m.Client) -> ClientSummary:
    return ClientSummary(row.id, f"{row.given_name} {row.family_name}".strip(), row.date_of_birth, row.address)


def create_client(ctx: AppContext, *, allow_duplicate: bool = False, **fields: Any) -> tuple[ClientDetail, Changes]:
    """Create a client; one with the same name and date of birth as a live client raises
    DuplicateClientError unless ``allow_duplicate`` (the person said "create another")."""
    fields = clean_client_fields(_normalise(fields), today=ctx.clock.today())
    errors = validate_client_fields(fields, today=ctx.clock.today(), creating=True)
    if errors:
        raise ValidationError(errors)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if not allow_duplicate and (same := find_duplicate(uow.session, fields.get("given_name", ""),
                                                           fields.get("family_name", ""),
                                                           fields.get("date_of_birth"))) is not None:
            raise DuplicateClientError(_summary(same))
        row = m.Client(**fields, created_at=now, updated_at=now)
        uow.session.add(row)
        uow.session.flush()
        uow.session.refresh(row)
        detail = _detail(row)
    return detail, Changes(clients=True)


def update_client(ctx: AppContext, client_id: str, *, expected_version: int | None = None,
                  **fields: Any) -> tuple[ClientDetail, Changes]:
    """Set some fields; findings of the client's open visits are re-derived (profile matters).

    ``expected_version`` is the version of the copy the edit was made on: when another program has
    changed the client since, the edit is refused (ConflictError) rather than written over newer data."""
    from homeassess.services.findings import resync_client_assessments

    fields = clean_client_fields(_normalise(fields), today=ctx.clock.today())
    errors = validate_client_fields(fields, today=ctx.clock.today())
    if errors:
        raise ValidationError(errors)
    with ctx.uow() as uow:
        row = get_live(uow.session, m.Client, client_id, "client")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(STALE_EDIT)
        for key, value in fields.items():
            setattr(row, key, value)
        row.updated_at = ctx.clock.now()
        uow.session.flush()
        resync_client_assessments(ctx, uow.session, row.id)
        detail = _detail(row)
    return detail, Changes(clients=True, findings=True, recommendations=True)


def get_client(ctx: AppContext, client_id: str) -> ClientDetail:
    with ctx.uow(read_only=True) as uow:
        return _detail(get_live(uow.session, m.Client, client_id, "client"))


# -- the client list and its search --------------------------------------------------------------
PAGE_SIZE = 200
ARCHIVED_KEY = "archived.client."   # the Setting key services/settings.set_archived writes, + the client's id
Cursor = tuple[str, str, str]        # the last row of a page, in list order: (family, given, id) folded


@dataclass(frozen=True, slots=True)
class ClientPage:
    """One page of the client list, in list order (family name, then given name, folded)."""

    clients: tuple[ClientSummary, ...]
    archived: frozenset[str] = frozenset()   # those of them that are archived (listed with include_archived)
    after: Cursor | None = None              # pass back as ``after`` for the next page; None: no more


def _is_archived() -> Any:
    return exists().where(m.Setting.key == literal(ARCHIVED_KEY) + m.Client.id)


def _like_word(word: str) -> str:
    return "%" + word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _kept(*, include_archived: bool, deleted: bool) -> list[Any]:
    """Which clients are listed: live ones (without the archived unless asked for), or the deleted."""
    if deleted:
        return [m.Client.deleted_at.is_not(None)]
    return [m.Client.deleted_at.is_(None)] + ([] if include_archived else [~_is_archived()])


def _words(search: str) -> list[Any]:
    """Every word of ``search`` is in the given name, family name or address (folded: any case, with or
    without accents), as a part of a word or a whole one. The same SQL on SQLite and PostgreSQL."""
    return [m.ClientSearch.text.like(_like_word(word), escape="/") for word in m.fold(search).split()]


def search_clients(ctx: AppContext, search: str = "", *, include_archived: bool = False, deleted: bool = False,
                   after: Cursor | None = None, limit: int | None = PAGE_SIZE) -> ClientPage:
    """A page of live clients matching ``search`` (every word in the given name, family name or address),
    in list order, from just after ``after``; archived ones only with ``include_archived``. ``deleted=True``:
    the deleted (restorable) clients instead. ``limit=None``: every match at once."""
    folded = m.ClientSearch
    order = (folded.family_key, folded.given_key, folded.client_id)
    columns = (m.Client.id, m.Client.given_name, m.Client.family_name, m.Client.date_of_birth, m.Client.address,
               *order, (_is_archived() if include_archived and not deleted else literal(False)).label("archived"))
    query = (select(*columns).select_from(m.Client).join(folded, folded.client_id == m.Client.id)
             .where(*_kept(include_archived=include_archived, deleted=deleted), *_words(search)))
    if after is not None:
        query = query.where(tuple_(*order) > tuple_(*after))
    query = query.order_by(*order)
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(query if limit is None else query.limit(limit + 1)).all()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit]
    clients = tuple(ClientSummary(r.id, f"{r.given_name} {r.family_name}".strip(), r.date_of_birth, r.address)
                    for r in rows)
    last = rows[-1] if more else None
    return ClientPage(clients, frozenset(r.id for r in rows if r.archived),
                      (last.family_key, last.given_key, last.client_id) if last is not None else None)


def count_clients(ctx: AppContext, search: str = "", *, include_archived: bool = False, deleted: bool = False) -> int:
    """How many clients ``search_clients`` would list, over all its pages. Counted from the search rows
    that match, each looked up once: no join for the database to start from the other end."""
    kept, words = _kept(include_archived=include_archived, deleted=deleted), _words(search)
    if words:
        query = select(func.count()).select_from(m.ClientSearch).where(
            *words, exists().where(m.Client.id == m.ClientSearch.client_id, *kept))
    else:
        query = select(func.count()).select_from(m.Client).where(*kept)
    with ctx.uow(read_only=True) as uow:
        return int(uow.session.scalar(query) or 0)


def has_clients(ctx: AppContext) -> bool:
    """Is there any client at all (live, archived or deleted)? The first-run page shows until there is."""
    with ctx.uow(read_only=True) as uow:
        return uow.session.scalar(select(m.Client.id).limit(1)) is not None


def list_clients(ctx: AppContext, search: str = "", *, include_archived: bool = False,
                 limit: int | None = None) -> list[ClientSummary]:
    """Live clients matching ``search`` in list order (all of them, or the first ``limit``); archived ones
    only with ``include_archived``. The client list screen pages through them: ``search_clients``."""
    return list(search_clients(ctx, search, include_archived=include_archived, limit=limit).clients)


def archive_client(ctx: AppContext, client_id: str, *, restore: bool = False) -> Changes:
    """Hide a client from the default list (their visits stay); ``restore=True`` brings them back."""
    with ctx.uow() as uow:
        row = get_live(uow.session, m.Client, client_id, "client")
        set_archived(uow.session, "client", row.id, not restore, ctx.clock.now().isoformat())
    return Changes(clients=True)


def archived_clients(ctx: AppContext) -> set[str]:
    with ctx.uow(read_only=True) as uow:
        return archived_ids(uow.session, "client")


def delete_client(ctx: AppContext, client_id: str, *, restore: bool = False) -> Changes:
    """Soft delete (undoable by ``restore=True``)."""
    with ctx.uow() as uow:
        row = uow.session.get(m.Client, client_id)
        if row is None:
            get_live(uow.session, m.Client, client_id, "client")
        assert row is not None
        row.deleted_at = None if restore else ctx.clock.now()
    return Changes(clients=True)


GOAL_REQUIRED = "Write the goal in the client's own words"


def _goal_text(text: object) -> str:
    return clean_name(text, field="text", max_len=TEXT_LIMITS["line"], label="The goal", empty_message=GOAL_REQUIRED)


def _goal_activity(activity: object) -> str:
    return clean_kind(activity, field="activity", kind="title", label="The daily activity")


def add_goal(ctx: AppContext, client_id: str, text: str, activity: str = "") -> tuple[GoalView, Changes]:
    text, activity = _goal_text(text), _goal_activity(activity)
    with ctx.uow() as uow:
        client = get_live(uow.session, m.Client, client_id, "client")
        position = len(client.goals)
        goal = m.Goal(client_id=client.id, text=text, activity=activity, position=position,
                      created_at=ctx.clock.now())
        uow.session.add(goal)
        uow.session.flush()
        view = goal_view(goal)
    return view, Changes(goals=True)


def goal_view(goal: m.Goal) -> GoalView:
    return GoalView(goal.id, goal.text, goal.activity, dict(goal.gas_levels or {}), goal.weight, goal.baseline_level)


def update_goal(ctx: AppContext, goal_id: str, *, text: str | None = None, activity: str | None = None,
                gas_levels: dict[str, str] | None = None, weight: int | None = None,
                baseline_level: int | None = None) -> tuple[GoalView, Changes]:
    """Edit a goal, including its Goal Attainment Scale: what -2..+2 mean, weight and baseline (REFERENCE §6.1)."""
    from homeassess.domain.outcomes import validate_gas_goal

    text = None if text is None else _goal_text(text)
    activity = None if activity is None else _goal_activity(activity)
    if gas_levels is not None:
        gas_levels = {str(k): clean_kind(v, field="gas_levels", kind="line", label=f"What {k} means")
                      for k, v in dict(gas_levels).items()}
    if weight is not None:
        weight = int(check_number(weight, field="weight", rule="gas_weight"))
    if baseline_level is not None and (isinstance(baseline_level, bool) or not isinstance(baseline_level, int)):
        raise ValidationError([FieldError("baseline_level", "baseline must be −2 to +2 (usually −1)")])
    with ctx.uow() as uow:
        goal = get_live(uow.session, m.Goal, goal_id, "goal")
        levels = goal.gas_levels if gas_levels is None else gas_levels
        errors = validate_gas_goal(levels, goal.weight if weight is None else weight,
                                   goal.baseline_level if baseline_level is None else baseline_level)
        if errors:
            raise ValidationError(errors)
        goal.text = goal.text if text is None else text
        goal.activity = goal.activity if activity is None else activity
        goal.gas_levels = levels
        goal.weight = goal.weight if weight is None else weight
        goal.baseline_level = goal.baseline_level if baseline_level is None else baseline_level
        view = goal_view(goal)
    return view, Changes(goals=True)


def delete_goal(ctx: AppContext, goal_id: str, *, restore: bool = False) -> Changes:
    with ctx.uow() as uow:
        goal = uow.session.get(m.Goal, goal_id)
        if goal is None:
            get_live(uow.session, m.Goal, goal_id, "goal")
        assert goal is not None
        goal.deleted_at = None if restore else ctx.clock.now()
    return Changes(goals=True)

