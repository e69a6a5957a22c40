"""Qt fixtures: a main window on a temporary data dir with a synchronous task runner."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner


@pytest.fixture(autouse=True)
def fresh_window_settings() -> None:
    """Each test's window starts at its first-run size: a window another test closed (and whose
    size QSettings kept) must not decide what is on screen here."""
    from PySide6.QtCore import QSettings

    QSettings().clear()


@pytest.fixture
def session(fixture_ctx: AppContext, qtbot: QtBot) -> Session:
    session = Session(fixture_ctx, SynchronousTaskRunner())
    session.show_dialogs = False
    return session


@pytest.fixture
def window(session: Session, qtbot: QtBot) -> MainWindow:
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def demo_window(demo_ctx: tuple[AppContext, str], qtbot: QtBot) -> tuple[MainWindow, str]:
    """The main window on a copy of the demo visit (real checklists and catalogue), opened."""
    ctx, assessment_id = demo_ctx
    session = Session(ctx, SynchronousTaskRunner())
    session.show_dialogs = False
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    win.open_visit(assessment_id)
    return win, assessment_id
