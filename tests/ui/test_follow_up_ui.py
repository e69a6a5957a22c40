"""Follow-up review and lifecycle in the real window: every change saves at once and undoes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTreeWidgetItemIterator

from homeassess.services import followup as F
from homeassess.services import recommendations as R
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.overdue import OverdueDialog


def start_review(window: MainWindow) -> str:
    window.visit.show_overview()
    window.visit.overview.follow_up_button.click()
    assert window.visit.pages.currentWidget().widget() is window.visit.follow_up
    assert window.visit.nav["follow_up"].isVisibleTo(window)
    return window.visit.assessment_id


def test_follow_up_review_outcomes_goals_and_measures_with_undo(demo_window: tuple[MainWindow, str]) -> None:
    window, first_id = demo_window
    follow_up_id = start_review(window)
    assert follow_up_id != first_id
    screen = window.visit.follow_up
    assert screen.table.rowCount() == len(R.list_findings(window.session.ctx, first_id))
    combo: QComboBox = screen.table.cellWidget(0, 3)
    combo.setCurrentIndex(combo.findData("resolved"))
    combo.activated.emit(combo.currentIndex())
    assert F.follow_up_view(window.session.ctx, follow_up_id).findings[0].outcome.value == "resolved"
    goal_combo: QComboBox = screen.findChild(QComboBox, "goalLevel_0")
    goal_combo.setCurrentIndex(goal_combo.findData(1))
    goal_combo.activated.emit(goal_combo.currentIndex())
    assert "GAS T-score" in screen.t_score.text()
    assert F.follow_up_view(window.session.ctx, follow_up_id).goals[0].level == 1
    screen.falls.setValue(2)
    screen.falls.editingFinished.emit()
    screen.fes.setValue(31)
    screen.fes.editingFinished.emit()
    view = F.follow_up_view(window.session.ctx, follow_up_id)
    assert (view.falls_since, view.fes_i_now) == (2, 31) and "high concern" in screen.fes_band.text()
    for _ in range(4):
        window.undo_action.trigger()
    view = F.follow_up_view(window.session.ctx, follow_up_id)
    assert view.findings[0].outcome is None and view.goals[0].level is None
    assert (view.falls_since, view.fes_i_now) == (None, None)


def test_lifecycle_buttons_follow_the_allowed_moves_and_undo(demo_window: tuple[MainWindow, str]) -> None:
    window, first_id = demo_window
    window.visit.show_recommendations()
    screen = window.visit.recommendations
    seat = next(r for r in R.list_recommendations(window.session.ctx, first_id)
                if r.template_id == "rec.toilet.raised_seat")
    it = QTreeWidgetItemIterator(screen.tree)
    while it.value():
        if it.value().data(0, Qt.ItemDataRole.UserRole) == seat.id:
            screen.tree.setCurrentItem(it.value())
        it += 1
    buttons = screen.status_buttons
    assert buttons["ordered"].isEnabled() and not buttons["in_use"].isEnabled()
    buttons["ordered"].click()
    assert R.list_recommendations(window.session.ctx, first_id)  # still readable
    current = next(r for r in R.list_recommendations(window.session.ctx, first_id) if r.id == seat.id)
    assert current.status == "ordered" and "Ordered" in screen.history.text()
    screen._set_status("removed")
    assert screen.status_error.isVisible() and "cannot become removed" in screen.status_error.text()
    buttons["installed"].click()
    assert next(r for r in R.list_recommendations(window.session.ctx, first_id) if r.id == seat.id).status == "installed"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert next(r for r in R.list_recommendations(window.session.ctx, first_id) if r.id == seat.id).status == "agreed"


def test_overdue_dialog_lists_waiting_items_and_opens_the_visit(demo_window: tuple[MainWindow, str]) -> None:
    window, first_id = demo_window
    dialog = OverdueDialog(window.session, window)
    assert dialog.table.rowCount() == 0 and dialog.status.text() == "Nothing is overdue."
    # Move the agreement dates back eight weeks, as if the visit were two months ago.
    from datetime import timedelta

    from homeassess.db import models as m

    with window.session.ctx.uow() as uow:
        for event in uow.session.query(m.RecommendationEvent):
            event.on_date -= timedelta(weeks=8)
        for visit in uow.session.query(m.Assessment):
            visit.visit_date -= timedelta(weeks=8)
    dialog.refresh()
    assert dialog.table.rowCount() > 0 and dialog.table.item(0, 0).text() == "Zoë Ångström-Nuñez"
    opened = []
    dialog.visit_requested.connect(opened.append)
    dialog.table.selectRow(0)
    dialog._open(0)
    assert opened == [first_id]


def test_goal_scale_and_fes_i_at_the_first_visit(demo_window: tuple[MainWindow, str], monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QDialog

    from homeassess.services import clients as C
    from homeassess.services.assessments import get_assessment
    from homeassess.ui.screens.follow_up import GasScaleDialog
    from homeassess.ui.widgets.goals import GoalRow

    window, first_id = demo_window
    overview = window.visit.overview
    overview.fes_i.setValue(30)
    overview.fes_i.editingFinished.emit()
    assert get_assessment(window.session.ctx, first_id).fes_i_total == 30
    client_id = get_assessment(window.session.ctx, first_id).client_id
    window.show_client(client_id)
    row = window.editor.findChildren(GoalRow)[0]

    def fake_exec(dialog: GasScaleDialog) -> int:
        dialog.edits[0].setText("Showers with her daughter nearby")
        dialog.weight.setValue(3)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(GasScaleDialog, "exec", fake_exec)
    row._edit_scale()
    goal = C.get_client(window.session.ctx, client_id).goals[0]
    assert goal.gas_levels["0"] == "Showers with her daughter nearby" and goal.weight == 3


def test_follow_up_moves_the_first_visits_recommendations_along(demo_window: tuple[MainWindow, str]) -> None:
    window, first_id = demo_window
    start_review(window)
    screen = window.visit.follow_up
    row = next(n for n, r in enumerate(screen.view.findings) if r.finding.title.startswith("Toilet too low"))
    screen.table.selectRow(row)
    combo: QComboBox = screen.findChild(QComboBox, "recStatus_0")
    rec_title = screen.view.findings[row].recommendations[0].title
    assert combo.itemText(0).startswith(rec_title) and combo.findData("ordered") > 0
    combo.setCurrentIndex(combo.findData("ordered"))
    combo.activated.emit(combo.currentIndex())
    status = {r.title: r.status for r in R.list_recommendations(window.session.ctx, first_id)}
    assert status[rec_title] == "ordered"
    window.undo_action.trigger()
    status = {r.title: r.status for r in R.list_recommendations(window.session.ctx, first_id)}
    assert status[rec_title] == "agreed"
