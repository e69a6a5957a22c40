"""The history of changes, read back: per client and per visit, newest first, each in plain words.

The rows are written by ``db/history.py`` on every flush; this module only reads them. Wording is in
``history_words.py``; what the rows name (rooms, items, titles) is looked up here once per history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.db.history import ENGINE
from homeassess.services.context import AppContext
from homeassess.services.history_words import Known, Row, describe
from homeassess.services.lookup import get_live

SOMEONE = "The therapist"   # a change made before a name was set in Settings


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One change: who, when (UTC), what (entity, field, old → new) and ``what`` in words."""

    id: str
    at: datetime
    by: str
    action: str            # created | changed | deleted
    entity: str
    entity_id: str
    field: str
    old: str
    new: str
    what: str              # "changed Bathroom: Grab rail beside the toilet from “Yes” to “No”"
    client_id: str | None = None
    assessment_id: str | None = None

    @property
    def automatic(self) -> bool:
        """Made by HomeAssess re-deriving findings and suggestions, not by a person."""
        return self.by == ENGINE

    @property
    def who(self) -> str:
        return self.by or SOMEONE

    @property
    def when(self) -> str:
        return when_text(self.at)

    @property
    def sentence(self) -> str:
        return f"{self.when} — {self.who} {self.what}"


def when_text(utc: datetime) -> str:
    """A naive UTC time as local time, e.g. "10 Mar 2026 10:30"."""
    local = utc.replace(tzinfo=UTC).astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def client_history(ctx: AppContext, client_id: str) -> list[ChangeView]:
    """Every change to the client and to their visits, newest first."""
    with ctx.uow(read_only=True) as uow:
        client = uow.session.get(m.Client, client_id) or get_live(uow.session, m.Client, client_id, "client")
        known = _known(ctx, uow.session, m.Assessment.client_id == client.id, client.id)
        return _views(uow.session, m.Change.client_id == client.id, known)


def visit_history(ctx: AppContext, assessment_id: str) -> list[ChangeView]:
    """Every change to one visit (its rooms, answers, findings, recommendations, photos …), newest first."""
    with ctx.uow(read_only=True) as uow:
        visit = uow.session.get(m.Assessment, assessment_id) or get_live(
            uow.session, m.Assessment, assessment_id, "assessment")
        known = _known(ctx, uow.session, m.Assessment.id == visit.id, visit.client_id)
        return _views(uow.session, m.Change.assessment_id == visit.id, known)


def last_change_at(ctx: AppContext, assessment_id: str) -> datetime | None:
    """When the visit's record last changed (the visit, or its client's profile and goals); UTC."""
    with ctx.uow(read_only=True) as uow:
        visit = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        return last_change_in(uow.session, visit.id, visit.client_id)


def last_change_in(session: Session, assessment_id: str, client_id: str) -> datetime | None:
    return session.scalar(select(func.max(m.Change.at)).where(or_(
        m.Change.assessment_id == assessment_id,
        (m.Change.client_id == client_id) & m.Change.assessment_id.is_(None))))


def _views(session: Session, where: Any, known: Known) -> list[ChangeView]:
    changes = session.scalars(select(m.Change).where(where).order_by(m.Change.at.desc())).all()
    rows = [Row(c.entity, c.entity_id, c.field, c.action, c.old, c.new, c.assessment_id) for c in changes]
    known.learn(rows)
    products = {r.new for r in rows if r.field == "catalogue_item_id" and r.new} | {
        r.old for r in rows if r.field == "catalogue_item_id" and r.old}
    for row_id, name in session.execute(select(m.CatalogueItem.id, m.CatalogueItem.name)
                                        .where(m.CatalogueItem.id.in_(products))):
        known.titles[("catalogue_item", row_id)] = name
    views = []
    for c, row in zip(changes, rows, strict=True):
        what = describe(row, known)
        if what is not None:
            views.append(ChangeView(c.id, c.at, c.by, c.action, c.entity, c.entity_id, c.field, c.old, c.new,
                                    what, c.client_id, c.assessment_id))
    return views


def _known(ctx: AppContext, session: Session, visits_where: Any, client_id: str) -> Known:
    """Names of what the history mentions: rooms, answers, titles (removed rows included)."""
    known = Known(ctx.registry)
    for a in session.execute(select(m.Assessment.id, m.Assessment.kind, m.Assessment.visit_date,
                                    m.Assessment.checklist_versions, m.Assessment.units).where(visits_where)):
        known.visits[a.id] = (a.kind, a.visit_date, dict(a.checklist_versions or {}), a.units)
    visit_ids = list(known.visits)
    for r in session.execute(select(m.Room.id, m.Room.name, m.Room.room_type, m.Room.assessment_id)
                             .where(m.Room.assessment_id.in_(visit_ids))):
        known.rooms[r.id] = (r.name, r.room_type, r.assessment_id)
    for a in session.execute(select(m.Answer.id, m.Answer.room_id, m.Answer.item_id)
                             .where(m.Answer.room_id.in_(list(known.rooms)))):
        known.answers[a.id] = (a.room_id, a.item_id)
    for model in (m.Recommendation, m.Finding):
        for row_id, title in session.execute(select(model.id, model.title).where(model.assessment_id.in_(visit_ids))):
            known.titles[(model.__tablename__, row_id)] = title
    for p in session.execute(select(m.Photo.id, m.Photo.caption, m.Photo.room_id)
                             .where(m.Photo.assessment_id.in_(visit_ids))):
        known.titles[("photo", p.id)], known.photo_rooms[p.id] = p.caption, p.room_id
    for row_id, text in session.execute(select(m.Goal.id, m.Goal.text).where(m.Goal.client_id == client_id)):
        known.titles[("goal", row_id)] = text
    return known
