"""Start the desktop app: QApplication, logging, crash handler, data folder, main window."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from homeassess.domain.errors import HomeAssessError
from homeassess.resources import icon_path
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


# What Qt's X11 ("xcb") platform plugin loads, and the Debian/Ubuntu package that ships each library.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1", "libxcb.so.1": "libxcb1",
}


def missing_xcb_packages(platform: str = sys.platform, environ: dict[str, str] | None = None,
                         can_load: Callable[[str], bool] | None = None) -> list[str]:
    """On Linux with no platform forced (QT_QPA_PLATFORM unset or "xcb"), the packages whose libraries
    Qt's xcb plugin needs but cannot load. Checked before QApplication exists, because Qt aborts."""
    environ = os.environ if environ is None else environ
    forced = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if not platform.startswith("linux") or (forced and forced != "xcb"):
        return []
    if not forced and not environ.get("DISPLAY") and environ.get("WAYLAND_DISPLAY"):
        return []  # a Wayland session without XWayland: Qt uses its Wayland plugin
    can_load = can_load or _can_load
    return [package for library, package in XCB_LIBRARIES.items() if not can_load(library)]


def _can_load(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return ctypes.util.find_library(library.removeprefix("lib").split(".so")[0]) is not None
    return True


def missing_libraries_message(packages: list[str]) -> str:
    return ("HomeAssess cannot open its window: the desktop (X11/xcb) libraries Qt needs are not installed.\n"
            "On Debian or Ubuntu install them with:\n\n"
            f"    sudo apt install {' '.join(packages)}\n\n"
            "On Fedora: sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms xcb-util-image "
            "xcb-util-renderutil libxkbcommon-x11\n"
            "(The command line, e.g. `homeassess demo`, works without them.)")


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    QCoreApplication.setOrganizationName("HomeAssess")
    QCoreApplication.setApplicationName("HomeAssess")
    app.setStyleSheet(APP_STYLE)
    app.setWindowIcon(QIcon(icon_path(256)))   # the HomeAssess mark, resources/icons/
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


def _cannot_open_window() -> bool:
    """Print what to install (instead of Qt's abort) when the xcb plugin cannot load."""
    if QApplication.instance() is None and (missing := missing_xcb_packages()):
        print(missing_libraries_message(missing), file=sys.stderr)
        return True
    return False


def run_application(ctx: AppContext, *, open_assessment: str | None = None) -> int:
    if _cannot_open_window():
        return 1
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
    else:
        QTimer.singleShot(0, window.reopen_last_visit)
    QTimer.singleShot(0, window.ask_country_if_first_run)
    return app.exec()


def main(data_dir: str | None = None) -> int:
    if _cannot_open_window():
        return 1
    app = _application()
    try:
        ctx = open_context(resolve_data_dir(data_dir))
    except HomeAssessError as exc:
        box = error_dialog(None, "HomeAssess cannot open its data", str(exc),
                           "Check the data folder, or start HomeAssess with --data-dir pointing elsewhere.")
        return box.exec() and 1
    del app
    return run_application(ctx)
