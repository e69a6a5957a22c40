"""Costs and order for one visit: totals per priority and funding route, a budget cap that says what
falls outside it, and the order header (prescriber contact, delivery, safety alerts)."""

from __future__ import annotations

from datetime import date
from functools import partial
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from homeassess.domain.catalogue import money
from homeassess.domain.costs import FUNDING_LABELS
from homeassess.domain.errors import ValidationError
from homeassess.domain.input_rules import parse_amount
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import StandardProfile
from homeassess.domain.text_rules import TEXT_LIMITS
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import costs
from homeassess.services.orders import ARRANGEMENTS, TO_SPECIFY, UnspecifiedItem, items_to_specify
from homeassess.services.changes import Changes
from homeassess.services.visit_lock import VisitLock
from homeassess.ui.errors import error_dialog
from homeassess.ui.session import Session
from homeassess.ui.undo import ServiceCommand, TextEditCommand, push_checked
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label
from homeassess.ui.widgets.lock import ALWAYS, apply_lock, mark
from homeassess.ui.widgets.responsive import Columns, column, header_row
from homeassess.ui.widgets.style import TOUCH

TEXT_FIELDS = (("therapist_phone", "Your phone"), ("therapist_email", "Your email"),
               ("delivery_address", "Delivery address (if not the client's)"), ("delivery_contact", "Delivery contact"),
               ("access_notes", "Access notes"), ("safety_alerts", "Safety alerts for delivery staff"))


class CostsScreen(QWidget):
    order_pdf_requested = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("costsScreen")
        self.session = session
        self.assessment_id: str | None = None
        self.stack: QUndoStack | None = None
        self.header: dict = {}
        self.lock: VisitLock | None = None
        outer = QVBoxLayout(self)
        catalogue = QPushButton("Equipment catalogue…")
        catalogue.setObjectName("openCatalogueButton")
        catalogue.clicked.connect(self._open_catalogue)
        order_pdf = QPushButton("Order list (PDF)…")
        order_pdf.setObjectName("orderPdfButton")
        order_pdf.clicked.connect(self.order_pdf_requested.emit)
        self.csv_button = QPushButton("Export order CSV…")
        self.csv_button.setObjectName("orderCsvButton")
        self.csv_button.clicked.connect(self._ask_csv)
        for button in (catalogue, order_pdf, self.csv_button):
            button.setMinimumHeight(TOUCH)
        mark(ALWAYS, catalogue, order_pdf, self.csv_button)   # browsing the catalogue and the outputs
        outer.addWidget(header_row(QLabel("<h2>Costs and equipment order</h2>"), catalogue, order_pdf,
                                   self.csv_button))
        left = QVBoxLayout()
        totals_box = QGroupBox("Totals (everything not declined)")
        totals_layout = QVBoxLayout(totals_box)
        self.totals = QLabel()
        self.totals.setObjectName("costTotals")
        self.totals.setWordWrap(True)
        totals_layout.addWidget(self.totals)
        left.addWidget(totals_box)
        budget_box = QGroupBox("Budget")
        budget_layout = QVBoxLayout(budget_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("Budget cap"))
        self.cap = QLineEdit()
        self.cap.setObjectName("budgetCap")
        self.cap.setAccessibleName("Budget cap")
        self.cap.setPlaceholderText("No cap")
        self.cap_editor = DebouncedText(self.cap, self._set_cap, session.pending)
        row.addWidget(self.cap, 1)
        budget_layout.addLayout(row)
        self.cap_error = field_error_label("budget")
        budget_layout.addWidget(self.cap_error)
        self.plan = QLabel()
        self.plan.setObjectName("budgetPlan")
        self.plan.setWordWrap(True)
        budget_layout.addWidget(self.plan)
        left.addWidget(budget_box)
        left.addStretch(1)
        body = Columns(column(left), self._build_header(), margins=9)  # stacked when both do not fit side by side
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self._build_to_specify())
        page_layout.addWidget(body, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        outer.addWidget(scroll, 1)
        self.status = QLabel()
        self.status.setObjectName("costsStatus")
        outer.addWidget(self.status)
        session.bus.changed.connect(self._on_bus_changed)

    def _build_to_specify(self) -> QGroupBox:
        """Agreed equipment with no product: the order lists it as not yet orderable; say so before it is made."""
        box = QGroupBox("Not yet orderable")
        box.setObjectName("toSpecifyBox")
        box.setStyleSheet("QGroupBox#toSpecifyBox { border: 2px solid #B42318; border-radius: 4px; margin-top: 1.2em;"
                          " background: #FEF3F2; } QGroupBox#toSpecifyBox::title { color: #B42318; }")
        self.to_specify_layout = QVBoxLayout(box)
        self.to_specify_note = QLabel()
        self.to_specify_note.setObjectName("toSpecifyNote")
        self.to_specify_note.setWordWrap(True)
        self.to_specify_layout.addWidget(self.to_specify_note)
        self.to_specify_rows: list[QWidget] = []
        self.to_specify_box = box
        box.hide()
        return box

    def _refresh_to_specify(self) -> None:
        items: list[UnspecifiedItem] = self.session.read(items_to_specify, self.assessment_id) or []
        for row in self.to_specify_rows:
            self.to_specify_layout.removeWidget(row)
            row.setParent(None)   # gone at once, not at the next event loop turn
            row.deleteLater()
        self.to_specify_rows = []
        self.to_specify_box.setVisible(bool(items))
        if not items:
            return
        n = len(items)
        self.to_specify_note.setText(
            f"<b>⚠ {n} agreed item{'' if n == 1 else 's'} {'has' if n == 1 else 'have'} no product chosen.</b> "
            f"The order list shows {'it' if n == 1 else 'them'} as “{escape(TO_SPECIFY)}”. You can still make the "
            "order; choose a product to make the item orderable.")
        for item in items:
            row = QWidget()
            row.setObjectName("toSpecifyRow")
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(f"{escape(item.title)} <span style='color:#52606D'>({escape(item.room)})</span>")
            label.setWordWrap(True)
            button = QPushButton("Choose product…")
            button.setObjectName("toSpecifyChooseButton")
            button.setAccessibleName(f"Choose a product for {item.title}")
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(partial(self.choose_product_for, item))
            layout.addWidget(label, 1)
            layout.addWidget(button)
            self.to_specify_layout.addWidget(row)
            self.to_specify_rows.append(row)

    def choose_product_for(self, item: UnspecifiedItem) -> None:
        """The catalogue for that recommendation; the choice is one undoable step, as in its order panel."""
        from homeassess.ui.screens.catalogue import CatalogueDialog
        from homeassess.ui.screens.order_line import choose_product

        visit = self.session.read(A.get_assessment, self.assessment_id) if self.assessment_id else None
        if visit is None:
            return
        client = self.session.read(C.get_client, visit.client_id)
        chosen = CatalogueDialog.pick(self.session, self, region=StandardProfile(visit.standard),
                                      recommendation_id=item.rec_id, template_id=item.template_id,
                                      client_weight_kg=client.profile.weight_kg if client else None)
        if chosen is not None and self.stack is not None:
            push_checked(self.stack, choose_product(self.session, item.rec_id, None, chosen), self.header_error)
            self.refresh()

    def _build_header(self) -> QGroupBox:
        box = QGroupBox("Order header")
        form = QFormLayout(box)
        self.urgency = QComboBox()
        self.urgency.setObjectName("orderUrgency")
        self.urgency.setAccessibleName("Urgency")
        for value in costs.URGENCIES:
            self.urgency.addItem(value.capitalize(), value)
        self.urgency.activated.connect(lambda _i: self._set_field("order_urgency", self.urgency.currentData()))
        form.addRow("Urgency", self.urgency)
        row = QHBoxLayout()
        self.required_set = QCheckBox("Required by")
        self.required_set.setObjectName("requiredBySet")
        self.required_by = QDateEdit()
        self.required_by.setObjectName("requiredBy")
        self.required_by.setAccessibleName("Required by")
        self.required_by.setCalendarPopup(True)
        self.required_by.setDisplayFormat("dd MMM yyyy")
        self.required_set.clicked.connect(lambda _c: self._set_required())
        self.required_by.editingFinished.connect(self._set_required)
        row.addWidget(self.required_set)
        row.addWidget(self.required_by, 1)
        form.addRow("Date", row)
        self.order_type = QComboBox()
        self.order_type.setObjectName("orderType")
        self.order_type.setAccessibleName("Order type")
        # Loan or purchase follows each line's funding route; only hire and trial are the therapist's choice.
        self.order_type.addItem("Set by funding (loan, purchase or grant)", "")
        for value in ARRANGEMENTS:
            self.order_type.addItem(value.capitalize(), value)
        self.order_type.activated.connect(lambda _i: self._set_field("order_type", self.order_type.currentData()))
        form.addRow("Order type", self.order_type)
        type_note = QLabel("Loan, private purchase, grant or mixed follows each line's funding route. "
                           "Choose Hire or Trial only for those arrangements.")
        type_note.setObjectName("orderTypeNote")
        type_note.setWordWrap(True)
        type_note.setStyleSheet("color: #52606D;")
        form.addRow("", type_note)
        self.texts: dict[str, DebouncedText] = {}
        for name, label in TEXT_FIELDS:
            widget = QPlainTextEdit() if name in ("delivery_address", "access_notes", "safety_alerts") else QLineEdit()
            widget.setObjectName(f"header_{name}")
            widget.setAccessibleName(label)
            if isinstance(widget, QPlainTextEdit):
                widget.setFixedHeight(60)
                widget.setTabChangesFocus(True)
            else:
                widget.setMaxLength(TEXT_LIMITS[costs.ORDER_HEADER_TEXT[name]])   # what the service stores
            self.texts[name] = DebouncedText(widget, lambda t, n=name: self._text(n, t), self.session.pending)
            form.addRow(label, widget)
        self.texts["safety_alerts"].widget.setPlaceholderText(
            "Dogs, aggression, infection risk, clutter… Left blank, the order says “None known”.")
        self.texts["delivery_contact"].widget.setPlaceholderText(
            "Left blank: the carer in the client's profile (or the first contact if memory is affected), else the client")
        self.header_error = field_error_label("header")
        form.addRow("", self.header_error)
        return box

    # -- loading ----------------------------------------------------------------------------
    def open_visit(self, assessment_id: str, stack: QUndoStack) -> None:
        self.assessment_id, self.stack = assessment_id, stack
        self.refresh()

    def refresh(self) -> None:
        if self.assessment_id is None:
            return
        self.header = self.session.read(costs.order_header, self.assessment_id) or {}
        for name, editor in self.texts.items():
            editor.set_text(self.header.get(name, ""))
        self.urgency.setCurrentIndex(max(0, self.urgency.findData(self.header.get("order_urgency"))))
        self.order_type.setCurrentIndex(max(0, self.order_type.findData(self.header.get("order_type"))))
        required: date | None = self.header.get("order_required_by")
        self.required_set.setChecked(required is not None)
        self.required_by.setEnabled(required is not None)
        shown = required or date.today()
        self.required_by.setDate(QDate(shown.year, shown.month, shown.day))
        self._refresh_totals()
        self._refresh_to_specify()
        apply_lock(self, self.lock)   # the rows just made

    def set_locked(self, lock: VisitLock | None) -> None:
        """The budget, the order header and choosing products as the lock allows; the totals, the
        catalogue, the order list and its CSV stay."""
        self.lock = lock
        apply_lock(self, lock)

    def _refresh_totals(self) -> None:
        summary = self.session.read(costs.cost_summary, self.assessment_id)
        if summary is None:
            return
        cur = summary.currency
        t = summary.totals
        rows = [f"<b>Total {escape(money(t.total, cur))}</b>"]
        rows += [f"{Tier(k).code} {Tier(k).label}: {escape(money(v, cur))}" for k, v in t.by_tier.items()]
        rows.append("<br><b>By funding route</b>")
        labels = {route.value: label for route, label in FUNDING_LABELS.items()}
        rows += [f"{escape(labels.get(k, k))}: {escape(money(v, cur))}"
                 for k, v in sorted(t.by_funding.items(), key=lambda kv: -kv[1])]
        if t.not_estimated:
            rows.append(f"<br><i>{t.not_estimated} recommendation(s) have no cost estimate yet.</i>")
        self.totals.setText("<br>".join(rows))
        plan = summary.budget
        self.cap_editor.set_text("" if plan is None else f"{plan.cap:g}")
        if plan is None:
            self.plan.setText("Set a cap to see what fits: urgent items first, then the highest risk, then the cheapest.")
            return
        within = "".join(f"<li>{Tier(x.tier).code} {escape(x.title)} — {escape(money(x.cost, cur))}</li>"
                         for x in plan.within)
        outside = "".join(f"<li>{Tier(x.tier).code} {escape(x.title)} — {escape(why)}</li>" for x, why in plan.outside)
        self.plan.setText(f"<b>Within the cap</b>: {escape(money(plan.spent, cur))} of {escape(money(plan.cap, cur))} "
                          f"({escape(money(plan.left, cur))} left)<ul>{within}</ul>"
                          f"<b>Outside the cap</b><ul>{outside or '<li>nothing</li>'}</ul>")

    # -- edits ------------------------------------------------------------------------------
    def _push(self, command: object) -> None:
        if self.stack is not None:
            push_checked(self.stack, command, self.header_error)

    def _set_field(self, name: str, value: object) -> None:
        old = self.header.get(name)
        if self.assessment_id is None or old == value:
            return
        aid = self.assessment_id
        self._push(ServiceCommand(f"Change {name.replace('_', ' ')}",
                                  lambda: self.session.call(costs.set_order_header, aid, **{name: value}),
                                  lambda: self.session.call(costs.set_order_header, aid, **{name: old})))

    def _set_required(self) -> None:
        self.required_by.setEnabled(self.required_set.isChecked())
        value = self.required_by.date().toPython() if self.required_set.isChecked() else None
        self._set_field("order_required_by", value)

    def _text(self, name: str, text: str) -> None:
        if self.assessment_id is None:
            return
        aid = self.assessment_id
        self._push(TextEditCommand(f"Edit {name.replace('_', ' ')}", ("order_header", aid, name),
                                   lambda t: self.session.call(costs.set_order_header, aid, **{name: t}),
                                   self.header.get(name, ""), text))

    def _set_cap(self, text: str) -> None:
        if self.assessment_id is None:
            return
        try:   # the domain's rule and message: the same the service refuses with
            cap = parse_amount(text, field="budget_cap", rule="budget_cap")
        except ValidationError as exc:
            self.cap_error.setText(exc.errors[0].message)
            self.cap_error.show()
            return
        self.cap_error.hide()
        summary = self.session.read(costs.cost_summary, self.assessment_id)
        old = summary.budget.cap if summary and summary.budget else None
        aid = self.assessment_id
        if self.stack is not None:
            push_checked(self.stack, ServiceCommand("Change budget cap",
                                                    lambda: self.session.call(costs.set_budget, aid, cap),
                                                    lambda: self.session.call(costs.set_budget, aid, old)),
                         self.cap_error)

    def _open_catalogue(self) -> None:
        from homeassess.ui.screens.catalogue import CatalogueDialog

        visit = self.session.read(A.get_assessment, self.assessment_id) if self.assessment_id else None
        region = StandardProfile(visit.standard) if visit else StandardProfile.UK
        CatalogueDialog(self.session, self, region=region).exec()
        self._refresh_totals()

    def _ask_csv(self) -> None:
        if self.assessment_id is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Export order list", str(Path.home() / "order.csv"),
                                                "CSV (*.csv)")
        if target:
            self.export_csv(Path(target))

    def export_csv(self, target: Path) -> None:
        from homeassess.services.orders import generate_orders_csv, order_summary_text

        self.session.pending.flush_all()
        self.csv_button.setEnabled(False)
        job = partial(_csv_job, generate_orders_csv, self.session.ctx, self.assessment_id, target)

        def done(result: tuple) -> None:
            self.csv_button.setEnabled(True)
            path, order = result
            self.status.setText(f"Saved {path.name}: {order_summary_text(order)}")

        def failed(error: BaseException) -> None:
            self.csv_button.setEnabled(True)
            self.session.show_dialog(error_dialog(self, "Order list not exported", str(error)))

        self.session.tasks.submit(job, on_success=done, on_error=failed)

    def _on_bus_changed(self, changes: Changes, _initiator: object) -> None:
        if self.assessment_id and self.isVisible() and (changes.recommendations or changes.assessment_meta):
            self.refresh()


def _csv_job(generate, ctx, assessment_id, target, progress=None, cancel=None):  # noqa: ANN001, ANN202
    return generate(ctx, assessment_id, target)
