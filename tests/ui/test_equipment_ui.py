"""Order line, costs screen and catalogue browser in the real window: edits save at once and undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItemIterator
from pytestqt.qtbot import QtBot

from homeassess.services import costs
from homeassess.services import recommendations as R
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.catalogue import CatalogueDialog


def select_rec(window: MainWindow, template_id: str) -> str:
    window.visit.show_recommendations()
    screen = window.visit.recommendations
    rec = next(r for r in R.list_recommendations(window.session.ctx, window.visit.assessment_id)
               if r.template_id == template_id)
    it = QTreeWidgetItemIterator(screen.tree)
    while it.value():
        if it.value().data(0, Qt.ItemDataRole.UserRole) == rec.id:
            screen.tree.setCurrentItem(it.value())
        it += 1
    return rec.id


def test_order_line_shows_product_and_sizing_and_edits_undo(demo_window: tuple[MainWindow, str],
                                                            qtbot: QtBot) -> None:
    window, _ = demo_window
    rec_id = select_rec(window, "rec.toilet.raised_seat")
    panel = window.visit.recommendations.order_panel
    assert "TVM-RTS-150A" in panel.product.text()
    assert "140 mm raise" in panel.sizing.text() and "£38.95 from the product" in panel.cost.placeholderText()
    panel.texts["fit_location"].widget.setFocus()
    qtbot.keyClicks(panel.texts["fit_location"].widget, "Clamp to pan, lid removed")
    panel.texts["fit_location"].flush()
    panel.cost.setText("45")
    panel.cost_editor.flush()
    panel.funding.setCurrentIndex(panel.funding.findData("self"))
    panel._push_if_changed("funding_route", "self")
    line = costs.order_line(window.session.ctx, rec_id)
    assert (line.fit_location, line.cost_estimate, line.funding_route) == ("Clamp to pan, lid removed", 45, "self")
    panel.cost.setText("lots")
    panel.cost_editor.flush()
    assert panel.error.isVisible() and "not a number" in panel.error.text()
    for _ in range(3):
        window.undo_action.trigger()
    line = costs.order_line(window.session.ctx, rec_id)
    assert (line.fit_location, line.estimate_from, line.funding_route) == ("", "product", "")


def test_costs_screen_totals_budget_and_header(demo_window: tuple[MainWindow, str]) -> None:
    window, visit_id = demo_window
    window.visit.show_costs()
    screen = window.visit.costs
    assert "Total £" in screen.totals.text() and "Community equipment service" in screen.totals.text()
    screen.cap.setText("250")
    screen.cap_editor.flush()
    assert "Within the cap" in screen.plan.text() and "Outside the cap" in screen.plan.text()
    assert costs.cost_summary(window.session.ctx, visit_id).budget.cap == 250
    alerts = screen.texts["safety_alerts"]
    alerts.widget.setPlainText("Two large dogs")
    alerts.flush()
    assert costs.order_header(window.session.ctx, visit_id)["safety_alerts"] == "Two large dogs"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert costs.cost_summary(window.session.ctx, visit_id).budget is None
    assert "Small dog" in costs.order_header(window.session.ctx, visit_id)["safety_alerts"]


def test_catalogue_browser_filters_imports_and_picks(demo_window: tuple[MainWindow, str], tmp_path: Path) -> None:
    window, _ = demo_window
    dialog = CatalogueDialog(window.session, window)
    total = dialog.table.rowCount()
    dialog.search.setText("bath board")
    assert 0 < dialog.table.rowCount() < total
    names = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert "Bath board, slatted, fixed length" in names and "Slatted bath board 26\" (660 mm)" in names
    assert all("bath" in p.name.lower() + p.description.lower() for p in dialog.products)
    dialog.search.setText("")
    dialog.min_swl.setValue(250)
    assert all(int(dialog.table.item(r, 4).text().split()[0]) >= 250 for r in range(dialog.table.rowCount()))
    dialog.min_swl.setValue(0)
    prices = tmp_path / "list.csv"
    prices.write_text("Supplier,Code,Name,Price\nBrightAids,BA-9,Shower stool round,£19\nBrightAids,BA-10,,£5\n",
                      encoding="utf-8")
    dialog.import_file(prices)
    assert "1 added" in dialog.status.text() and "1 row(s) skipped" in dialog.status.text()
    assert "line 3: name is empty" in window.session.last_dialog.text() + window.session.last_dialog.informativeText()
    dialog.search.setText("BA-9")
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "BrightAids"


def test_choosing_a_product_from_the_browser_is_undoable(demo_window: tuple[MainWindow, str],
                                                         monkeypatch) -> None:  # noqa: ANN001
    window, _ = demo_window
    rec_id = select_rec(window, "rec.bedroom.bed_raisers")
    panel = window.visit.recommendations.order_panel
    before = costs.order_line(window.session.ctx, rec_id).product_id
    generic = next(p for p in __import__("homeassess.services.catalogue", fromlist=["x"])
                   .products_for_recommendation(window.session.ctx, rec_id) if "150 mm" in p.name)
    monkeypatch.setattr(CatalogueDialog, "pick", classmethod(lambda cls, *a, **k: generic.id))
    panel.choose.click()
    assert costs.order_line(window.session.ctx, rec_id).product_id == generic.id
    assert "150 mm" in panel.product.text()
    window.undo_action.trigger()
    assert costs.order_line(window.session.ctx, rec_id).product_id == before


def test_a_refused_edit_leaves_no_undo_step(demo_window: tuple[MainWindow, str]) -> None:
    window, visit_id = demo_window
    window.visit.show_costs()
    screen = window.visit.costs
    count = window.visit.stack.count()
    screen.cap.setText("-5")
    screen.cap_editor.flush()
    assert screen.cap_error.isVisible() and "between 0 and" in screen.cap_error.text()
    assert window.visit.stack.count() == count
    assert costs.cost_summary(window.session.ctx, visit_id).budget is None


def test_order_panel_and_catalogue_flag_a_product_too_weak_for_the_client(demo_window: tuple[MainWindow, str]) -> None:
    from homeassess.services import clients as C
    from homeassess.services.assessments import get_assessment

    window, visit_id = demo_window
    C.update_client(window.session.ctx, get_assessment(window.session.ctx, visit_id).client_id, weight_kg=170)
    rec_id = select_rec(window, "rec.toilet.raised_seat")
    panel = window.visit.recommendations.order_panel
    assert panel.swl_warning.isVisibleTo(panel) and "exceeds the safe working load" in panel.swl_warning.text()
    dialog = CatalogueDialog(window.session, window, recommendation_id=rec_id, template_id="rec.toilet.raised_seat",
                             client_weight_kg=170)
    row = next(r for r, p in enumerate(dialog.products) if p.swl_kg and p.swl_kg < 170)
    dialog.table.selectRow(row)
    assert "exceeds the safe working load" in dialog.detail.text()


def test_costs_screen_flags_agreed_equipment_with_no_product_and_opens_the_catalogue(
        demo_window: tuple[MainWindow, str], monkeypatch) -> None:  # noqa: ANN001
    """Issue 13: the order lists it as "to specify"; the screen says so before the order is made, without blocking."""
    from PySide6.QtWidgets import QPushButton

    from homeassess.domain.catalogue import CatalogueFilter
    from homeassess.services import catalogue as K
    from homeassess.services.orders import build_order_model

    window, visit_id = demo_window
    window.visit.show_costs()
    screen = window.visit.costs
    assert screen.to_specify_box.isVisibleTo(screen)
    assert "1 agreed item has no product chosen" in screen.to_specify_note.text()
    assert "Product to specify — not yet orderable" in screen.to_specify_note.text()
    buttons = screen.to_specify_box.findChildren(QPushButton, "toSpecifyChooseButton")
    assert len(buttons) == 1 and "tub transfer bench" in buttons[0].accessibleName()
    assert screen.findChild(QPushButton, "orderPdfButton").isEnabled()   # making the order is not blocked
    bench = build_order_model(window.session.ctx, visit_id).to_specify[0]
    product = next(p for p in K.search_products(window.session.ctx, CatalogueFilter(text="tub transfer bench"))
                   if p.code == "GEN-BTH-005")
    seen = {}

    def pick(cls, session, parent, **kwargs):  # noqa: ANN001, ANN202
        seen.update(kwargs)
        return product.id

    monkeypatch.setattr(CatalogueDialog, "pick", classmethod(pick))
    buttons[0].click()
    assert seen["recommendation_id"] == bench.rec_id and seen["client_weight_kg"] == 68
    assert costs.order_line(window.session.ctx, bench.rec_id).product_id == product.id
    assert not screen.to_specify_box.isVisibleTo(screen)
    window.undo_action.trigger()
    screen.refresh()
    assert costs.order_line(window.session.ctx, bench.rec_id).product_id is None
    assert screen.to_specify_box.isVisibleTo(screen)
