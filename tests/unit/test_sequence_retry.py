"""A numbered step taken by another writer first is retried, then refused in plain words."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc

from homeassess.db.uow import retry_on_sequence_conflict
from homeassess.domain.errors import StorageError


def _clash() -> sa_exc.IntegrityError:
    return sa_exc.IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: recommendation_event.seq"))


def test_a_clash_is_retried_with_the_new_maximum() -> None:
    calls = []

    @retry_on_sequence_conflict
    def append() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise _clash()
        return "event-2"

    assert append() == "event-2" and len(calls) == 2


def test_a_clash_that_keeps_happening_is_a_plain_error() -> None:
    @retry_on_sequence_conflict
    def append() -> None:
        raise _clash()

    with pytest.raises(StorageError, match="at the same moment"):
        append()


def test_other_integrity_errors_are_not_retried() -> None:
    calls = []

    @retry_on_sequence_conflict
    def append() -> None:
        calls.append(1)
        raise sa_exc.IntegrityError("INSERT", {}, Exception("FOREIGN KEY constraint failed"))

    with pytest.raises(sa_exc.IntegrityError):
        append()
    assert len(calls) == 1
