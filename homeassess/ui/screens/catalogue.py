"""Catalogue browser: search and filter generic items and supplier products, import a supplier's
price list (in the background, bad rows listed by line), confirm what a supplier product is, and —
when opened for a recommendation — choose the product to order."""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.domain.catalogue import CatalogueFilter, Category
from homeassess.domain.profiles import StandardProfile
from homeassess.domain.sizing import safe_working_load
from homeassess.services import catalogue as K
from homeassess.services.catalogue import ProductView
from homeassess.ui.errors import error_dialog
from homeassess.ui.session import Session
from homeassess.ui.widgets.style import TOUCH

COLUMNS = ("Code", "Supplier", "Name", "Price", "SWL", "HCPCS", "Maps to", "Sizes")


class CatalogueDialog(QDialog):
    """``pick(...)`` opens it for one recommendation and returns the chosen product id (or None)."""

    def __init__(self, session: Session, parent: QWidget | None = None, *, region: StandardProfile = StandardProfile.UK,
                 recommendation_id: str | None = None, template_id: str | None = None,
                 client_weight_kg: float | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogueDialog")
        self.setWindowTitle("Equipment catalogue")
        self.resize(1100, 640)
        self.session, self.recommendation_id, self.template_id = session, recommendation_id, template_id
        self.client_weight_kg = client_weight_kg  # products whose safe working load is lower are flagged
        self.products: list[ProductView] = []
        self.chosen: str | None = None
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("catalogueSearch")
        self.search.setAccessibleName("Search the catalogue")
        self.search.setPlaceholderText("Search: name, code, size, HCPCS…")
        self.search.textChanged.connect(self.refresh)
        self.category = QComboBox()
        self.category.setObjectName("catalogueCategory")
        self.category.setAccessibleName("Category")
        self.category.addItem("All categories", None)
        for category in Category:
            self.category.addItem(category.label, category)
        self.region = QComboBox()
        self.region.setObjectName("catalogueRegion")
        self.region.setAccessibleName("Prices for")
        for profile, label in ((StandardProfile.UK, "UK prices (£)"), (StandardProfile.US, "US prices ($)"),
                               (StandardProfile.AU, "Australian prices (A$)")):
            self.region.addItem(label, profile)
        self.region.setCurrentIndex(self.region.findData(region))
        self.max_cost = QDoubleSpinBox()
        self.max_cost.setObjectName("catalogueMaxCost")
        self.max_cost.setAccessibleName("Costing at most")
        self.max_cost.setRange(0, 100000)
        self.max_cost.setSpecialValueText("Any price")
        self.min_swl = QDoubleSpinBox()
        self.min_swl.setObjectName("catalogueMinSwl")
        self.min_swl.setAccessibleName("Safe working load at least (kg)")
        self.min_swl.setRange(0, 500)
        self.min_swl.setSuffix(" kg")
        self.min_swl.setSpecialValueText("Any SWL")
        self.hcpcs = QCheckBox("With HCPCS code")
        self.hcpcs.setObjectName("catalogueHcpcs")
        self.for_rec = QCheckBox("Only for this recommendation")
        self.for_rec.setObjectName("catalogueForRecommendation")
        self.for_rec.setChecked(template_id is not None)
        self.for_rec.setVisible(template_id is not None)
        for widget in (self.category, self.region):
            widget.currentIndexChanged.connect(self.refresh)
        for spin in (self.max_cost, self.min_swl):
            spin.valueChanged.connect(self.refresh)
        for box in (self.hcpcs, self.for_rec):
            box.toggled.connect(self.refresh)
        for widget in (self.search, self.category, self.region, self.max_cost, self.min_swl, self.hcpcs, self.for_rec):
            filters.addWidget(widget, 3 if widget is self.search else 0)
        layout.addLayout(filters)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("catalogueTable")
        self.table.setAccessibleName("Catalogue items")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.table.doubleClicked.connect(lambda _i: self._choose() if self.recommendation_id else None)
        layout.addWidget(self.table, 1)
        self.detail = QLabel()
        self.detail.setObjectName("catalogueDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setMinimumHeight(70)
        layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.import_button = QPushButton("Import supplier price list (CSV)…")
        self.import_button.setObjectName("importSupplierButton")
        self.import_button.clicked.connect(self._ask_import)
        self.map_combo = QComboBox()
        self.map_combo.setObjectName("mapGenericCombo")
        self.map_combo.setAccessibleName("This supplier product is")
        self.map_combo.setMinimumWidth(280)
        self.map_button = QPushButton("Confirm mapping")
        self.map_button.setObjectName("confirmMappingButton")
        self.map_button.clicked.connect(self._confirm_mapping)
        self.status = QLabel()
        self.status.setObjectName("catalogueStatus")
        self.status.setWordWrap(True)
        self.choose_button = QPushButton("Order this product")
        self.choose_button.setObjectName("chooseProductButton")
        self.choose_button.setVisible(recommendation_id is not None)
        self.choose_button.clicked.connect(self._choose)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for button in (self.import_button, self.map_button, self.choose_button, close):
            button.setMinimumHeight(TOUCH)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.map_combo)
        buttons.addWidget(self.map_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()
        self._fill_generic_choices()

    # -- listing ----------------------------------------------------------------------------
    def current_filter(self) -> CatalogueFilter:
        return CatalogueFilter(
            text=self.search.text(), category=self.category.currentData(), region=self.region.currentData(),
            max_cost=self.max_cost.value() or None, min_swl_kg=self.min_swl.value() or None,
            hcpcs_only=self.hcpcs.isChecked(),
            recommendation_id=self.template_id if self.for_rec.isChecked() else None)

    def refresh(self) -> None:
        self.products = self.session.read(K.search_products, self.current_filter()) or []
        self.table.setRowCount(len(self.products))
        for row, p in enumerate(self.products):
            maps = "" if p.source == "generic" else (
                f"{p.generic_code} ({p.mapping or 'not mapped'})" if p.generic_code else "not mapped")
            values = (p.code, p.supplier or "Generic", p.name, p.price_text,
                      f"{p.swl_kg:.0f} kg" if p.swl_kg else "", p.hcpcs, maps, p.sizes)
            too_weak = bool(self.client_weight_kg and p.swl_kg and p.swl_kg < self.client_weight_kg)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(p.description)
                if too_weak and col == 4:
                    item.setForeground(Qt.GlobalColor.red)
                    item.setToolTip(f"Below the client's weight ({self.client_weight_kg:.0f} kg)")
                if p.source == "supplier" and col == 1:
                    item.setForeground(Qt.GlobalColor.darkBlue)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 170))
        self.table.setColumnWidth(2, min(max(self.table.columnWidth(2), 260), 340))
        self.status.setText(f"{len(self.products)} item(s)")
        self._show_detail()

    def _fill_generic_choices(self) -> None:
        self.map_combo.clear()
        self.map_combo.addItem("Not a catalogue item", None)
        for entry in sorted(self.session.ctx.catalogue.entries.values(), key=lambda e: e.name.lower()):
            self.map_combo.addItem(f"{entry.name} ({entry.code})", entry.code)

    def selected(self) -> ProductView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.products[rows[0].row()] if rows else None

    def _show_detail(self) -> None:
        p = self.selected()
        self.choose_button.setEnabled(p is not None)
        is_supplier = p is not None and p.source == "supplier"
        self.map_combo.setEnabled(is_supplier)
        self.map_button.setEnabled(is_supplier)
        if p is None:
            self.detail.setText("Select an item to see its details.")
            return
        if is_supplier:
            self.map_combo.setCurrentIndex(max(0, self.map_combo.findData(p.generic_code or None)))
        facts = [f"ISO 9999 {escape(p.iso9999)}" if p.iso9999 else "", f"HCPCS {escape(p.hcpcs)}" if p.hcpcs else "",
                 "needs installation" if p.install else "", f"SWL {p.swl_kg:.0f} kg" if p.swl_kg else ""]
        warning = ""
        if self.client_weight_kg and p.swl_kg:
            text = safe_working_load(client_weight_kg=self.client_weight_kg, swl_kg=p.swl_kg, product=p.name)
            warning = f"<br><span style='color:#B42318'><b>⚠ {escape(text[0])}</b></span>" if text else ""
        self.detail.setText(f"<b>{escape(p.name)}</b> — {escape(p.price_text)}<br>{escape(p.description)}<br>"
                            f"<span style='color:#52606D'>{escape(' · '.join(f for f in facts if f))}</span>{warning}")

    # -- actions ----------------------------------------------------------------------------
    def _choose(self) -> None:
        p = self.selected()
        if p is not None and self.recommendation_id is not None:
            self.chosen = p.id
            self.accept()

    def _confirm_mapping(self) -> None:
        p = self.selected()
        if p is not None and p.source == "supplier":
            self.session.call(K.map_supplier_product, p.id, self.map_combo.currentData())
            self.refresh()

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Supplier price list", str(Path.home()), "CSV files (*.csv)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read the file in a worker; the table refreshes when it is done."""
        self.import_button.setEnabled(False)
        self.status.setText(f"Importing {path.name}…")
        job = partial(_import_job, self.session.ctx, path, self.region.currentData())
        self.session.tasks.submit(job, on_success=partial(self._imported, path), on_error=self._import_failed)

    def _imported(self, path: Path, result: K.ImportResult) -> None:
        self.import_button.setEnabled(True)
        self.refresh()
        self.status.setText(result.summary(path.name))
        if result.errors:
            shown = "\n".join(str(e) for e in result.errors[:30])
            more = f"\n… and {len(result.errors) - 30} more" if len(result.errors) > 30 else ""
            self.session.show_dialog(error_dialog(self, f"Some rows of {path.name} were skipped",
                                                  f"The other rows were imported.\n\n{shown}{more}"))

    def _import_failed(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        self.status.setText("Import failed; nothing was changed.")
        self.session.show_dialog(error_dialog(self, "Price list not imported", str(error)))

    @classmethod
    def pick(cls, session: Session, parent: QWidget | None, *, region: StandardProfile, recommendation_id: str,
             template_id: str | None, client_weight_kg: float | None = None) -> str | None:
        dialog = cls(session, parent, region=region, recommendation_id=recommendation_id, template_id=template_id,
                     client_weight_kg=client_weight_kg)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def _import_job(ctx, path: Path, region: StandardProfile, progress=None, cancel=None) -> K.ImportResult:  # noqa: ANN001
    return K.import_supplier_csv(ctx, path, region=region)
