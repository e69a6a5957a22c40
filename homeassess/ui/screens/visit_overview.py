"""Visit overview: the visit's details, its status and consent, its rooms (add, rename, reorder, remove)
and what is unanswered."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListView, QPlainTextEdit,
    QPushButton, QSpinBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import HomeAssessError, ValidationError
from homeassess.domain.input_rules import NUMBERS
from homeassess.domain.text_rules import TEXT_LIMITS
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.services import assessments as A
from homeassess.services import visit_record as V
from homeassess.services.changes import Changes
from homeassess.services.dto import AssessmentView
from homeassess.services.visit_lock import VisitLock
from homeassess.ui import undo
from homeassess.ui.models.rooms import ROOM_ID_ROLE, RoomListModel
from homeassess.ui.screens.client_editor import parse_date
from homeassess.ui.screens.phone_import import PhoneImport
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label
from homeassess.ui.widgets.lock import AFTER_SIGN_OFF, ALWAYS, apply_lock, mark
from homeassess.ui.widgets.responsive import Columns, FlowLayout, column
from homeassess.ui.widgets.style import TOUCH, moved

TEXT_FIELDS = (("therapist_name", "Therapist"), ("therapist_profession", "Profession"),
               ("therapist_registration", "Registration no."), ("organisation", "Organisation"),
               ("property_type", "Type of home"), ("tenure", "Tenure (owner, renting …)"))
LONG_FIELDS = (("referral_reason", "Reason for referral"), ("people_present", "Present at the visit"),
               ("property_notes", "About the home"))


class VisitOverviewScreen(QWidget):
    room_opened = Signal(str)
    follow_up_requested = Signal()
    refused = Signal(str)   # an edit the record refused: the visit screen's banner says why

    def __init__(self, session: Session, rooms: RoomListModel) -> None:
        super().__init__()
        self.setObjectName("visitOverviewScreen")
        self.session, self.rooms = session, rooms
        self.assessment_id: str | None = None
        self.stack: QUndoStack | None = None
        self.texts: dict[str, DebouncedText] = {}
        self._loading = False
        self._fes_i_stored: int | None = None
        self.lock: VisitLock | None = None
        layout = QVBoxLayout(self)
        # Details beside rooms on a wide window; below about 720 px they stack and the page scrolls.
        self.columns = Columns(self._build_details(),
                               column(self._build_record(), self._build_rooms(), self._build_unanswered(),
                                      stretch=(0, 3, 2)),
                               breakpoint=720)
        layout.addWidget(self.columns)
        session.bus.changed.connect(self._on_bus_changed)

    def _build_details(self) -> QGroupBox:
        box = QGroupBox("Visit details")
        form = QFormLayout(box)
        self.date = QLineEdit()
        self.date.setObjectName("field_visit_date")
        self.date.setAccessibleName("Visit date")
        self.date.setMinimumHeight(36)
        self.date_error = field_error_label("visit_date")
        self.texts["visit_date"] = DebouncedText(self.date, self._save_date, self.session.pending)
        form.addRow("Visit date", self.date)
        form.addRow("", self.date_error)
        self.standard = QComboBox()
        self.standard.setObjectName("field_standard")
        self.standard.setAccessibleName("Standards to measure against")
        for profile in StandardProfile:
            self.standard.addItem(profile.label, profile.value)
        self.standard.currentIndexChanged.connect(lambda _i: self._save("standard", self.standard.currentData()))
        self.units = QComboBox()
        self.units.setObjectName("field_units")
        self.units.setAccessibleName("Display units")
        self.units.addItem("Metric (mm, °C)", DisplayUnits.METRIC.value)
        self.units.addItem("Imperial (in, °F)", DisplayUnits.IMPERIAL.value)
        self.units.currentIndexChanged.connect(lambda _i: self._save("units", self.units.currentData()))
        for combo in (self.standard, self.units):
            combo.setMinimumHeight(36)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)  # the column may be narrow; the list shows the whole name
        form.addRow("Standards", self.standard)
        form.addRow("Units", self.units)
        self.fes_i = QSpinBox()
        self.fes_i.setObjectName("field_fes_i")
        self.fes_i.setAccessibleName("Fear of falling, FES-I total (16 to 64)")
        fes = NUMBERS["fes_i_total"]
        self.fes_i.setRange(int(fes.low) - 1, int(fes.high))   # one below the lowest total: not recorded
        self.fes_i.setSpecialValueText("not recorded")
        self.fes_i.setToolTip("Falls Efficacy Scale – International: 16 low … 64 high concern (optional)")
        self.fes_i.setMinimumHeight(36)
        self.fes_i.editingFinished.connect(self._save_fes_i)
        mark(AFTER_SIGN_OFF, self.fes_i)   # an outcome measure: recorded after sign-off too
        form.addRow("Fear of falling (FES-I)", self.fes_i)
        for name, label in TEXT_FIELDS + LONG_FIELDS:
            widget = QPlainTextEdit() if (name, label) in LONG_FIELDS else QLineEdit()
            widget.setObjectName(f"field_{name}")
            widget.setAccessibleName(label)
            if isinstance(widget, QPlainTextEdit):
                widget.setFixedHeight(60)
                widget.setTabChangesFocus(True)
            else:
                widget.setMinimumHeight(36)
                widget.setMaxLength(TEXT_LIMITS[A.META_TEXT[name]])   # what the service stores
            self.texts[name] = DebouncedText(widget, lambda t, n=name: self._save(n, t), self.session.pending)
            form.addRow(label, widget)
        return box

    def _build_record(self) -> QGroupBox:
        """Status line, consent line and the two lifecycle actions (consent at the start, finish at the end)."""
        box = QGroupBox("Consent and sign-off")
        layout = QVBoxLayout(box)
        self.status_line = QLabel()
        self.status_line.setObjectName("visitStatusLine")
        self.status_line.setWordWrap(True)
        self.consent_line = QLabel()
        self.consent_line.setObjectName("visitConsentLine")
        self.consent_line.setWordWrap(True)
        self.consent_button = QPushButton("Consent…")
        self.consent_button.setObjectName("consentButton")
        self.finish_button = QPushButton("Finish visit…")
        self.finish_button.setObjectName("finishVisitButton")
        buttons = FlowLayout(justify=True)
        for button, slot in ((self.consent_button, self.open_consent), (self.finish_button, self.open_finish)):
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        mark(AFTER_SIGN_OFF, self.consent_button, self.finish_button)   # consent may change; addenda are added
        layout.addWidget(self.status_line)
        layout.addWidget(self.consent_line)
        layout.addLayout(buttons)
        self.dialog: QWidget | None = None  # the consent / finish / addendum dialog last opened
        return box

    def _build_rooms(self) -> QGroupBox:
        box = QGroupBox("Rooms")
        layout = QVBoxLayout(box)
        add_row = QHBoxLayout()
        self.room_type = QComboBox()
        self.room_type.setObjectName("roomTypeCombo")
        self.room_type.setAccessibleName("Room type to add")
        self.room_type.setMinimumHeight(TOUCH)
        self.room_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.room_type.setMinimumContentsLength(12)
        self._offer_room_types("home")
        add = QPushButton("Add room")
        add.setObjectName("addRoomButton")
        add.setMinimumHeight(TOUCH)
        add.clicked.connect(self._add_room)
        add_row.addWidget(self.room_type, 1)
        add_row.addWidget(add)
        layout.addLayout(add_row)
        self.list = QListView()
        self.list.setObjectName("overviewRooms")
        self.list.setAccessibleName("Rooms in this visit")
        self.list.setModel(self.rooms)
        self.list.activated.connect(lambda index: self.room_opened.emit(index.data(ROOM_ID_ROLE)))
        layout.addWidget(self.list, 1)
        self.room_error = field_error_label("room")
        layout.addWidget(self.room_error)
        phone = QPushButton("Import photos from phone…")
        phone.setObjectName("phoneImportButton")
        phone.setMinimumHeight(TOUCH)
        phone.clicked.connect(lambda: self.assessment_id and self.phone_import.start(self.assessment_id, self.stack))
        self.photo_status = QLabel()
        self.photo_status.setObjectName("phoneImportStatus")
        self.photo_status.setWordWrap(True)
        self.phone_import = PhoneImport(self.session, self, self.photo_status)
        buttons = FlowLayout(justify=True)
        for label, name, slot in (("Open", "openRoomButton", self._open), ("Rename…", "renameRoomButton", self._rename),
                                  ("Move up", "moveUpButton", lambda: self._move(-1)),
                                  ("Move down", "moveDownButton", lambda: self._move(1)),
                                  ("Remove", "removeRoomButton", self._remove)):
            button = QPushButton(label)
            button.setObjectName(name)
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if name == "openRoomButton":
                mark(ALWAYS, button)
        layout.addLayout(buttons)
        layout.addWidget(phone)
        layout.addWidget(self.photo_status)
        self.follow_up_button = QPushButton("Start a follow-up visit (review this one)")
        self.follow_up_button.setObjectName("startFollowUpButton")
        self.follow_up_button.setMinimumHeight(TOUCH)
        self.follow_up_button.clicked.connect(self.follow_up_requested.emit)
        mark(ALWAYS, self.follow_up_button)   # a new visit, which is not locked
        layout.addWidget(self.follow_up_button)
        return box

    def _build_unanswered(self) -> QGroupBox:
        box = QGroupBox("Still to answer")
        layout = QVBoxLayout(box)
        self.unanswered = QTreeWidget()
        self.unanswered.setObjectName("unansweredTree")
        self.unanswered.setAccessibleName("Unanswered items")
        self.unanswered.setHeaderHidden(True)
        self.unanswered.itemActivated.connect(
            lambda item, _c: self.room_opened.emit(item.data(0, Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.unanswered)
        return box

    # -- loading ----------------------------------------------------------------------------
    def open_visit(self, assessment_id: str, stack: QUndoStack) -> None:
        self.assessment_id, self.stack = assessment_id, stack
        view = self.session.read(A.get_assessment, assessment_id)
        if view is not None:
            self._fill(view)
        self._refresh_unanswered()
        self._refresh_record()

    def set_locked(self, lock: VisitLock | None) -> None:
        """What the lock refuses is read-only or disabled; opening rooms, consent and addenda as it allows."""
        self.lock = lock
        apply_lock(self, lock)

    def _refused(self, error: HomeAssessError) -> None:
        """An edit the record refuses (a held visit, a read-only copy, signed off): said in the banner."""
        self.refused.emit(str(error))

    def _offer_room_types(self, visit_kind: str) -> None:
        self.room_type.clear()
        for checklist in self.session.ctx.registry.room_types_for(visit_kind):
            self.room_type.addItem(f"{checklist.title} ({len(checklist.items)} items)", checklist.id)

    def _fill(self, view: AssessmentView) -> None:
        self._offer_room_types(view.kind)
        self._loading = True
        try:
            self.texts["visit_date"].set_text(view.visit_date.strftime("%d/%m/%Y"))
            for name, _label in TEXT_FIELDS + LONG_FIELDS:
                self.texts[name].set_text(getattr(view, name))
            self.standard.setCurrentIndex(self.standard.findData(view.standard))
            self.fes_i.setValue(view.fes_i_total or 15)
            self._fes_i_stored = view.fes_i_total
            self.units.setCurrentIndex(self.units.findData(view.units))
        finally:
            self._loading = False

    def _refresh_unanswered(self) -> None:
        self.unanswered.clear()
        if self.assessment_id is None:
            return
        total = 0
        for room, items in self.session.read(V.outstanding_items, self.assessment_id) or []:
            parent = QTreeWidgetItem([f"{room.name} — {len(items)} left"])
            parent.setData(0, Qt.ItemDataRole.UserRole, room.id)
            for item in items:
                child = QTreeWidgetItem([item.prompt])
                child.setData(0, Qt.ItemDataRole.UserRole, room.id)
                parent.addChild(child)
            self.unanswered.addTopLevelItem(parent)
            total += len(items)
        if total == 0:
            self.unanswered.addTopLevelItem(QTreeWidgetItem(["Everything in every room is answered."]))

    def _refresh_record(self) -> None:
        if self.assessment_id is None:
            return
        status = self.session.read(V.visit_status, self.assessment_id)
        consent = self.session.read(V.current_consent, self.assessment_id)
        signed = status is not None and status.status is V.VisitStatus.FINALISED
        self.status_line.setText(f"<b>Status:</b> {escape(status.label) if status else ''}")
        if consent is None:
            self.consent_line.setText("<span style='color:#B91C1C'><b>Consent not recorded.</b> Record it before "
                                      "you start; photos cannot be added without photo consent.</span>")
        else:
            photos = "photos for the record" if consent.photos_record else "no photos"
            self.consent_line.setText(f"<b>Consent:</b> {escape(consent.how)}; {photos}"
                                      f"{', teaching' if consent.photos_teaching else ''} "
                                      f"({consent.recorded_at:%d/%m/%Y %H:%M})")
        self.finish_button.setText("Add addendum…" if signed else "Finish visit…")

    def open_consent(self) -> None:
        from homeassess.ui.screens.consent import ConsentDialog

        if self.assessment_id:
            self._open_dialog(ConsentDialog(self.session, self.assessment_id, self))

    def open_finish(self) -> None:
        """Finish the visit, or once it is signed off, add an addendum."""
        from homeassess.ui.screens.sign_off import AddendumDialog, FinishVisitDialog

        if self.assessment_id is None:
            return
        status = self.session.read(V.visit_status, self.assessment_id)
        if status is not None and status.status is V.VisitStatus.FINALISED:
            self._open_dialog(AddendumDialog(self.session, self.assessment_id, self))
        else:
            dialog = FinishVisitDialog(self.session, self.assessment_id, self)
            dialog.room_requested.connect(self.room_opened)
            self._open_dialog(dialog)

    def _open_dialog(self, dialog: QWidget) -> None:
        self.session.pending.flush_all()  # a typed field not yet saved is saved before sign-off reads it
        self.dialog = dialog
        dialog.open()

    # -- edits ------------------------------------------------------------------------------
    def _save(self, name: str, value: object) -> None:
        if self._loading or self.assessment_id is None:
            return
        try:
            self.session.call(A.update_assessment, self.assessment_id, initiator=self, **{name: value})
        except ValidationError as exc:
            self.date_error.setText(exc.errors[0].message)
            self.date_error.show()
        except HomeAssessError as exc:
            self._refused(exc)

    def _save_fes_i(self) -> None:
        from homeassess.services.followup import set_outcome_measures

        if self._loading or self.assessment_id is None:
            return
        value = self.fes_i.value()
        fes_i = None if value < NUMBERS["fes_i_total"].low else value
        if fes_i == self._fes_i_stored:   # leaving the field unchanged is not an edit
            return
        try:
            if self.session.call(set_outcome_measures, self.assessment_id, fes_i=fes_i, initiator=self) is not None:
                self._fes_i_stored = fes_i
        except ValidationError as exc:
            self.date_error.setText(exc.errors[0].message)
            self.date_error.show()
        except HomeAssessError as exc:
            self._refused(exc)

    def _save_date(self, text: str) -> None:
        try:
            value = parse_date(text) or date.today()
        except ValueError as exc:
            self.date_error.setText(str(exc))
            self.date_error.show()
            return
        self.date_error.hide()
        self._save("visit_date", value)

    def selected_room(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(ROOM_ID_ROLE) if index.isValid() else None

    def _add_room(self) -> None:
        if self.assessment_id and self.stack is not None:
            undo.push_checked(self.stack, undo.AddRoomCommand(self.session, self.assessment_id,
                                                              self.room_type.currentData()), self.room_error)

    def _open(self) -> None:
        if room_id := self.selected_room():
            self.room_opened.emit(room_id)

    def _rename(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid() or self.stack is None:
            return
        old = self.rooms.rooms()[index.row()].name
        new, ok = QInputDialog.getText(self, "Rename room", "Room name:", text=old)
        if ok and new.strip() and new.strip() != old:   # a name the rules refuse is said under the rooms
            undo.push_checked(self.stack, undo.rename_room(self.session, index.data(ROOM_ID_ROLE), old, new.strip()),
                              self.room_error)

    def _move(self, step: int) -> None:
        ids, row = [r.id for r in self.rooms.rooms()], self.list.currentIndex().row()
        new = moved(ids, row, step)
        if new is not None and self.stack is not None and undo.push_checked(
                self.stack, undo.reorder_rooms(self.session, self.assessment_id, ids, new), self.room_error):
            self.list.setCurrentIndex(self.rooms.index(row + step))

    def _remove(self) -> None:
        index = self.list.currentIndex()
        if index.isValid() and self.stack is not None:
            room = self.rooms.rooms()[index.row()]
            undo.push_checked(self.stack, undo.remove_room(self.session, room.id, room.name), self.room_error)

    def _on_bus_changed(self, changes: Changes, initiator: object) -> None:
        if self.assessment_id is None:
            return
        if changes.assessment_meta and initiator is not self:
            view = self.session.read(A.get_assessment, self.assessment_id)
            if view is not None:
                self._fill(view)
        if changes.assessment_meta:
            self._refresh_record()
        if changes.rooms or changes.answers:
            self._refresh_unanswered()
