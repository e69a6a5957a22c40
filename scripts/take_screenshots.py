"""Screenshots of every screen from the real app, for docs/screenshots/ and visual review.

Run under a virtual screen, e.g.:
    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/take_screenshots.py docs/screenshots/1366x728 1366x728
or QT_QPA_PLATFORM=offscreen. The size is the window's (a 1024 × 600 tablet: 1024x600; a 1366 × 768 laptop
less its taskbar: 1366x728); dialogs are shown as big as they ask for, within it (less a title bar).
Set QT_SCALE_FACTOR=2 to check 200 % scaling.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from homeassess.services import assessments as A
from homeassess.services.context import open_context
from homeassess.services.demo import create_demo
from homeassess.ui.application import _application, build_window


def settle(app: QApplication, ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(out_dir: str, size: str = "1366x768") -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in size.split("x"))
    app = _application()
    data = Path(tempfile.mkdtemp()) / "data"
    empty = build_window(open_context(data))
    empty.resize(width, height)
    empty.show()
    settle(app)
    empty.grab().save(str(out / "01-first-run.png"))
    empty.close()
    ctx = open_context(data)
    assessment_id = create_demo(ctx)
    window = build_window(ctx)
    window.resize(width, height)
    window.show()
    visit = A.get_assessment(ctx, assessment_id)
    rooms = A.list_rooms(ctx, assessment_id)
    bathroom = next(r for r in rooms if r.room_type == "bathroom")
    shots = {
        "02-client-list": lambda: window.show_clients(),
        "03-client-profile": lambda: window.show_client(visit.client_id),
        "04-visit-overview": lambda: window.open_visit(assessment_id),
        "05-room-editor": lambda: window.visit.show_room(bathroom.id),
        "06-recommendations": lambda: window.visit.show_recommendations(),
        "07-report": lambda: (window.visit.show_report(), window.visit.report.start()),
    }
    for name, show in shots.items():
        show()
        settle(app, 2500 if name == "07-report" else 400)
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
    _equipment_shots(app, window, ctx, assessment_id, out, width, height)
    _dialog_shots(app, window, ctx, assessment_id, out, width, height)
    _follow_up_shots(app, window, ctx, out, width, height)
    shots_dir = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "photos"
    if shots_dir.is_dir():
        from homeassess.services import photos as P
        from homeassess.ui.screens.annotation_editor import AnnotationEditor
        from PySide6.QtGui import QPixmap

        files = [shots_dir / n for n in ("iphone13promax_kitchen.heic", "orientation_1.jpg", "canon_sx60_orient6.jpg")]
        views, _ = P.add_photos(ctx, assessment_id, bathroom.name, files)
        P.link_photo(ctx, views[0].id, room_id=bathroom.id, item_id="bathroom.bath_transfer")
        P.set_caption(ctx, views[0].id, "Phone photo, marked up (test image)")
        P.set_annotations(ctx, views[0].id, [
            {"kind": "ellipse", "points": [[0.25, 0.55], [0.75, 0.8]], "colour": "#E11D48"},
            {"kind": "measure", "points": [[0.2, 0.9], [0.8, 0.9]], "text": "gap 190 mm"}])
        window.visit.show_room(bathroom.id)
        settle(app, 1500)
        window.grab().save(str(out / "08-room-photos.png"))
        photo = P.list_photos(ctx, assessment_id, bathroom.id)[0]
        editor = AnnotationEditor(window, QPixmap(str(ctx.photo_store.fitted(photo.sha256, 1600))),
                                  list(photo.annotations))
        editor.resize(min(width, 1000), min(height - 40, 720))
        editor.show()
        settle(app, 500)
        editor.grab().save(str(out / "09-annotation-editor.png"))
        editor.close()
    window.session.tasks.shutdown()


def _equipment_shots(app, window, ctx, assessment_id, out, width, height) -> None:  # noqa: ANN001
    """Recommendation with its order line, the costs screen, the catalogue and the order list."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator
    from PySide6.QtCore import Qt

    from homeassess.services import recommendations as R
    from homeassess.ui.screens.catalogue import CatalogueDialog

    seat = next(r for r in R.list_recommendations(ctx, assessment_id) if r.template_id == "rec.toilet.raised_seat")
    window.visit.show_recommendations()
    tree = window.visit.recommendations.tree
    it = QTreeWidgetItemIterator(tree)
    while it.value():
        if it.value().data(0, Qt.ItemDataRole.UserRole) == seat.id:
            tree.setCurrentItem(it.value())
        it += 1
    settle(app, 400)
    window.grab().save(str(out / "10-order-line.png"))
    window.visit.show_costs()
    settle(app, 400)
    window.grab().save(str(out / "11-costs.png"))
    dialog = CatalogueDialog(window.session, window)
    dialog.search.setText("toilet")
    dialog.resize(min(width, 1200), min(height - 40, 700))
    dialog.show()
    dialog.table.selectRow(1)
    settle(app, 400)
    dialog.grab().save(str(out / "12-catalogue.png"))
    dialog.close()
    window.visit.show_report()
    window.visit.report.start("orders")
    settle(app, 2500)
    window.grab().save(str(out / "13-order-report.png"))


def _dialog_shots(app, window, ctx, assessment_id, out, width, height) -> None:  # noqa: ANN001
    """Settings, consent, finish visit, the phone import's room question and backups, each as big as the
    screen allows."""
    from types import SimpleNamespace

    from homeassess.ui.screens.consent import ConsentDialog
    from homeassess.ui.screens.phone_import import RoomAssignmentDialog
    from homeassess.ui.screens.sign_off import FinishVisitDialog

    rooms = [(r.id, r.name) for r in A.list_rooms(ctx, assessment_id)]
    photos = [(SimpleNamespace(original_filename=f"IMG_20{n}.HEIC", taken_at=None), None, rooms[n][0])
              for n in range(4)]
    dialogs = {
        "17-settings": lambda: window.show_settings(),
        "18-consent": lambda: ConsentDialog(window.session, assessment_id, window),
        "19-finish-visit": lambda: FinishVisitDialog(window.session, assessment_id, window),
        "20-phone-import": lambda: RoomAssignmentDialog(window, photos, rooms, []),
        "21-backups": lambda: _backups(window, ctx),
        "22-history": lambda: window.show_history("visit", assessment_id),
    }
    for name, make in dialogs.items():
        dialog = make()
        dialog.show()
        settle(app, 100)
        dialog.resize(min(dialog.width(), width), min(dialog.height(), height - 40))  # below a title bar
        settle(app, 300)
        dialog.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
        dialog.close()


def _backups(window, ctx):  # noqa: ANN001, ANN202
    """File ▸ Backups… with a few backups of different kinds (made a day apart, oldest first)."""
    from datetime import timedelta

    from homeassess.services import backups as B

    now = ctx.clock.now()
    for days, reason in ((9, "before-upgrade"), (2, "daily"), (1, "close"), (0, "manual")):
        B.create_backups(ctx, reason=reason, now=now - timedelta(days=days))
    return window.show_backups()


def _follow_up_shots(app, window, ctx, out, width, height) -> None:  # noqa: ANN001
    """The review visit 13 weeks on: outcomes, before/after, goals; and the overdue list."""
    from homeassess.services.demo_followup import create_follow_up_demo
    from homeassess.ui.screens.overdue import OverdueDialog

    _first, follow_up_id = create_follow_up_demo(ctx)
    window.open_visit(follow_up_id)
    window.visit.show_follow_up()
    screen = window.visit.follow_up
    for row, review in enumerate(screen.view.findings):
        if review.before and review.after:
            screen.table.selectRow(row)
            break
    settle(app, 1200)
    window.grab().save(str(out / "14-follow-up.png"))
    window.visit.show_report()
    window.visit.report.start("progress")
    settle(app, 3000)
    window.grab().save(str(out / "15-progress-report.png"))
    dialog = OverdueDialog(window.session, window)
    dialog.show()
    dialog.resize(min(dialog.width(), width), min(dialog.height(), height - 40))
    settle(app, 400)
    dialog.grab().save(str(out / "16-overdue.png"))
    dialog.close()


if __name__ == "__main__":  # guard needed: photo workers are spawned processes
    main(*sys.argv[1:])
    from homeassess.storage.photos import shutdown_workers

    shutdown_workers()
    os._exit(0)  # skip PySide teardown at exit (can crash in 6.12); files are written
