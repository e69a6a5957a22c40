"""Consent at the start of a visit: what the client agrees to, signed on the pad or given verbally and
witnessed. Saving adds to the visit's consent history; earlier recordings are kept."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from homeassess.domain.errors import ValidationError
from homeassess.domain.text_rules import CODE_LIMIT, NAME_LIMIT
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import visit_record as V
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import set_max_length
from homeassess.ui.widgets.responsive import scrolling
from homeassess.ui.widgets.signature_pad import SignaturePad
from homeassess.ui.widgets.style import TOUCH


class ConsentDialog(QDialog):
    """Record (or change) consent for one visit."""

    consent_recorded = Signal(object)   # the ConsentView saved

    def __init__(self, session: Session, assessment_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentDialog")
        self.setWindowTitle("Consent for this visit")
        self.session, self.assessment_id = session, assessment_id
        visit = session.read(A.get_assessment, assessment_id)
        self.therapist = visit.therapist_name if visit else ""
        self.client = session.read(C.get_client, visit.client_id) if visit else None
        layout = QVBoxLayout(self)
        # Taller than a 1024 × 600 tablet: the questions scroll, the buttons stay in view.
        layout.addWidget(scrolling(self._build_scope(), self._build_sharing(), self._build_how()), 1)
        self.error = QLabel()
        self.error.setObjectName("consentError")
        self.error.setStyleSheet("color: #B91C1C;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.history = QLabel()
        self.history.setObjectName("consentHistory")
        self.history.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Record consent")
        self.save_button.setObjectName("consentSave")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.error)
        layout.addWidget(self.history)
        layout.addWidget(buttons)
        self._fill(session.read(V.consent_history, assessment_id) or [])

    # -- building ---------------------------------------------------------------------------
    def _check(self, name: str, text: str, checked: bool) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(name)
        box.setAccessibleName(text)
        box.setChecked(checked)
        box.setMinimumHeight(32)
        return box

    def _build_scope(self) -> QGroupBox:
        box = QGroupBox("The client agrees to")
        layout = QVBoxLayout(box)
        self.to_assessment = self._check("consentAssessment", "The assessment of their home and daily tasks", True)
        self.photos_record = self._check("consentPhotosRecord", "Photos for the clinical record", True)
        self.photos_teaching = self._check("consentPhotosTeaching",
                                           "Photos used for teaching or research (without their name)", False)
        for widget in (self.to_assessment, self.photos_record, self.photos_teaching):
            layout.addWidget(widget)
        return box

    def _build_sharing(self) -> QGroupBox:
        box = QGroupBox("Reports may be shared with")
        layout = QVBoxLayout(box)
        self.share = QTableWidget(0, 2)
        self.share.setObjectName("consentShareTable")
        self.share.setAccessibleName("People reports may be shared with")
        self.share.setHorizontalHeaderLabels(["Name", "Relationship or role"])
        self.share.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.share.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.share.setFixedHeight(120)
        add = QPushButton("Add person")
        add.setObjectName("consentShareAdd")
        add.clicked.connect(lambda: self.add_person("", ""))
        remove = QPushButton("Remove")
        remove.setObjectName("consentShareRemove")
        remove.clicked.connect(lambda: self.share.removeRow(self.share.currentRow()))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(add)
        row.addWidget(remove)
        layout.addWidget(self.share)
        layout.addLayout(row)
        return box

    def _build_how(self) -> QGroupBox:
        box = QGroupBox("How consent was given")
        layout = QVBoxLayout(box)
        form = QFormLayout()
        self.given_by = QLineEdit(self.client.display_name if self.client else "")
        self.given_by.setObjectName("consentGivenBy")
        self.given_by.setAccessibleName("Consent given by")
        self.relationship = QLineEdit("client")
        self.relationship.setObjectName("consentRelationship")
        self.relationship.setAccessibleName("Their relationship to the client")
        set_max_length(self.relationship, CODE_LIMIT)   # the domain's limits (visit_record refuses beyond them)
        form.addRow("Given by", self.given_by)
        form.addRow("Who they are", self.relationship)
        layout.addLayout(form)
        self.signed = QRadioButton("Signed on the pad")
        self.signed.setObjectName("consentSigned")
        self.verbal = QRadioButton("Verbal, witnessed by the therapist")
        self.verbal.setObjectName("consentVerbal")
        self.method = QButtonGroup(self)
        for button in (self.signed, self.verbal):
            button.setMinimumHeight(32)
            self.method.addButton(button)
        self.signed.setChecked(True)
        methods = QHBoxLayout()
        methods.addWidget(self.signed)
        methods.addWidget(self.verbal)
        layout.addLayout(methods)
        self.pad = SignaturePad(self, name="consentPad")
        layout.addWidget(self.pad)
        self.witness = QLineEdit(self.therapist)
        self.witness.setObjectName("consentWitness")
        self.witness.setAccessibleName("Witnessed by (therapist)")
        set_max_length(self.witness, NAME_LIMIT)
        self.witness.setMinimumHeight(TOUCH - 8)
        self.witness_row = QWidget()
        witness_form = QFormLayout(self.witness_row)
        witness_form.setContentsMargins(0, 0, 0, 0)
        witness_form.addRow("Witnessed by", self.witness)
        layout.addWidget(self.witness_row)
        self.note = QPlainTextEdit()
        self.note.setObjectName("consentNote")
        self.note.setAccessibleName("Note about consent")
        self.note.setPlaceholderText("Note (optional): e.g. consent given by attorney; capacity considered")
        self.note.setFixedHeight(50)
        self.note.setTabChangesFocus(True)
        layout.addWidget(self.note)
        self.signed.toggled.connect(self._on_method_toggled)
        self._on_method_toggled(True)
        return box

    # -- state ------------------------------------------------------------------------------
    def add_person(self, name: str, relationship: str) -> None:
        row = self.share.rowCount()
        self.share.insertRow(row)
        self.share.setItem(row, 0, QTableWidgetItem(name))
        self.share.setItem(row, 1, QTableWidgetItem(relationship))

    def _fill(self, history: list[V.ConsentView]) -> None:
        if not history:
            self.history.setText("<i>Consent has not been recorded for this visit yet.</i>")
            for contact in (self.client.contacts if self.client else ()):
                self.add_person(contact.name, contact.relationship)
            return
        now = history[-1]
        self.to_assessment.setChecked(now.to_assessment)
        self.photos_record.setChecked(now.photos_record)
        self.photos_teaching.setChecked(now.photos_teaching)
        for person in now.share_with:
            self.add_person(person.name, person.relationship)
        self.given_by.setText(now.given_by)
        self.relationship.setText(now.given_by_relationship)
        self.verbal.setChecked(now.method is V.ConsentMethod.VERBAL)
        self.witness.setText(now.witness or self.therapist)
        self.note.setPlainText(now.note)
        lines = [f"{c.recorded_at:%d/%m/%Y %H:%M} — {escape(c.how)}; recorded by {escape(c.recorded_by)}"
                 for c in history]
        self.history.setText("<b>Recorded before</b> (a change is added, nothing is overwritten):<br>"
                             + "<br>".join(lines))
        self.save_button.setText("Record the change")

    def _on_method_toggled(self, _checked: bool) -> None:
        signed = self.signed.isChecked()
        self.pad.setVisible(signed)
        self.witness_row.setVisible(not signed)

    def people(self) -> tuple[V.SharePerson, ...]:
        out = []
        for row in range(self.share.rowCount()):
            name, rel = (self.share.item(row, c) for c in (0, 1))
            name_text, rel_text = (name.text().strip() if name else ""), (rel.text().strip() if rel else "")
            if name_text or rel_text:
                out.append(V.SharePerson(name_text, rel_text))
        return tuple(out)

    def consent(self) -> V.ConsentInput:
        """What the form says, as the service takes it."""
        method = V.ConsentMethod.SIGNED if self.signed.isChecked() else V.ConsentMethod.VERBAL
        return V.ConsentInput(
            to_assessment=self.to_assessment.isChecked(), photos_record=self.photos_record.isChecked(),
            photos_teaching=self.photos_teaching.isChecked(), share_with=self.people(), method=method,
            given_by=self.given_by.text(), given_by_relationship=self.relationship.text(),
            witness=self.witness.text(),
            signature_png=self.pad.to_png() if method is V.ConsentMethod.SIGNED else None,
            note=self.note.toPlainText())

    def save(self) -> None:
        try:
            view = self.session.call(V.record_consent, self.assessment_id, self.consent(), by=self.therapist,
                                     initiator=self)
        except ValidationError as exc:
            self.error.setText("<br>".join(escape(e.message) for e in exc.errors))
            self.error.show()
            return
        if view is not None:
            self.consent_recorded.emit(view)
            self.accept()
