"""Recommendations grouped by tier: accept/decline, edit wording, change tier with a reason,
link to a goal, add custom ones. The reason for each tier is shown in plain words."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QScrollArea, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import ConflictError, HomeAssessError, ValidationError
from homeassess.domain.text_rules import NOTE_LIMIT, TITLE_LIMIT, clean_kind, is_blank
from homeassess.domain.lifecycle import DECISIONS, Decider, Status
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import StandardProfile
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services.changes import Changes
from homeassess.services.dto import RecommendationView
from homeassess.services.visit_lock import VisitLock
from homeassess.ui import undo
from homeassess.ui.screens.order_line import OrderLinePanel
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label, keep_whole
from homeassess.ui.widgets.lock import AFTER_SIGN_OFF, apply_lock, mark
from homeassess.ui.widgets.responsive import FoldingSplitter, header_row
from homeassess.ui.widgets.style import TIER_COLOURS, TOUCH, tier_chip

DECIDER_LABELS = {Decider.CLIENT: "Client's decision", Decider.CARER: "Carer's or family's decision",
                  Decider.THERAPIST: "Therapist's clinical decision"}
STATUS_LABELS = {"proposed": "Proposed", "agreed": "Agreed", "declined": "Declined", "ordered": "Ordered",
                 "installed": "Installed", "in_use": "In use", "not_used": "Not used", "removed": "Removed"}


class CustomRecommendationDialog(QDialog):
    """Asks for a custom recommendation; ``ask`` returns the fields or None."""

    def __init__(self, parent: QWidget | None, rooms: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setObjectName("customRecommendationDialog")
        self.setWindowTitle("Add a recommendation")
        form = QFormLayout(self)
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setMaxLength(TITLE_LIMIT)
        self.family_text = QPlainTextEdit()
        self.family_text.setAccessibleName("What it is, for the family")
        self.family_text.setFixedHeight(70)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Why it matters")
        self.reason.setPlaceholderText("… because (e.g. the dog sleeps across the route to the toilet)")
        self.reason.setMaxLength(NOTE_LIMIT)
        self.tier = QComboBox()
        for tier in Tier:
            self.tier.addItem(f"{tier.code} {tier.label}", tier.value)
        self.tier.setCurrentIndex(2)
        self.category = QComboBox()
        for value in ("modification", "equipment", "education", "referral"):
            self.category.addItem(value.capitalize(), value)
        self.who = QComboBox()
        for value in R.WHO:
            self.who.addItem(value.capitalize(), value)
        self.room = QComboBox()
        self.room.addItem("Whole home", None)
        for room_id, name in rooms:
            self.room.addItem(name, room_id)
        self.error = field_error_label("custom")
        for label, widget in (("Title", self.title), ("For the family", self.family_text), ("Because", self.reason),
                              ("Priority", self.tier), ("Type", self.category), ("Who does it", self.who),
                              ("Room", self.room)):
            form.addRow(label, widget)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def fields(self) -> dict:
        return {"title": self.title.text(), "family_text": self.family_text.toPlainText(),
                "reason": self.reason.text(), "tier": self.tier.currentData(), "category": self.category.currentData(),
                "who": self.who.currentData(), "room_id": self.room.currentData()}

    def _check(self) -> None:
        missing = [n for n, w in (("a title", self.title), ("why it matters", self.reason)) if is_blank(w.text())]
        if missing:
            self.error.setText("Please give " + " and ".join(missing) + ".")
            self.error.show()
            return
        try:   # the service's own rule, said here before the dialog closes
            clean_kind(self.family_text.toPlainText(), field="family_text", kind="note", label="The family wording")
        except ValidationError as exc:
            self.error.setText(exc.errors[0].message)
            self.error.show()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, rooms: list[tuple[str, str]]) -> dict | None:
        dialog = cls(parent, rooms)
        return dialog.fields() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RecommendationsScreen(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("recommendationsScreen")
        self.session = session
        self.assessment_id: str | None = None
        self.stack: QUndoStack | None = None
        self.recs: dict[str, RecommendationView] = {}
        self.current: RecommendationView | None = None
        self.lock: VisitLock | None = None
        layout = QVBoxLayout(self)
        add = QPushButton("Add recommendation…")
        add.setObjectName("addCustomButton")
        add.setMinimumHeight(TOUCH)
        add.clicked.connect(self._add_custom)
        layout.addWidget(header_row(QLabel("<h2>Recommendations</h2>"), add))
        # List beside the detail from 900 px; narrower, the list sits above the detail and the page scrolls.
        splitter = FoldingSplitter(900, stacked_heights=(240, 420))
        self.splitter = splitter
        self.tree = QTreeWidget()
        self.tree.setObjectName("recommendationTree")
        self.tree.setAccessibleName("Recommendations by priority")
        self.tree.setHeaderLabels(["Recommendation", "Room", "Status"])
        self.tree.setColumnWidth(0, 340)
        self.tree.setColumnWidth(1, 110)
        self.tree.setWordWrap(True)
        self.tree.currentItemChanged.connect(lambda item, _prev: self._show(item))
        splitter.addWidget(self.tree)
        splitter.addWidget(self._build_detail())
        splitter.setSizes([560, 520])
        splitter.setStretchFactor(0, 1)  # a wide window widens the list as much as the detail
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        session.bus.changed.connect(self._on_bus_changed)

    def _build_detail(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("recommendationDetail")
        layout = QVBoxLayout(panel)
        self.reason = QLabel()
        self.reason.setObjectName("recReason")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        layout.addWidget(self._build_options())
        status_row = QHBoxLayout()
        self.status_buttons: dict[str, QPushButton] = {}
        for status, label in (("agreed", "Agree"), ("declined", "Decline"), ("proposed", "Undecided")):
            button = QPushButton(label)
            button.setObjectName(f"status_{status}")
            button.setCheckable(True)
            button.setProperty("answer", True)
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(lambda _c, s=status: self._set_status(s))
            self.status_buttons[status] = button
            status_row.addWidget(button)
        layout.addLayout(status_row)
        layout.addWidget(QLabel("After the visit:"))
        after_row = QGridLayout()
        for n, status in enumerate(("ordered", "installed", "in_use", "not_used", "removed")):
            button = QPushButton(STATUS_LABELS[status])
            button.setObjectName(f"status_{status}")
            button.setCheckable(True)
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _c, s=status: self._set_status(s))
            self.status_buttons[status] = button
            after_row.addWidget(button, n // 3, n % 3)
        layout.addLayout(after_row)
        details = QHBoxLayout()
        self.status_date = QDateEdit()
        self.status_date.setObjectName("statusDate")
        self.status_date.setAccessibleName("Date of the status change")
        self.status_date.setCalendarPopup(True)
        self.status_date.setDisplayFormat("dd MMM yyyy")
        self.status_why = QLineEdit()
        self.status_why.setObjectName("statusWhy")
        self.status_why.setAccessibleName("Why (needed to decline, or for not used / removed)")
        self.status_why.setPlaceholderText("Why / note (needed for decline, not used, removed)")
        self.status_why.setMaxLength(NOTE_LIMIT)
        self.decided_by = QComboBox()
        self.decided_by.setObjectName("statusDecidedBy")
        self.decided_by.setAccessibleName("Whose decision (agree or decline)")
        self.decided_by.setToolTip("Whose decision an agree or decline is: the clinical report says so")
        for decider, label in DECIDER_LABELS.items():
            self.decided_by.addItem(label, decider.value)
        details.addWidget(QLabel("On"))
        details.addWidget(self.status_date)
        details.addWidget(self.status_why, 1)
        layout.addLayout(details)
        decision = QHBoxLayout()   # its own row: the why field keeps its width on a 1024 px tablet
        decision.addWidget(QLabel("Agree or decline:"))
        decision.addWidget(self.decided_by)
        decision.addStretch(1)
        layout.addLayout(decision)
        # Ordering, installing and the rest of the lifecycle happen after the report is signed.
        mark(AFTER_SIGN_OFF, *self.status_buttons.values(), self.status_date, self.status_why, self.decided_by)
        self.status_error = field_error_label("status")
        layout.addWidget(self.status_error)
        self.history = QLabel()
        self.history.setObjectName("statusHistory")
        self.history.setWordWrap(True)
        layout.addWidget(self.history)
        form = QFormLayout()
        self.title = QLineEdit()
        self.family_text = QPlainTextEdit()
        self.clinical_text = QPlainTextEdit()
        self.editors: dict[str, DebouncedText] = {}
        for name, label, widget in (("title", "Title", self.title), ("family_text", "For the family", self.family_text),
                                    ("clinical_text", "Clinical detail", self.clinical_text)):
            widget.setObjectName(f"rec_{name}")
            widget.setAccessibleName(label)
            if isinstance(widget, QPlainTextEdit):
                widget.setFixedHeight(72)
                widget.setTabChangesFocus(True)
            else:
                widget.setMaxLength(TITLE_LIMIT)
            self.editors[name] = DebouncedText(widget, lambda t, n=name: self._edit(n, t), self.session.pending)
            form.addRow(label, widget)
        self.tier = QComboBox()
        self.tier.setObjectName("recTier")
        self.tier.setAccessibleName("Priority")
        self.tier.addItem("As derived from the findings", None)
        for tier in Tier:
            self.tier.addItem(f"{tier.code} {tier.label}", tier.value)
        self.tier_reason = QLineEdit()
        self.tier_reason.setObjectName("recTierReason")
        self.tier_reason.setAccessibleName("Reason for changing the priority")
        self.tier_reason.setPlaceholderText("Why the priority changes (required)")
        self.tier_reason.setMaxLength(NOTE_LIMIT)
        apply_tier = QPushButton("Change priority")
        apply_tier.setObjectName("applyTierButton")
        apply_tier.clicked.connect(self._change_tier)
        self.tier_error = field_error_label("tier")
        tier_row = QHBoxLayout()
        tier_row.addWidget(self.tier)
        tier_row.addWidget(apply_tier)
        form.addRow("Priority", tier_row)
        form.addRow("", self.tier_reason)
        form.addRow("", self.tier_error)
        self.goal = QComboBox()
        self.goal.setObjectName("recGoal")
        self.goal.setAccessibleName("Goal this serves")
        # Goals are the client's own sentences: never let a long one widen the panel past a small screen.
        self.goal.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.goal.setMinimumContentsLength(16)
        self.goal.activated.connect(lambda _i: self._link_goal())
        form.addRow("Serves goal", self.goal)
        self.serves = QLabel()
        self.serves.setWordWrap(True)
        self.serves.setObjectName("recFindings")
        form.addRow("Answers finding", self.serves)
        layout.addLayout(form)
        self.order_panel = OrderLinePanel(self.session)
        layout.addWidget(self.order_panel)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("recommendationDetailScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(panel)
        # Enough width for the buttons and options on a 1024 px tablet; the list gives way first.
        scroll.setMinimumWidth(470)
        return scroll

    def _build_options(self) -> QWidget:
        """Alternatives that answer the same problem: the app's pick, why, and a way to switch."""
        self.options_box = QWidget()
        self.options_box.setObjectName("recOptions")
        grid = QGridLayout(self.options_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.option = QComboBox()
        self.option.setObjectName("recOption")
        self.option.setAccessibleName("Chosen option")
        self.option.setMinimumHeight(TOUCH)
        self.option.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.option.setMinimumContentsLength(16)
        self.option.activated.connect(lambda _i: self._choose_option(self.option.currentData()))
        self.option_reset = QPushButton("Use the suggested option")
        self.option_reset.setObjectName("recOptionReset")
        self.option_reset.clicked.connect(lambda: self._choose_option(None))
        self.option_why = QLabel()
        self.option_why.setObjectName("recOptionWhy")
        self.option_why.setWordWrap(True)
        self.option_error = field_error_label("option")
        grid.addWidget(QLabel("Option"), 0, 0)
        grid.addWidget(self.option, 0, 1)
        grid.addWidget(self.option_reset, 1, 1)
        grid.addWidget(self.option_why, 2, 0, 1, 2)
        grid.addWidget(self.option_error, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.options_box.hide()
        return self.options_box

    def _show_options(self, rec: RecommendationView) -> None:
        self.options_box.setVisible(bool(rec.options))
        self.option_error.hide()
        if not rec.options:
            return
        self.option.blockSignals(True)
        self.option.clear()
        for n, option in enumerate(rec.options):
            self.option.addItem(option.title if option.suitable else f"{option.title} (does not fit)", option.template_id)
            if not option.suitable:
                self.option.setItemData(n, option.note, Qt.ItemDataRole.ToolTipRole)
            if option.chosen:
                self.option.setCurrentIndex(n)
        self.option.blockSignals(False)
        chosen_by_therapist = rec.choice_reason.startswith("Chosen by the therapist")
        self.option_reset.setVisible(chosen_by_therapist)
        others = [o.title for o in rec.options if not o.chosen and o.suitable]
        self.option_why.setText(escape(rec.choice_reason) + (
            "<br>Other options: " + escape("; ".join(others)) if others else ""))

    def _choose_option(self, template_id: str | None) -> None:
        rec = self.current
        if rec is None or self.stack is None:
            return
        chosen = next((o for o in rec.options if o.chosen), None)
        if template_id is not None and chosen is not None and chosen.template_id == template_id:
            return
        label = next((o.title for o in rec.options if o.template_id == template_id), "suggested")
        undo.push_checked(self.stack, undo.ChooseOptionCommand(self.session, rec.id, template_id, label),
                          self.option_error)

    # -- loading ----------------------------------------------------------------------------
    def open_visit(self, assessment_id: str, stack: QUndoStack) -> None:
        self.assessment_id, self.stack = assessment_id, stack
        self.refresh()

    def refresh(self) -> None:
        if self.assessment_id is None:
            return
        keep = self.current.id if self.current else None
        recs = self.session.read(R.list_recommendations, self.assessment_id) or []
        self.recs = {r.id: r for r in recs}
        self.tree.blockSignals(True)
        self.tree.clear()
        selected = None
        for tier in Tier:
            group = [r for r in recs if r.tier is tier]
            if not group:
                continue
            head = QTreeWidgetItem([f"{tier.code} {tier.label} — {len(group)}", "", ""])
            head.setForeground(0, QBrush(QColor(TIER_COLOURS[tier])))
            head.setFirstColumnSpanned(False)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFlags(head.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(head)
            for rec in group:
                title = rec.title + (f"  ·  {len(rec.options)} options" if len(rec.options) > 1 else "")
                child = QTreeWidgetItem([title, rec.room_name, STATUS_LABELS.get(rec.status, rec.status)])
                child.setData(0, Qt.ItemDataRole.UserRole, rec.id)
                child.setToolTip(0, rec.reason)
                if rec.status == "declined":
                    child.setForeground(0, QBrush(QColor("#7B8794")))
                head.addChild(child)
                if rec.id == keep or selected is None:
                    selected = child
            head.setExpanded(True)
        self.tree.blockSignals(False)
        if selected is not None:
            self.tree.setCurrentItem(selected)
        self._show(self.tree.currentItem())

    def set_locked(self, lock: VisitLock | None) -> None:
        """Wording, priority, goal, options and the order line as the lock allows; status steps stay open
        on a signed-off visit."""
        self.lock = lock
        apply_lock(self, lock)   # first, so what the lock had turned off is back before the detail decides
        self._show(self.tree.currentItem())

    def _show(self, item: QTreeWidgetItem | None) -> None:
        self._show_detail(item)
        apply_lock(self, self.lock)   # after the detail has enabled what the recommendation allows

    def _show_detail(self, item: QTreeWidgetItem | None) -> None:
        rec_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        self.current = self.recs.get(rec_id) if rec_id else None
        rec = self.current
        enabled = rec is not None
        for w in (self.title, self.family_text, self.clinical_text, self.tier, self.tier_reason, self.goal,
                  *self.status_buttons.values()):
            w.setEnabled(enabled)
        if rec is None:
            self.options_box.hide()
            self.reason.setText("Select a recommendation.")
            self.order_panel.show_line(None, None, StandardProfile.UK, None)
            return
        self.reason.setText(tier_chip(rec.tier, f"<b>{escape(rec.title)}</b><br>{escape(rec.reason)}"))
        self._show_options(rec)
        from homeassess.domain.lifecycle import MOVES

        allowed = MOVES[Status(rec.status)]
        for status, button in self.status_buttons.items():
            button.setChecked(rec.status == status)
            button.setEnabled(rec.status == status or Status(status) in allowed)
        today = self.session.ctx.clock.today()
        self.status_date.setDate(QDate(today.year, today.month, today.day))
        self.status_why.clear()
        self.status_error.hide()
        history = self.session.read(R.status_history, rec.id) or []
        self.history.setText("<br>".join(
            f"{e.on:%d %b %Y}: {escape(e.to_status.label)}"
            + (f" ({DECIDER_LABELS[Decider(e.decided_by)].lower()})" if e.decided_by else "")
            + (f" — {escape(e.by)}" if e.by else "")
            + (f" ({escape(e.why)})" if e.why else "") for e in history[-6:]))
        for name, editor in self.editors.items():
            editor.set_text(getattr(rec, name))
        self.tier.setCurrentIndex(self.tier.findData(rec.tier.value) if rec.tier_overridden else 0)
        keep_whole(self.tier_reason, rec.tier_override_reason)   # one stored before the rules is not cut
        self.tier_reason.setText(rec.tier_override_reason)
        self.tier_error.hide()
        self._fill_goals(rec)
        findings = {f.id: f for f in self.session.read(R.list_findings, self.assessment_id) or []}
        self.serves.setText("; ".join(f"{findings[f].title} ({findings[f].room_name})" for f in rec.finding_ids
                                      if f in findings) or "Suggested from the client's profile")
        visit = self.session.read(A.get_assessment, self.assessment_id)
        region = StandardProfile(visit.standard) if visit else StandardProfile.UK
        client = self.session.read(C.get_client, visit.client_id) if visit else None
        weight = client.profile.weight_kg if client else None
        self.order_panel.show_line(rec.id, self.stack, region, rec.template_id, weight)

    def _fill_goals(self, rec: RecommendationView) -> None:
        self.goal.clear()
        self.goal.addItem("No goal", None)
        visit = self.session.read(A.get_assessment, self.assessment_id)
        client = self.session.read(C.get_client, visit.client_id) if visit else None
        for goal in (client.goals if client else ()):
            self.goal.addItem(goal.text, goal.id)
        self.goal.setCurrentIndex(max(0, self.goal.findData(rec.goal_id)))

    # -- edits ------------------------------------------------------------------------------
    def _set_status(self, status: str) -> None:
        rec = self.current
        if not rec or self.stack is None or rec.status == status:
            if rec is not None:
                self.status_buttons[status].setChecked(rec.status == status)
            return
        on, why = self.status_date.date().toPython(), self.status_why.text().strip()
        try:
            R.check_status(self.session.ctx, rec.id, status, on=on, why=why)
        except (ConflictError, ValidationError) as exc:
            self.status_buttons[status].setChecked(False)
            self.status_error.setText(exc.errors[0].message if isinstance(exc, ValidationError) else str(exc))
            self.status_error.show()
            return
        decider = self.decided_by.currentData() if Status(status) in DECISIONS else ""
        undo.push_checked(self.stack, undo.rec_status(self.session, rec.id, rec.status, status, rec.title, on=on,
                                                      why=why, decided_by=decider), self.status_error)

    def _edit(self, field: str, text: str) -> None:
        rec = self.current
        if rec and self.stack is not None and getattr(rec, field) != text:
            try:
                self.stack.push(undo.rec_text(self.session, rec.id, field, getattr(rec, field), text, initiator=self))
            except ValidationError as exc:
                self.reason.setText(escape(exc.errors[0].message))
            except HomeAssessError as exc:   # e.g. checked out on a laptop since the visit was opened
                self.reason.setText(escape(str(exc)))

    def _change_tier(self) -> None:
        rec = self.current
        if rec is None or self.stack is None:
            return
        tier, reason = self.tier.currentData(), self.tier_reason.text().strip()
        if tier is not None and is_blank(reason):
            self.tier_error.setText("Say why the priority changes; the reason goes into the clinical report only.")
            self.tier_error.show()
            return
        old = (rec.tier.value if rec.tier_overridden else None, rec.tier_override_reason)
        undo.push_checked(self.stack, undo.rec_tier(self.session, rec.id, old, (tier, reason)), self.tier_error)

    def _link_goal(self) -> None:
        rec = self.current
        if rec and self.stack is not None and self.goal.currentData() != rec.goal_id:
            undo.push_checked(self.stack, undo.rec_goal(self.session, rec.id, rec.goal_id, self.goal.currentData()),
                              self.status_error)

    def _add_custom(self) -> None:
        if self.assessment_id is None or self.stack is None:
            return
        rooms = [(r.id, r.name) for r in self.session.read(A.list_rooms, self.assessment_id) or []]
        fields = CustomRecommendationDialog.ask(self, rooms)
        if fields:
            undo.push_checked(self.stack, undo.AddCustomRecommendationCommand(self.session, self.assessment_id,
                                                                              **fields), self.status_error)

    def _on_bus_changed(self, changes: Changes, initiator: object) -> None:
        if self.assessment_id is None or not (changes.recommendations or changes.goals):
            return
        if initiator is self:
            self.recs = {r.id: r for r in self.session.read(R.list_recommendations, self.assessment_id) or []}
            self.current = self.recs.get(self.current.id) if self.current else None
            return
        if self.isVisible():
            self.refresh()
