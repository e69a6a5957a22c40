"""One recommendation with options: the app's pick and why, switching with the mouse, undo."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner


def test_door_options_preselect_hinges_and_switch_with_undo(ctx: AppContext, qtbot: QtBot) -> None:
    window = MainWindow(Session(ctx, SynchronousTaskRunner()))
    qtbot.addWidget(window)
    window.show()
    client, _ = C.create_client(ctx, given_name="Ray", family_name="Okafor", mobility_aid="manual_wheelchair",
                                aid_width_mm=640, aid_length_mm=1050)
    visit, _ = A.create_assessment(ctx, client.id, standard="US")
    room, _ = A.add_room(ctx, visit.id, "bathroom")
    A.set_answer(ctx, room.id, "bathroom.door_width", number=720)   # needs 640 + 2 × 50 = 740: 20 mm short
    window.open_visit(visit.id)
    window.visit.show_recommendations()
    screen = window.visit.recommendations
    rec = next(r for r in screen.recs.values() if r.options)
    item = next(screen.tree.topLevelItem(t).child(c) for t in range(screen.tree.topLevelItemCount())
                for c in range(screen.tree.topLevelItem(t).childCount())
                if screen.tree.topLevelItem(t).child(c).data(0, 256) == rec.id)
    screen.tree.setCurrentItem(item)
    assert screen.options_box.isVisible()
    assert screen.option.currentText() == "Fit swing-clear hinges to gain door width"
    assert "20 mm short" in screen.option_why.text() and "Widen the doorway" in screen.option_why.text()

    widen = screen.option.findData("rec.choices.widen_doorway")
    screen.option.setCurrentIndex(widen)
    screen.option.activated.emit(widen)
    now = R.list_recommendations(ctx, visit.id)
    changed = next(r for r in now if r.id == rec.id)
    assert changed.template_id == "rec.choices.widen_doorway" and changed.title == "Widen the doorway"
    assert screen.option_reset.isVisible()

    window.undo_action.trigger()
    back = next(r for r in R.list_recommendations(ctx, visit.id) if r.id == rec.id)
    assert back.template_id == "rec.choices.swing_clear_hinges" and not back.choice_reason.startswith("Chosen by")
