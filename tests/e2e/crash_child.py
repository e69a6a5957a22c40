"""Child process for the kill test: opens the real window, makes edits through it, reports each.

It prints one line per committed edit and then waits to be killed with SIGKILL.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from homeassess.checklists.registry import Registry  # noqa: E402
from homeassess.services import assessments as A  # noqa: E402
from homeassess.services.context import open_context  # noqa: E402
from homeassess.ui.application import _application, build_window  # noqa: E402

FIXTURES = Path(__file__).parents[1] / "fixtures" / "checklists" / "good"


def main(data_dir: str) -> None:
    app = _application()
    registry = Registry.load([FIXTURES / "demo_room.v1.toml"], [FIXTURES / "demo.v1.toml"])
    window = build_window(open_context(Path(data_dir), registry=registry))
    window.show()
    window.new_client()
    editor = window.editor
    editor.texts["given_name"].widget.setText("Zoë")
    editor.texts["family_name"].widget.setText("Ångström-Nuñez")
    editor.texts["family_name"].flush()
    print("client", editor.client_id, flush=True)
    QTest.keyClicks(editor.texts["phone"].widget, "01865 555 0142")
    editor.texts["phone"].flush()
    print("phone", flush=True)
    visit = A.create_assessment(window.session.ctx, editor.client_id)[0]
    window.open_visit(visit.id)
    window.visit.overview._add_room()
    room = A.list_rooms(window.session.ctx, visit.id)[0]
    window.visit.show_room(room.id)
    rooms = window.visit.room_editor
    rooms.set_current("demo_room.rail")
    QTest.keyClick(rooms, Qt.Key.Key_N)
    print("answer", room.id, flush=True)
    door = rooms.widgets["demo_room.door_width"]
    QTest.keyClicks(door.entry, "760")
    QTest.keyClick(door.entry, Qt.Key.Key_Return)
    print("measure", flush=True)
    QTest.keyClicks(door.note, "Door stop could come off")
    door.note_editor.flush()
    print("note", flush=True)
    print("ready", flush=True)
    while True:
        app.processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    main(sys.argv[1])
