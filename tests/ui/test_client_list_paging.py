"""The client list pages (issue 16): a page of clients from the services at first, more as the view
scrolls, and a search is a query to the services once typing pauses, not a filter over every client."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from homeassess.db import models as m
from homeassess.services import clients as C
from homeassess.services.context import AppContext
from homeassess.ui.models.client_list import ID_ROLE, ClientListModel
from homeassess.ui.screens.client_list import ClientListScreen
from homeassess.ui.session import Session

PAGE = ClientListModel.PAGE


def bulk(ctx: AppContext, count: int, *, smiths: int = 0) -> None:
    """``count`` clients (``smiths`` of them named Smith), inserted at once with their search rows."""
    now = datetime(2026, 3, 10, 10, 30)
    rows = [{"id": str(uuid.uuid4()), "given_name": f"Given{n:04d}", "family_name": "Smith" if n < smiths else
             f"Family{n:04d}", "address": f"{n} High Street", "created_at": now, "updated_at": now}
            for n in range(count)]
    with ctx.engine.begin() as conn:
        conn.execute(insert(m.Client.__table__), rows)
        conn.execute(insert(m.ClientSearch.__table__), [
            {"client_id": r["id"], **m.client_search_values(r["given_name"], r["family_name"], r["address"])}
            for r in rows])


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every call the screen makes to the client search service."""
    calls: list[dict[str, Any]] = []
    real = C.search_clients

    def spy(ctx: AppContext, search: str = "", **kwargs: Any) -> C.ClientPage:
        calls.append({"search": search, **kwargs})
        return real(ctx, search, **kwargs)

    monkeypatch.setattr(C, "search_clients", spy)
    return calls


def screen_on(session: Session, qtbot: QtBot) -> ClientListScreen:
    screen = ClientListScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1000, 600)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_a_thousand_clients_open_with_one_page_and_more_come_as_the_list_scrolls(
        session: Session, qtbot: QtBot, searches: list[dict[str, Any]]) -> None:
    bulk(session.ctx, 1000)
    screen = screen_on(session, qtbot)
    model = screen.model
    assert model.rowCount() == PAGE and model.canFetchMore() and len(searches) == 1
    assert screen.selected_id() == model.index(0, 0).data(ID_ROLE)
    bar = screen.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PAGE)
    assert searches[-1]["after"] is not None and searches[-1]["limit"] == PAGE
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)   # the last row: more come
    qtbot.waitUntil(lambda: model.rowCount() == 3 * PAGE)
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert shown == [c.display_name for c in C.search_clients(session.ctx, limit=3 * PAGE).clients]
    assert shown[:2] == ["Given0000 Family0000", "Given0001 Family0001"]


def test_typing_asks_the_service_once_the_typing_pauses(session: Session, qtbot: QtBot,
                                                         searches: list[dict[str, Any]]) -> None:
    bulk(session.ctx, 1000, smiths=30)
    screen = screen_on(session, qtbot)
    asked = len(searches)
    qtbot.keyClicks(screen.search, "smi")
    assert len(searches) == asked and screen.model.rowCount() == PAGE   # not yet: one query, not three
    qtbot.waitUntil(lambda: screen.model.search == "smi")
    assert [c["search"] for c in searches[asked:]] == ["smi"]
    assert screen.model.rowCount() == 30 and not screen.model.canFetchMore()
    assert screen.client_heading.text() == "<b>Given0000 Smith</b>"   # the first match is selected
    screen.search.setText("given0999 high")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)   # Enter searches at once
    assert [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())] == ["Given0999 Family0999"]
    screen.search.clear()
    qtbot.waitUntil(lambda: screen.model.rowCount() == PAGE)


def test_a_change_keeps_the_rows_loaded_and_the_selection_beyond_the_first_page(session: Session, qtbot: QtBot) -> None:
    bulk(session.ctx, 1000)
    screen = screen_on(session, qtbot)
    screen.model.fetchMore()
    screen.table.selectRow(PAGE + 50)
    chosen = screen.selected_id()
    assert chosen is not None
    session.call(C.update_client, chosen, phone="01234 567890")   # the change bus refreshes the list
    assert screen.model.rowCount() == 2 * PAGE and screen.selected_id() == chosen
    assert screen.table.currentIndex().row() == PAGE + 50


def test_deleted_clients_follow_the_last_page_of_live_ones(session: Session, qtbot: QtBot,
                                                           qtmodeltester: Any) -> None:
    bulk(session.ctx, PAGE + 50)
    gone = C.search_clients(session.ctx, "given0003").clients[0].id
    C.delete_client(session.ctx, gone)
    screen = screen_on(session, qtbot)
    screen.show_deleted.setChecked(True)
    model = screen.model
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE + 50 and not model.canFetchMore()
    assert model.index(PAGE + 49, 0).data() == "Given0003 Family0003 (deleted)" and screen.deleted_ids == {gone}
    screen.show_archived.setChecked(True)   # listed again from the top, a page at a time
    qtmodeltester.check(model)
