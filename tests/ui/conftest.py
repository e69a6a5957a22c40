"""Qt fixtures: a main window on a temporary data dir with a synchronous task runner."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner


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
