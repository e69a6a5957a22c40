"""Start the desktop app: QApplication, logging, crash handler, data folder, main window."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from homeassess.domain.errors import HomeAssessError
from homeassess.services.context import AppContext, open_context, resolve_data_dir
from homeassess.ui.errors import crash_dialog, error_dialog
from homeassess.ui.main_window import MainWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import TaskRunner
from homeassess.ui.widgets.style import APP_STYLE

log = logging.getLogger(__name__)


def _setup_logging(log_dir: Path) -> None:
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(log_dir / "homeassess.log", maxBytes=1_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    QCoreApplication.setOrganizationName("HomeAssess")
    QCoreApplication.setApplicationName("HomeAssess")
    app.setStyleSheet(APP_STYLE)
    return app


def build_window(ctx: AppContext) -> MainWindow:
    session = Session(ctx, TaskRunner())
    return MainWindow(session)


def _install_excepthook(window: MainWindow, log_dir: Path) -> None:
    def hook(exc_type, exc, tb):  # noqa: ANN001
        window.session.pending.flush_all()
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        crash_dialog(window, exc, log_dir).open()

    sys.excepthook = hook


def _warm_up_photo_workers(*, progress: object, cancel: object) -> None:
    from homeassess.storage.photos import warm_up

    warm_up()


def run_application(ctx: AppContext, *, open_assessment: str | None = None) -> int:
    app = _application()
    log_dir = ctx.data_dir / "logs"
    _setup_logging(log_dir)
    window = build_window(ctx)
    _install_excepthook(window, log_dir)
    window.show_initial()
    window.session.tasks.submit(_warm_up_photo_workers, on_success=lambda _r: None,
                                on_error=lambda e: log.warning("photo workers did not start: %s", e))
    if open_assessment:
        QTimer.singleShot(0, lambda: window.open_visit(open_assessment))
    return app.exec()


def main(data_dir: str | None = None) -> int:
    app = _application()
    try:
        ctx = open_context(resolve_data_dir(data_dir))
    except HomeAssessError as exc:
        box = error_dialog(None, "HomeAssess cannot open its data", str(exc),
                           "Check the data folder, or start HomeAssess with --data-dir pointing elsewhere.")
        return box.exec() and 1
    del app
    return run_application(ctx)
