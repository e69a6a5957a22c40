"""Start the desktop app: QApplication, logging, crash handler, data folder, main window."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from homeassess.domain.errors import DatabaseDamagedError, DataFolderBusyError, HomeAssessError
from homeassess.logsetup import setup_logging
from homeassess.resources import icon_path
from homeassess.services.context import AppContext, open_context, resolve_data_dir, utc_now
from homeassess.services.data_folder import acquire, holding, release
from homeassess.services.photos import warm_up_workers
from homeassess.ui.errors import crash_dialog, error_dialog
from homeassess.ui.main_window import MainWindow
from homeassess.ui.single_instance import InstanceServer, ask_first_copy_to_come_forward
from homeassess.ui.session import Session
from homeassess.ui.tasks import TaskRunner
from homeassess.ui.widgets.style import APP_STYLE

log = logging.getLogger(__name__)


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
    bundled = getattr(sys, "_MEIPASS", None)   # a built app carries the libraries of the machine it was built on
    if getattr(sys, "frozen", False) and bundled and (Path(bundled) / library).exists():
        return True
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


def _cannot_open_window() -> bool:
    """Print what to install (instead of Qt's abort) when the xcb plugin cannot load."""
    if QApplication.instance() is None and (missing := missing_xcb_packages()):
        print(missing_libraries_message(missing), file=sys.stderr)
        return True
    return False


def _daily_backup(ctx: AppContext, *, progress: object, cancel: object) -> list[str]:
    from homeassess.services.backups import create_backups, daily_backup_due

    if ctx.is_server:   # a team server is backed up by its administrator, not by each computer
        return []
    now = ctx.clock.now()
    if not daily_backup_due(ctx, now):
        return []
    return create_backups(ctx, reason="daily", now=now).problems


def _report_backup_problems(window: MainWindow, problems: list[str]) -> None:
    if problems:
        window.statusBar().showMessage(f"Backup problem: {problems[0]}", 0)


def _backup_on_close(ctx: AppContext) -> None:
    from homeassess.services.backups import create_backups

    if ctx.is_server:
        return
    try:
        outcome = create_backups(ctx, reason="close", now=ctx.clock.now())
    except Exception:  # noqa: BLE001 - never stand in the way of closing; the log has the details
        log.exception("backup on close failed")
        return
    for problem in outcome.problems:
        log.warning("backup on close: %s", problem)


def _show_start_warnings(window: MainWindow, warnings: list[str]) -> None:
    for warning in warnings:
        error_dialog(window, "Your data folder is not private", warning,
                     "Anyone else who signs in to this computer could read your clients' records.").open()


def _restore_then_reopen(ctx: AppContext, backup_name: str) -> AppContext | None:
    """The window has closed for a restore chosen in Settings: restore, then open the restored data."""
    from homeassess.services.backups import restore

    ctx.close()
    try:
        result = restore(ctx.data_dir, backup_name, now=ctx.clock.now())
    except HomeAssessError as exc:
        error_dialog(None, "The backup was not restored", str(exc), "Your data is as it was before.").exec()
    else:
        aside = f" The data you had before is kept in {result.set_aside}." if result.set_aside else ""
        missing = (f" {len(result.photos_missing)} photo(s) were in neither the backup nor the photo folder."
                   if result.photos_missing else "")
        QMessageBox.information(None, "Backup restored",
                                f"The backup from {local_time(result.restored.created_at):%d %b %Y %H:%M} is restored "
                                f"({result.restored.clients} clients, {result.restored.visits} visits).{aside}{missing}")
    return _open_or_explain(ctx.data_dir)


def local_time(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone()


def run_application(ctx: AppContext, *, open_assessment: str | None = None) -> int:
    if _cannot_open_window():
        return 1
    app = _application()
    log_dir = ctx.data_dir / "logs"
    setup_logging(log_dir)
    with holding(ctx.data_dir, wait=0, what="the HomeAssess app"):
        while True:
            window = build_window(ctx)
            InstanceServer(ctx.data_dir, window)
            _install_excepthook(window, log_dir)
            window.show_initial()
            window.session.tasks.submit(warm_up_workers, on_success=lambda _r: None,
                                        on_error=lambda e: log.warning("photo workers did not start: %s", e))
            window.session.tasks.submit(partial(_daily_backup, ctx),
                                        on_success=lambda p, w=window: _report_backup_problems(w, p),
                                        on_error=lambda e: log.warning("daily backup failed: %s", e))
            if open_assessment:
                QTimer.singleShot(0, lambda w=window: w.open_visit(open_assessment))
            else:
                QTimer.singleShot(0, window.reopen_last_visit)
            QTimer.singleShot(0, window.ask_country_if_first_run)
            QTimer.singleShot(0, lambda w=window, c=ctx: _show_start_warnings(w, c.warnings))
            code = app.exec()
            if window.restore_requested is None:
                _backup_on_close(ctx)
                ctx.close()
                return code
            reopened = _restore_then_reopen(ctx, window.restore_requested)
            if reopened is None:
                return 1
            ctx, open_assessment = reopened, None


def _open_or_explain(data_dir: Path) -> AppContext | None:
    """Open the data folder; a damaged database is explained and the newest good backup offered."""
    from homeassess.services.backups import restore

    while True:
        try:
            return open_context(data_dir)
        except DatabaseDamagedError as exc:
            if exc.newest_backup is None:
                error_dialog(None, "The HomeAssess database is damaged", str(exc),
                             "The file has not been changed. Keep a copy for IT support, or start HomeAssess with "
                             "--data-dir pointing to another folder.").exec()
                return None
            if not offer_restore(exc):
                return None
            try:
                restore(data_dir, exc.newest_backup, now=utc_now())
            except HomeAssessError as failed:
                error_dialog(None, "The backup was not restored", str(failed), "Nothing was changed.").exec()
                return None
        except HomeAssessError as exc:
            error_dialog(None, "HomeAssess cannot open its data", str(exc),
                         "Check the data folder, or start HomeAssess with --data-dir pointing elsewhere.").exec()
            return None


def offer_restore(error: DatabaseDamagedError) -> bool:
    """Ask before restoring: the damaged file is set aside (kept), never deleted."""
    box = QMessageBox(QMessageBox.Icon.Critical, "The HomeAssess database is damaged", error.problem)
    box.setObjectName("damagedDatabase")
    box.setInformativeText(f"Nothing has been changed. You can restore the newest good backup "
                           f"({error.described}); the damaged file will be kept in the set-aside folder "
                           "for whoever looks into it.")
    restore = box.addButton("Restore the backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is restore


def server_at_start(database_url: str | None) -> str | None:
    """``--database-url`` / HOMEASSESS_DATABASE_URL, else Settings > Team's "open the team server when
    HomeAssess starts" (an office computer)."""
    if database_url:
        return database_url
    settings = QSettings()
    if settings.value("team/open_at_start", False, type=bool):
        return str(settings.value("team/server_url", "") or "") or None
    return None


def _open_server_or_explain(folder: Path, url: str) -> AppContext | None:
    """Open the team server; ask for a password when it wants one; when it cannot be reached, offer
    this computer's own data instead (the therapist can still work)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from homeassess.services.context import ServerLoginError
    from homeassess.services.team import server_address

    password: str | None = None
    for _attempt in range(3):
        try:
            return open_context(folder, database_url=url, password=password)
        except HomeAssessError as exc:
            if isinstance(exc, ServerLoginError):
                text, ok = QInputDialog.getText(None, "Team server password",
                                                f"Password for the team server\n{server_address(url)}",
                                                QLineEdit.EchoMode.Password)
                if not ok:
                    return None
                password = text
                continue
            box = QMessageBox(QMessageBox.Icon.Warning, "The team server cannot be used", str(exc))
            box.setObjectName("serverUnavailable")
            box.setInformativeText("You can work on this computer's own data now, and use the team server later.")
            local = box.addButton("Work on this computer's data", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            return _open_or_explain(folder) if box.clickedButton() is local else None
    error_dialog(None, "The team server did not accept the password", "Three attempts failed.",
                 "Check the user name and password with whoever runs the server.").exec()
    return None


def main(data_dir: str | None = None, database_url: str | None = None) -> int:
    if _cannot_open_window():
        return 1
    app = _application()
    folder = resolve_data_dir(data_dir)
    server = server_at_start(database_url)
    try:
        acquire(folder, wait=0, what="the HomeAssess app")
    except HomeAssessError as exc:
        brought = isinstance(exc, DataFolderBusyError) and ask_first_copy_to_come_forward(folder)
        error_dialog(None, "HomeAssess is already open",
                     "HomeAssess is already open on this data folder"
                     + (": its window has been brought to the front." if brought else "."), str(exc)).exec()
        return 1
    try:
        ctx = _open_server_or_explain(folder, server) if server else _open_or_explain(folder)
        if ctx is None:
            return 1
        del app
        return run_application(ctx)
    finally:
        release(folder)
