"""Find records by full id or a unique prefix of at least 6 characters (DESIGN §4)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.domain.errors import AmbiguousIdError, NotFoundError

T = TypeVar("T")
MIN_PREFIX = 6


def get_live(session: Session, model: type[T], ident: str, what: str) -> T:
    """A record that is not soft-deleted, by full id or unique prefix."""
    ident = ident.strip().lower()
    row = session.get(model, ident)
    if row is not None and getattr(row, "deleted_at", None) is None:
        return row
    if len(ident) < MIN_PREFIX:
        raise NotFoundError(f"no {what} with id {ident!r} (give at least {MIN_PREFIX} characters)")
    query = select(model).where(model.id.startswith(ident, autoescape=True))  # type: ignore[attr-defined]
    if hasattr(model, "deleted_at"):
        query = query.where(model.deleted_at.is_(None))  # type: ignore[attr-defined]
    rows = session.scalars(query.limit(2)).all()
    if not rows:
        raise NotFoundError(f"no {what} with id {ident!r}")
    if len(rows) > 1:
        raise AmbiguousIdError(f"{ident!r} matches more than one {what}; give more characters")
    return rows[0]
