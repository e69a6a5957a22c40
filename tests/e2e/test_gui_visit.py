"""The whole visit through the real window: client, visit, three rooms, answers by mouse and
keyboard, findings, accepted recommendations and the family report (real background runner)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from homeassess.domain.checklist import ItemKind
from homeassess.services import assessments as A
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.new_visit import NewVisitDialog
from homeassess.ui.session import Session
from homeassess.ui.tasks import TaskRunner

pytestmark = [pytest.mark.e2e, pytest.mark.gui]


def hazard_when_no(ctx: AppContext, room_type: str) -> list[str]:
    """Yes/no items of a room whose general (any client) check fires on 'no'."""
    checklist = ctx.registry.latest(room_type)
    return [i.id for i in checklist.items if i.kind is ItemKind.YES_NO and i.show_if is None
            and any("no" in c.when and not c.client_any for c in i.checks)]


@pytest.fixture
def real_window(ctx: AppContext, qtbot: QtBot) -> MainWindow:
    session = Session(ctx, TaskRunner())
    session.show_dialogs = False
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    yield window
    session.tasks.shutdown()


def test_whole_visit_through_the_window(real_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctx = real_window, real_window.session.ctx
    qtbot.mouseClick(window.findChild(QPushButton, "firstRunNewClient"), Qt.MouseButton.LeftButton)
    editor = window.editor
    editor.texts["given_name"].widget.setText("Zoë")
    editor.texts["family_name"].widget.setText("Ångström-Nuñez")
    editor.texts["family_name"].flush()
    editor.falls.setValue(1)
    assert editor.client_id is not None

    monkeypatch.setattr(NewVisitDialog, "ask", classmethod(lambda cls, parent, defaults: {
        "kind": "home", "standard": "UK", "units": "metric", "therapist_name": "Sam Patel",
        "therapist_registration": "OT61234", "organisation": "Community OT"}))
    qtbot.mouseClick(editor.visit_button, Qt.MouseButton.LeftButton)
    visit_id = window.visit.assessment_id
    assert visit_id is not None and window.screens.currentWidget() is window.visit

    overview = window.visit.overview
    add = overview.findChild(QPushButton, "addRoomButton")
    for room_type in ("stairs", "bathroom", "toilet"):
        overview.room_type.setCurrentIndex(overview.room_type.findData(room_type))
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    rooms = A.list_rooms(ctx, visit_id)
    assert [r.room_type for r in rooms] == ["stairs", "bathroom", "toilet"]

    window.visit.show_room_at(0)
    room_editor = window.visit.room_editor
    by_mouse, by_key = hazard_when_no(ctx, "stairs")[:2]
    qtbot.mouseClick(room_editor.widgets[by_mouse].buttons["no"], Qt.MouseButton.LeftButton)
    room_editor.set_current(by_key)
    qtbot.keyClick(room_editor, Qt.Key.Key_N)
    assert room_editor.widgets[by_mouse].finding.isVisible()
    assert room_editor.widgets[by_key].finding.isVisible()
    assert room_editor.findings.count() >= 2
    window.visit.show_room_at(1)
    bathroom_item = hazard_when_no(ctx, "bathroom")[0]
    qtbot.mouseClick(room_editor.widgets[bathroom_item].buttons["no"], Qt.MouseButton.LeftButton)
    assert len(R.list_findings(ctx, visit_id)) >= 3

    window.visit.show_recommendations()
    screen = window.visit.recommendations
    for _ in range(3):
        qtbot.mouseClick(screen.status_buttons["agreed"], Qt.MouseButton.LeftButton)
        below = screen.tree.itemBelow(screen.tree.currentItem())
        while below is not None and below.data(0, Qt.ItemDataRole.UserRole) is None:
            below = screen.tree.itemBelow(below)
        if below is None:
            break
        screen.tree.setCurrentItem(below)
    accepted = [r for r in R.list_recommendations(ctx, visit_id) if r.status == "agreed"]
    assert len(accepted) >= 2

    window.visit.show_report()
    report = window.visit.report
    with qtbot.waitSignal(report.report_finished, timeout=60000) as blocker:
        qtbot.mouseClick(report.generate, Qt.MouseButton.LeftButton)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(Path(blocker.args[0])).pages).split())
    assert "Zoë Ångström-Nuñez" in text
    assert accepted[0].title in text
    assert "Why:" in text and report.document.pageCount() >= 1
