"""The 'Order and cost' part of a recommendation: product, who, quantity, cost, funding, size/setting and
fitting location. Every change is one undoable, immediately saved service call."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
)

from homeassess.domain.catalogue import money
from homeassess.domain.costs import FUNDING_LABELS, ROUTES_BY_REGION, WHO_LABELS, FundingRoute
from homeassess.domain.errors import ValidationError
from homeassess.domain.input_rules import NUMBERS, parse_amount
from homeassess.domain.profiles import StandardProfile
from homeassess.domain.text_rules import TEXT_LIMITS
from homeassess.services import costs
from homeassess.services.costs import OrderLineView
from homeassess.services.recommendations import WHO
from homeassess.ui.undo import ServiceCommand, TextEditCommand, push_checked
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label


def set_line(session: Session, rec_id: str, field: str, old: Any, new: Any, initiator: object = None) -> ServiceCommand:
    label = field.replace("_", " ")
    return ServiceCommand(f"Change {label}", lambda: session.call(costs.set_order_line, rec_id, initiator=initiator,
                                                                  **{field: new}),
                          lambda: session.call(costs.set_order_line, rec_id, initiator=initiator, **{field: old}))


def choose_product(session: Session, rec_id: str, old: str | None, new: str | None) -> ServiceCommand:
    from homeassess.services import catalogue as K

    return ServiceCommand("Choose product", lambda: session.call(K.choose_product, rec_id, new),
                          lambda: session.call(K.choose_product, rec_id, old))


#: Each text field of the order line and its kind in ``text_rules.TEXT_LIMITS`` (as costs.set_order_line).
TEXT_KINDS = {"approval_no": "code", "size_setting": "line", "fit_location": "title"}


class OrderLinePanel(QGroupBox):
    def __init__(self, session: Session) -> None:
        super().__init__("Order and cost")
        self.setObjectName("orderLinePanel")
        self.session = session
        self.stack: QUndoStack | None = None
        self.line: OrderLineView | None = None
        self.region = StandardProfile.UK
        self.template_id: str | None = None
        self.client_weight_kg: float | None = None
        form = QFormLayout(self)
        self.product = QLabel()
        self.product.setObjectName("orderProduct")
        self.product.setWordWrap(True)
        self.product.setTextFormat(Qt.TextFormat.RichText)
        self.choose = QPushButton("Choose product…")
        self.choose.setObjectName("chooseProductDialogButton")
        self.choose.clicked.connect(self._choose_product)
        form.addRow("Product", self.product)
        self.swl_warning = QLabel()
        self.swl_warning.setObjectName("orderSwlWarning")
        self.swl_warning.setWordWrap(True)
        self.swl_warning.setStyleSheet("color: #B42318; font-weight: bold;")
        form.addRow("", self.swl_warning)
        form.addRow("", self.choose)
        self.sizing = QLabel()
        self.sizing.setObjectName("orderSizing")
        self.sizing.setWordWrap(True)
        self.sizing.setTextFormat(Qt.TextFormat.RichText)
        form.addRow("Sizing", self.sizing)
        self.who = QComboBox()
        self.who.setObjectName("orderWho")
        self.who.setAccessibleName("Who does it")
        for value in WHO:
            self.who.addItem(WHO_LABELS[value], value)
        self.who.activated.connect(lambda _i: self._push_if_changed("who", self.who.currentData()))
        self.quantity = QSpinBox()
        self.quantity.setObjectName("orderQuantity")
        self.quantity.setAccessibleName("Quantity")
        self.quantity.setRange(int(NUMBERS["order_quantity"].low), int(NUMBERS["order_quantity"].high))
        self.quantity.editingFinished.connect(lambda: self._push_if_changed("quantity", self.quantity.value()))
        row = QHBoxLayout()
        row.addWidget(self.who, 1)
        row.addWidget(QLabel("Quantity"))
        row.addWidget(self.quantity)
        form.addRow("Who does it", row)
        self.cost = QLineEdit()
        self.cost.setObjectName("orderCost")
        self.cost.setAccessibleName("Cost estimate")
        self.cost_editor = DebouncedText(self.cost, lambda t: self._number_edit("cost_estimate", t), session.pending)
        form.addRow("Cost estimate", self.cost)
        self.funding = QComboBox()
        self.funding.setObjectName("orderFunding")
        self.funding.setAccessibleName("Funding route")
        self.funding.activated.connect(lambda _i: self._push_if_changed("funding_route", self.funding.currentData()))
        form.addRow("Funding", self.funding)
        self.funding_note = QLabel()
        self.funding_note.setObjectName("orderFundingNote")
        self.funding_note.setWordWrap(True)
        self.funding_note.setStyleSheet("color: #B45309;")
        form.addRow("", self.funding_note)
        self.texts: dict[str, DebouncedText] = {}
        for name, label in (("approval_no", "Approval no."), ("size_setting", "Size / setting"),
                            ("fit_location", "Wall / side")):
            edit = QLineEdit()
            edit.setObjectName(f"order_{name}")
            edit.setAccessibleName(label)
            edit.setMaxLength(TEXT_LIMITS[TEXT_KINDS[name]])
            self.texts[name] = DebouncedText(edit, lambda t, n=name: self._text_edit(n, t), session.pending)
            form.addRow(label, edit)
        self.height = QLineEdit()
        self.height.setObjectName("orderHeight")
        self.height.setAccessibleName("Fixing height above the finished floor, mm")
        self.height_editor = DebouncedText(self.height, lambda t: self._number_edit("fit_height_mm", t),
                                           session.pending)
        self.install = QCheckBox("Needs installation")
        self.install.setObjectName("orderInstall")
        self.install.clicked.connect(lambda checked: self._push_if_changed("install_needed", bool(checked)))
        row = QHBoxLayout()
        row.addWidget(self.height, 1)
        row.addWidget(QLabel("mm above floor"))
        row.addWidget(self.install)
        form.addRow("Fixing height", row)
        self.error = field_error_label("order")
        form.addRow("", self.error)

    def show_line(self, rec_id: str | None, stack: QUndoStack | None, region: StandardProfile,
                  template_id: str | None, client_weight_kg: float | None = None) -> None:
        self.stack, self.region, self.template_id = stack, region, template_id
        self.client_weight_kg = client_weight_kg
        self.line = self.session.read(costs.order_line, rec_id) if rec_id else None
        self.setEnabled(self.line is not None)
        self.error.hide()
        if self.line is None:
            return
        line = self.line
        self.product.setText(escape(line.product_text) if line.product_text else "<i>No product chosen</i>")
        self.swl_warning.setText("⚠ " + "; ".join(line.swl_warnings) if line.swl_warnings else "")
        self.swl_warning.setVisible(bool(line.swl_warnings))
        self.sizing.setText(escape(line.sizing_calculation) if line.sizing_calculation
                            else "<span style='color:#52606D'>No sizing from the measurements</span>")
        self.who.setCurrentIndex(max(0, self.who.findData(line.who)))
        self.quantity.setValue(line.quantity)
        self.cost_editor.set_text("" if line.cost_estimate is None or line.estimate_from != "entered"
                                  else f"{line.cost_estimate:g}")
        self.cost.setPlaceholderText(f"{money(line.cost_estimate, line.currency)} from the product"
                                     if line.estimate_from == "product" else f"Amount in {line.currency}")
        self.funding.clear()
        suggested = FundingRoute(line.suggested_funding)
        self.funding.addItem(f"Suggested: {suggested.label}", "")
        for route in ROUTES_BY_REGION[self.region]:
            self.funding.addItem(FUNDING_LABELS[route], route.value)
        self.funding.setCurrentIndex(max(0, self.funding.findData(line.funding_route)))
        self.funding_note.setText(line.funding_note)
        self.funding_note.setVisible(bool(line.funding_note))
        for name, editor in self.texts.items():
            editor.set_text(getattr(line, name))
        self.texts["size_setting"].widget.setPlaceholderText(line.suggested_setting or "e.g. seat height 480 mm")
        self.height_editor.set_text("" if line.fit_height_mm is None else f"{line.fit_height_mm:g}")
        self.height.setPlaceholderText(f"{line.suggested_height_mm:.0f} (from the standard)"
                                       if line.suggested_height_mm else "")
        self.install.setChecked(line.install_needed)

    # -- edits ------------------------------------------------------------------------------
    def _push(self, command: Any) -> None:
        if self.stack is not None:
            push_checked(self.stack, command, self.error)

    def _push_if_changed(self, field: str, value: Any) -> None:
        line = self.line
        if line is not None and getattr(line, field, None) != value:
            self._push(set_line(self.session, line.rec_id, field, getattr(line, field), value))

    def _text_edit(self, field: str, text: str) -> None:
        line = self.line
        if line is None:
            return

        def apply(value: str) -> None:
            self.session.call(costs.set_order_line, line.rec_id, **{field: value})

        self._push(TextEditCommand(f"Edit {field.replace('_', ' ')}", ("order", line.rec_id, field), apply,
                                   getattr(line, field), text))

    def _number_edit(self, field: str, text: str) -> None:
        line = self.line
        if line is None:
            return
        try:   # the domain's rule and message: the same the service refuses with
            value = parse_amount(text, field=field, rule=field)
        except ValidationError as exc:
            self.error.setText(exc.errors[0].message)
            self.error.show()
            return
        old = line.cost_estimate if field == "cost_estimate" and line.estimate_from == "entered" else (
            line.fit_height_mm if field == "fit_height_mm" else None)
        self._push(set_line(self.session, line.rec_id, field, old, value))
        self.error.hide()

    def _choose_product(self) -> None:
        from homeassess.ui.screens.catalogue import CatalogueDialog

        line = self.line
        if line is None:
            return
        chosen = CatalogueDialog.pick(self.session, self, region=self.region, recommendation_id=line.rec_id,
                                      template_id=self.template_id, client_weight_kg=self.client_weight_kg)
        if chosen is not None and chosen != line.product_id:
            self._push(choose_product(self.session, line.rec_id, line.product_id, chosen))
