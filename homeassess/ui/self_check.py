"""The window half of ``homeassess --self-test`` (homeassess/self_test.py): the main window opens on
a visit and paints, which proves Qt, its platform plugin, styles and fonts load in this copy."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from homeassess.services.context import AppContext
from homeassess.ui.application import _application, build_window


def open_window_offscreen(ctx: AppContext, assessment_id: str, *, settings_dir: Path) -> str:
    """Open the main window on ``assessment_id``, paint it, close it; what was shown, or AssertionError.
    The window's own settings (last visit, sizes) go to ``settings_dir``, never the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    # The offscreen platform warns that it cannot honour window size hints: noise, not a failure.
    previous = qInstallMessageHandler(lambda _kind, _context, message: None if "propagateSizeHints" in message
                                      else sys.stderr.write(message + "\n"))
    app = _application()
    window = build_window(ctx)
    try:
        window.resize(1024, 600)
        window.show()
        if not window.open_visit(assessment_id):
            raise AssertionError("the visit did not open")
        for _ in range(5):
            app.processEvents()
        image = window.grab().toImage()
        if image.isNull() or image.width() < 100:
            raise AssertionError("the window did not paint")
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 23)}
        if len(colours) < 3:
            raise AssertionError("the window painted a blank image")
        return f"{image.width()}×{image.height()} on Qt's {QApplication.platformName()} platform"
    finally:
        window.session.pending.flush_all()
        window.session.tasks.shutdown()   # the window's background jobs end before the folder goes
        window.hide()
        window.deleteLater()
        app.processEvents()
        qInstallMessageHandler(previous)
