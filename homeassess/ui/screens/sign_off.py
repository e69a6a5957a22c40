"""Finishing a visit: resolve what is unanswered (answer it or mark it not assessed), sign, lock.
After sign-off, changes are addenda: a dated, attributed note the reports print as such."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QRadioButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.domain.checklist import NOT_APPLICABLE, ItemKind
from homeassess.domain.errors import ConflictError, ValidationError
from homeassess.domain.text_rules import CODE_LIMIT, NAME_LIMIT, NOTE_LIMIT
from homeassess.services import assessments as A
from homeassess.services import recommendations as R
from homeassess.services import visit_record as V
from homeassess.ui.screens.client_editor import parse_date
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import set_max_length
from homeassess.ui.widgets.responsive import scrolling
from homeassess.ui.widgets.signature_pad import SignaturePad

ROOM_ROLE = Qt.ItemDataRole.UserRole
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("color: #B91C1C;")
    label.setWordWrap(True)
    label.hide()
    return label


class FinishVisitDialog(QDialog):
    """What is left, then the therapist's signature; signing locks the visit."""

    room_requested = Signal(str)   # "Answer in the room…": the overview opens the room editor
    signed_off = Signal(object)    # the VisitStatusView

    def __init__(self, session: Session, assessment_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finishVisitDialog")
        self.setWindowTitle("Finish the visit")
        self.session, self.assessment_id = session, assessment_id
        self.visit = session.read(A.get_assessment, assessment_id)
        layout = QVBoxLayout(self)
        self.problems = QLabel()
        self.problems.setObjectName("signOffProblems")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        # On a 1024 × 600 tablet the list and the signature scroll; the sign-off button stays in view.
        layout.addWidget(scrolling(self._build_outstanding(), self._build_signature(), stretch=(1, 0)), 1)
        self.error = _error_label("signOffError")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText("Sign off and lock the visit")
        self.sign_button.setObjectName("signOffButton")
        buttons.accepted.connect(self.sign)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def _build_outstanding(self) -> QGroupBox:
        box = QGroupBox("Still unanswered")
        layout = QVBoxLayout(box)
        self.tree = QTreeWidget()
        self.tree.setObjectName("signOffOutstanding")
        self.tree.setAccessibleName("Items still unanswered")
        self.tree.setHeaderHidden(True)
        layout.addWidget(self.tree, 1)
        answers = QHBoxLayout()
        for label, value, name in (("Yes", "yes", "answerYes"), ("No", "no", "answerNo"),
                                   ("Not applicable", NOT_APPLICABLE, "answerNa")):
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, v=value: self.answer_selected(v))
            answers.addWidget(button)
        open_room = QPushButton("Answer in the room…")
        open_room.setObjectName("answerInRoom")
        open_room.clicked.connect(self._open_room)
        answers.addWidget(open_room)
        layout.addLayout(answers)
        mark = QHBoxLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("notAssessedReason")
        self.reason.setAccessibleName("Why it was not assessed")
        self.reason.setPlaceholderText("Why not assessed (e.g. client tired, room locked)")
        self.reason.setMaxLength(NOTE_LIMIT)   # the domain's limits (visit_record refuses beyond them)
        mark_button = QPushButton("Mark not assessed")
        mark_button.setObjectName("markNotAssessed")
        mark_button.setToolTip("The question applies but was not looked at (different from 'not applicable'). "
                               "Select a room to mark the whole room.")
        mark_button.clicked.connect(self.mark_selected)
        mark.addWidget(self.reason, 1)
        mark.addWidget(mark_button)
        layout.addLayout(mark)
        self.outstanding_error = _error_label("outstandingError")
        layout.addWidget(self.outstanding_error)
        return box

    def _build_signature(self) -> QGroupBox:
        box = QGroupBox("Therapist's sign-off")
        layout = QVBoxLayout(box)
        self.by_pad = QRadioButton("Sign on the pad")
        self.by_pad.setObjectName("signOffByPad")
        self.typed = QRadioButton("Typed name with registration number and date")
        self.typed.setObjectName("signOffTyped")
        group = QButtonGroup(self)
        group.addButton(self.by_pad)
        group.addButton(self.typed)
        self.by_pad.setChecked(True)
        row = QHBoxLayout()
        row.addWidget(self.by_pad)
        row.addWidget(self.typed)
        layout.addLayout(row)
        form = QFormLayout()
        self.name = QLineEdit(self.visit.therapist_name if self.visit else "")
        self.name.setObjectName("signOffName")
        self.name.setAccessibleName("Therapist's name")
        self.registration = QLineEdit(self.visit.therapist_registration if self.visit else "")
        self.registration.setObjectName("signOffRegistration")
        self.registration.setAccessibleName("Registration number")
        set_max_length(self.registration, CODE_LIMIT)
        self.date = QLineEdit(self.session.ctx.clock.today().strftime("%d/%m/%Y"))
        self.date.setObjectName("signOffDate")
        self.date.setAccessibleName("Date of sign-off")
        form.addRow("Name", self.name)
        form.addRow("Registration no.", self.registration)
        form.addRow("Date", self.date)
        layout.addLayout(form)
        self.pad = SignaturePad(self, name="signOffPad")
        layout.addWidget(self.pad)
        self.by_pad.toggled.connect(lambda on: self.pad.setVisible(on))
        return box

    # -- state ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.tree.clear()
        outstanding = self.session.read(V.outstanding_items, self.assessment_id) or []
        for room, items in outstanding:
            parent = QTreeWidgetItem([f"{room.name} — {len(items)} left"])
            parent.setData(0, ROOM_ROLE, room.id)
            for item in items:
                child = QTreeWidgetItem([item.prompt])
                child.setData(0, ROOM_ROLE, room.id)
                child.setData(0, ITEM_ROLE, item.id)
                child.setData(0, KIND_ROLE, item.kind.value)
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
        self.tree.expandAll()
        problems = self.session.read(V.sign_off_problems, self.assessment_id) or []
        if problems:
            self.problems.setText("<b>Before signing off:</b><br>" + "<br>".join(escape(p) for p in problems))
        else:
            self.problems.setText("Everything is answered or marked not assessed. Sign to lock the visit; "
                                  "later changes become addenda.")
        self.sign_button.setEnabled(not problems)

    def _selected(self) -> tuple[str | None, str | None, str | None]:
        item = self.tree.currentItem()
        if item is None:
            return None, None, None
        return item.data(0, ROOM_ROLE), item.data(0, ITEM_ROLE), item.data(0, KIND_ROLE)

    def _show(self, label: QLabel, message: str) -> None:
        label.setText(escape(message))
        label.show()

    def answer_selected(self, value: str) -> None:
        room_id, item_id, kind = self._selected()
        if room_id is None or item_id is None:
            return self._show(self.outstanding_error, "Select an item to answer.")
        if value != NOT_APPLICABLE and kind != ItemKind.YES_NO.value:
            return self._show(self.outstanding_error, "This item needs its own answer: use “Answer in the room…”.")
        try:
            self.session.call(A.set_answer, room_id, item_id, value=value)
        except (ValidationError, ConflictError) as exc:
            return self._show(self.outstanding_error, str(exc))
        self.outstanding_error.hide()
        self.refresh()

    def mark_selected(self) -> None:
        room_id, item_id, _kind = self._selected()
        if room_id is None:
            return self._show(self.outstanding_error, "Select an item, or a room to mark the whole room.")
        try:
            self.session.call(V.mark_not_assessed, room_id, item_id, reason=self.reason.text(), by=self.name.text())
        except (ValidationError, ConflictError) as exc:
            return self._show(self.outstanding_error, str(exc))
        self.outstanding_error.hide()
        self.refresh()

    def _open_room(self) -> None:
        room_id, _item, _kind = self._selected()
        if room_id is not None:
            self.room_requested.emit(room_id)
            self.reject()

    def sign_off_input(self) -> V.SignOffInput:
        try:
            signed_on = parse_date(self.date.text())
        except ValueError:
            signed_on = None
        pad = self.by_pad.isChecked()
        return V.SignOffInput(name=self.name.text(), registration=self.registration.text(),
                              signed_on=signed_on if isinstance(signed_on, date) else None,
                              method=V.SignOffMethod.SIGNATURE if pad else V.SignOffMethod.TYPED,
                              signature_png=self.pad.to_png() if pad else None)

    def sign(self) -> None:
        try:
            status = self.session.call(V.sign_off, self.assessment_id, self.sign_off_input(), initiator=self)
        except ValidationError as exc:
            return self._show(self.error, " ".join(e.message for e in exc.errors))
        except ConflictError as exc:
            self.refresh()
            return self._show(self.error, str(exc))
        if status is not None:
            self.signed_off.emit(status)
            self.accept()


class AddendumDialog(QDialog):
    """A dated, attributed note on a signed-off visit, optionally about one finding or recommendation."""

    addendum_added = Signal(object)   # the AddendumView

    def __init__(self, session: Session, assessment_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addendumDialog")
        self.setWindowTitle("Add an addendum")
        self.session, self.assessment_id = session, assessment_id
        visit = session.read(A.get_assessment, assessment_id)
        layout = QVBoxLayout(self)
        earlier = session.read(V.list_addenda, assessment_id) or []
        self.earlier = QLabel("<br>".join(escape(a.line) for a in earlier) or "<i>No addenda yet.</i>")
        self.earlier.setObjectName("addendaList")
        self.earlier.setWordWrap(True)
        layout.addWidget(QLabel("This visit is signed off. Changes are added as dated notes, shown on the reports."))
        layout.addWidget(self.earlier)
        form = QFormLayout()
        self.concerns = QComboBox()
        self.concerns.setObjectName("addendumConcerns")
        self.concerns.setAccessibleName("What the addendum is about")
        self._offer_targets()
        self.text = QPlainTextEdit()
        self.text.setObjectName("addendumText")
        self.text.setAccessibleName("Addendum")
        self.text.setTabChangesFocus(True)
        self.by = QLineEdit(visit.therapist_name if visit else "")
        self.by.setObjectName("addendumBy")
        self.by.setAccessibleName("Added by")
        set_max_length(self.by, NAME_LIMIT)
        form.addRow("About", self.concerns)
        form.addRow("Addendum", self.text)
        form.addRow("By", self.by)
        layout.addLayout(form)
        self.error = _error_label("addendumError")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("addendumSave")
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Add addendum")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _offer_targets(self) -> None:
        self.concerns.addItem("The visit as a whole", None)
        for f in self.session.read(R.list_findings, self.assessment_id) or []:
            self.concerns.addItem(f"Finding: {f.title} ({f.room_name})", ("finding", f.id))
        for r in self.session.read(R.list_recommendations, self.assessment_id) or []:
            self.concerns.addItem(f"Recommendation: {r.title}", ("recommendation", r.id))

    def save(self) -> None:
        target = self.concerns.currentData()
        about = {f"{target[0]}_id": target[1]} if target else {}
        try:
            view = self.session.call(V.add_addendum, self.assessment_id, self.text.toPlainText(), self.by.text(),
                                     initiator=self, **about)
        except (ValidationError, ConflictError) as exc:
            self.error.setText(escape(str(exc) if isinstance(exc, ConflictError)
                                      else " ".join(e.message for e in exc.errors)))
            self.error.show()
            return
        if view is not None:
            self.addendum_added.emit(view)
            self.accept()
