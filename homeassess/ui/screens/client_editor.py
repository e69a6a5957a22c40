"""Client profile editor: every field saves as it is changed; problems show beside the field.

A new client is created as soon as both names are filled in; until then the form says so.

On a laptop linked to a team server the client's own record may be the server's read-only copy
(services/visit_lock.client_lock): a banner says so and every input of the profile, contacts and goals
is read-only, until one of the client's visits is checked out here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.domain.checklist import Quantity
from homeassess.domain.client import (
    AidUse, Behaviour, Cognition, Condition, MobilityAid, Precaution, Sense, Symptom, Transfers, WeakSide,
)
from homeassess.domain.errors import ConflictError, ValidationError
from homeassess.domain.input_rules import NUMBERS
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.text_rules import TEXT_LIMITS, is_blank
from homeassess.domain.units import format_value, parse_measurement
from homeassess.domain.validation import CLIENT_TEXT
from homeassess.services import clients as C
from homeassess.services.changes import Changes
from homeassess.services.dto import ClientDetail
from homeassess.services.visit_lock import VisitLock, client_lock
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label
from homeassess.ui.widgets.lock import ALWAYS, CLIENT_RECORD, apply_lock, lock_banner, mark

COGNITION = {Cognition.INTACT: "No concerns", Cognition.MILD: "Mild impairment",
             Cognition.MODERATE: "Moderate impairment", Cognition.SEVERE: "Severe impairment"}
SENSE = {Sense.NORMAL: "No concerns", Sense.IMPAIRED: "Impaired", Sense.SEVERE: "Severely impaired"}
MEASURES = {"aid_width_mm": ("Aid width (the widest aid)", Quantity.LENGTH),
            "aid_length_mm": ("Aid length (the longest aid)", Quantity.LENGTH),
            "aid_swl_kg": ("Aid's rated load (label)", Quantity.WEIGHT),
            "knee_height_mm": ("Knee height (floor to back of knee)", Quantity.LENGTH),
            "height_mm": ("Height", Quantity.LENGTH), "weight_kg": ("Weight", Quantity.WEIGHT)}


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("Type the date as 31/12/1946 or 1946-12-31")


class ClientEditorScreen(QWidget):
    back_requested = Signal()
    new_visit_requested = Signal(str)
    history_requested = Signal(str, str)   # ("client", id): the History… window

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("clientEditorScreen")
        self.session = session
        self.client_id: str | None = None
        self.version: int | None = None   # of the client as shown (stale edits are refused)
        self.units = DisplayUnits.METRIC
        self.errors: dict[str, QLabel] = {}
        self.texts: dict[str, DebouncedText] = {}
        self._identifier_key = "ID"
        self._loading = False
        self.lock: VisitLock | None = None
        self.checklists: list[QListWidget] = []
        self._build()
        session.bus.changed.connect(self._on_bus_changed)

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel("<h2>New client</h2>")
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setStyleSheet("color: #7A4D00; background: #FFF4D6; padding: 6px; border-radius: 4px;")
        self.message.setWordWrap(True)
        self.visit_button = QPushButton("Start a visit")
        self.visit_button.setObjectName("startVisitButton")
        self.visit_button.setMinimumHeight(40)
        self.visit_button.clicked.connect(lambda: self.client_id and self.new_visit_requested.emit(self.client_id))
        self.history_button = QPushButton("History…")
        self.history_button.setObjectName("clientHistoryButton")
        self.history_button.setMinimumHeight(40)
        self.history_button.clicked.connect(
            lambda: self.client_id and self.history_requested.emit("client", self.client_id))
        top.addWidget(self.heading, 1)
        top.addWidget(self.history_button)
        top.addWidget(self.visit_button)
        mark(ALWAYS, self.history_button, self.visit_button)   # viewing, and a new visit is the laptop's own
        outer.addLayout(top)
        self.lock_banner = lock_banner("clientLockBanner")
        outer.addWidget(self.lock_banner)
        outer.addWidget(self.message)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.body = body = QWidget()   # the editable area: what a lock makes read-only
        grid = QGridLayout(body)
        # Top-aligned: a box shorter than its neighbour keeps its own height instead of spreading its
        # fields apart to match it.
        top_aligned = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self._build_person(), 0, 0, top_aligned)
        grid.addWidget(self._build_health(), 0, 1, top_aligned)
        grid.addWidget(self._build_mobility(), 1, 0, top_aligned)
        grid.addWidget(self._build_support(), 1, 1, top_aligned)
        grid.addWidget(self._build_goals(), 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

    def _row(self, form: QFormLayout, name: str, label: str, widget: QWidget) -> None:
        widget.setObjectName(f"field_{name}")
        widget.setAccessibleName(label)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        self.errors[name] = field_error_label(name)
        box.addWidget(self.errors[name])
        form.addRow(label, box)

    def _text(self, form: QFormLayout, name: str, label: str, multiline: bool = False) -> None:
        widget = QPlainTextEdit() if multiline else QLineEdit()
        if multiline:
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(64)
        else:
            widget.setMinimumHeight(36)
            if name in CLIENT_TEXT or name == "identifier":   # the domain's limit: never more than is stored
                widget.setMaxLength(TEXT_LIMITS[CLIENT_TEXT.get(name, "code")])
        self._row(form, name, label, widget)
        self.texts[name] = DebouncedText(widget, lambda text, n=name: self._save_text(n, text), self.session.pending)

    def _combo(self, form: QFormLayout, name: str, label: str, options: dict[Any, str]) -> None:
        combo = QComboBox()
        combo.setMinimumHeight(36)
        for value, text in options.items():
            combo.addItem(text, value.value if hasattr(value, "value") else value)
        combo.currentIndexChanged.connect(lambda _i, n=name, c=combo: self._save(n, c.currentData()))
        self._row(form, name, label, combo)
        setattr(self, f"combo_{name}", combo)

    def _checklist(self, name: str, options: dict[str, str]) -> QListWidget:
        widget = QListWidget()
        widget.setObjectName(f"field_{name}")
        widget.setAccessibleName(name.replace("_", " ").capitalize())
        for value, text in options.items():
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            widget.addItem(item)
        widget.itemChanged.connect(lambda _item, n=name, w=widget: self._save(n, self._checked(w)))
        self.errors[name] = field_error_label(name)
        self.checklists.append(widget)
        return widget

    @staticmethod
    def _checked(widget: QListWidget) -> list[str]:
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def _build_person(self) -> QGroupBox:
        box = QGroupBox("Person")
        form = QFormLayout(box)
        self._text(form, "given_name", "Given name")
        self._text(form, "family_name", "Family name")
        self._text(form, "preferred_name", "Preferred name")
        self._text(form, "date_of_birth", "Date of birth")
        self.texts["date_of_birth"].widget.setPlaceholderText("31/12/1946")
        self._text(form, "address", "Address", multiline=True)
        self._text(form, "phone", "Phone")
        self._text(form, "identifier", "NHS / Medicare / NDIS no.")
        return box

    def _build_health(self) -> QGroupBox:
        box = QGroupBox("Health and precautions")
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel("Conditions"))
        self.conditions = self._checklist("conditions", {c.value: c.label for c in Condition})
        self.conditions.setFixedHeight(130)
        layout.addWidget(self.conditions)
        form = QFormLayout()
        self._text(form, "other_conditions", "Other conditions", multiline=True)
        layout.addLayout(form)
        layout.addWidget(QLabel("Movement precautions"))
        self.precautions = self._checklist("precautions", {p.value: p.label for p in Precaution})
        self.precautions.setFixedHeight(100)
        layout.addWidget(self.precautions)
        form2 = QFormLayout()
        self._text(form2, "precaution_notes", "Precaution details (side, until when)", multiline=True)
        self._combo(form2, "cognition", "Memory and thinking", COGNITION)
        self._combo(form2, "vision", "Vision", SENSE)
        self._combo(form2, "hearing", "Hearing", SENSE)
        layout.addLayout(form2)
        self.home_oxygen = self._check(layout, "home_oxygen", "Uses home oxygen")
        layout.addWidget(QLabel("Behaviours"))
        self.behaviours = self._checklist("behaviours", {b.value: b.label for b in Behaviour})
        self.behaviours.setFixedHeight(80)
        layout.addWidget(self.behaviours)
        layout.addWidget(QLabel("Symptoms that change what is safe"))
        self.symptoms = self._checklist("symptoms", {s.value: s.label for s in Symptom})
        self.symptoms.setFixedHeight(140)
        layout.addWidget(self.symptoms)
        return box

    def _check(self, layout: QVBoxLayout, name: str, label: str) -> QCheckBox:
        check = QCheckBox(label)
        check.setObjectName(f"field_{name}")
        check.setMinimumHeight(32)
        check.toggled.connect(lambda on, n=name: self._save(n, on))
        layout.addWidget(check)
        return check

    def _build_mobility(self) -> QGroupBox:
        box = QGroupBox("Mobility and body measurements")
        form = QFormLayout(box)
        self._combo(form, "mobility_aid", "Walking aid / wheelchair", {a: a.label for a in MobilityAid})
        self._combo(form, "second_aid", "Second aid (if any)",
                    {MobilityAid.NONE: "None", **{a: a.label for a in MobilityAid if a is not MobilityAid.NONE}})
        self._combo(form, "second_aid_use", "Second aid is used", {u: u.label for u in AidUse})
        self._combo(form, "transfers", "Transfers (bed, chair, toilet)", {t: t.label for t in Transfers})
        self._combo(form, "weak_side", "Weaker side", {w: w.label for w in WeakSide})
        for name, (label, _q) in MEASURES.items():
            self._text(form, name, label)
        falls = QSpinBox()
        rule = NUMBERS["falls_last_12_months"]
        falls.setRange(int(rule.low), int(rule.high))
        falls.setMinimumHeight(36)
        falls.valueChanged.connect(lambda v: self._save("falls_last_12_months", v))
        self.falls = falls
        self._row(form, "falls_last_12_months", "Falls in the last 12 months", falls)
        self.equipment = QTableWidget(0, 2)
        self.equipment.setHorizontalHeaderLabels(["Item (bed, hoist, chair…)", "Rated load"])
        header = self.equipment.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.equipment.setObjectName("field_equipment")
        self.equipment.setFixedHeight(110)
        self.equipment.itemChanged.connect(lambda _i: self._save_equipment())
        self._row(form, "equipment", "Own equipment and its rated load", self.equipment)
        buttons = QHBoxLayout()
        add = QPushButton("Add equipment")
        add.setObjectName("addEquipmentButton")
        add.clicked.connect(self._add_equipment)
        remove = QPushButton("Remove equipment")
        remove.setObjectName("removeEquipmentButton")
        remove.clicked.connect(self._remove_equipment)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        form.addRow("", buttons)
        return box

    def _build_support(self) -> QGroupBox:
        box = QGroupBox("Home and support")
        layout = QVBoxLayout(box)
        self.lives_alone = self._check(layout, "lives_alone", "Lives alone")
        self.has_carers = self._check(layout, "has_carers", "Has carers")
        self.household_smoker = self._check(layout, "household_smoker", "Someone smokes in the home")
        layout.addWidget(QLabel("Family, carers and contacts"))
        self.contacts = QTableWidget(0, 3)
        self.contacts.setObjectName("field_contacts")
        self.contacts.setAccessibleName("Contacts")
        self.contacts.setHorizontalHeaderLabels(["Name", "Relationship", "Phone"])
        self.contacts.horizontalHeader().setStretchLastSection(True)
        self.contacts.setFixedHeight(120)
        self.contacts.itemChanged.connect(lambda _i: self._save_contacts())
        layout.addWidget(self.contacts)
        self.errors["contacts"] = field_error_label("contacts")
        layout.addWidget(self.errors["contacts"])
        buttons = QHBoxLayout()
        add = QPushButton("Add contact")
        add.setObjectName("addContactButton")
        add.clicked.connect(self._add_contact)
        remove = QPushButton("Remove contact")
        remove.setObjectName("removeContactButton")
        remove.clicked.connect(self._remove_contact)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        form = QFormLayout()
        self._text(form, "notes", "Notes", multiline=True)
        layout.addLayout(form)
        return box

    def _build_goals(self) -> QGroupBox:
        from homeassess.ui.widgets.goals import GoalsEditor

        box = QGroupBox("Goals — in the client's own words")
        layout = QVBoxLayout(box)
        self.goals = GoalsEditor(self.session)
        self.goals.refused = self._refused
        layout.addWidget(self.goals)
        return box

    # -- loading ----------------------------------------------------------------------------
    def start_new(self) -> None:
        self.session.pending.flush_all()
        self.client_id = None
        self._fill(None)
        self.refresh_lock()

    def open_client(self, client_id: str) -> None:
        self.session.pending.flush_all()
        detail = self.session.read(C.get_client, client_id)
        if detail is not None:
            self.client_id = detail.id
            self._fill(detail)
            self.refresh_lock()

    def _fill(self, d: ClientDetail | None) -> None:
        self.version = d.version if d is not None else None
        self._loading = True
        try:
            for label in self.errors.values():
                label.hide()
            values = self._values(d)
            for name, editor in self.texts.items():
                editor.set_text(values.get(name, ""))
            p = d.profile if d else None
            for name, value in (("cognition", p.cognition if p else Cognition.INTACT),
                                ("vision", p.vision if p else Sense.NORMAL), ("hearing", p.hearing if p else Sense.NORMAL),
                                ("mobility_aid", p.mobility_aid if p else MobilityAid.NONE),
                                ("transfers", p.transfers if p else Transfers.INDEPENDENT),
                                ("weak_side", p.weak_side if p else WeakSide.NONE),
                                ("second_aid", p.second_aid if p else MobilityAid.NONE),
                                ("second_aid_use", p.second_aid_use if p else AidUse.OUTDOORS)):
                combo = getattr(self, f"combo_{name}")
                combo.setCurrentIndex(max(0, combo.findData(value.value)))
            for widget, chosen in ((self.conditions, {c.value for c in p.conditions} if p else set()),
                                   (self.precautions, {x.value for x in p.precautions} if p else set()),
                                   (self.behaviours, {b.value for b in p.behaviours} if p else set()),
                                   (self.symptoms, {s.value for s in p.symptoms} if p else set())):
                for i in range(widget.count()):
                    item = widget.item(i)
                    item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen
                                       else Qt.CheckState.Unchecked)
            self.falls.setValue(p.falls_last_12_months if p else 0)
            self.lives_alone.setChecked(bool(p and p.lives_alone))
            self.has_carers.setChecked(bool(p and p.has_carers))
            self.home_oxygen.setChecked(bool(p and p.home_oxygen))
            self.household_smoker.setChecked(bool(p and p.household_smoker))
            self.contacts.setRowCount(0)
            for contact in (p.contacts if p else ()):
                self._append_contact(contact.name, contact.relationship, contact.phone)
            self.equipment.setRowCount(0)
            for item in (p.equipment if p else ()):
                self._append_equipment(item.name, "" if item.swl_kg is None
                                       else format_value(item.swl_kg, Quantity.WEIGHT, self.units))
            self.goals.set_client(d)
        finally:
            self._loading = False
        self.heading.setText(f"<h2>{d.display_name}</h2>" if d else "<h2>New client</h2>")
        self.visit_button.setEnabled(d is not None)
        self.history_button.setEnabled(d is not None)
        self._show_message("" if d else "Type the client's given and family name to start; "
                                         "everything is saved as you type.")

    def _values(self, d: ClientDetail | None) -> dict[str, str]:
        if d is None:
            self._identifier_key = "ID"
            return {}
        self._identifier_key = next(iter(d.identifiers), "ID")
        p = d.profile
        values = {"given_name": d.given_name, "family_name": d.family_name, "preferred_name": d.preferred_name,
                  "date_of_birth": p.date_of_birth.strftime("%d/%m/%Y") if p.date_of_birth else "",
                  "address": d.address, "phone": d.phone, "identifier": next(iter(d.identifiers.values()), ""),
                  "other_conditions": d.other_conditions, "precaution_notes": d.precaution_notes, "notes": d.notes}
        stored = {"aid_width_mm": p.aid_width_mm, "aid_length_mm": p.aid_length_mm, "aid_swl_kg": p.aid_swl_kg,
                  "knee_height_mm": p.knee_height_mm, "height_mm": d.height_mm, "weight_kg": p.weight_kg}
        for name, (_label, quantity) in MEASURES.items():
            value = stored[name]
            values[name] = "" if value is None else format_value(value, quantity, self.units)
        return values

    # -- saving -----------------------------------------------------------------------------
    def _save_text(self, name: str, text: str) -> None:
        try:
            if name == "date_of_birth":
                value: Any = parse_date(text)
            elif name in MEASURES:
                quantity = MEASURES[name][1]
                value = parse_measurement(text, quantity, self.units, field=name) if text.strip() else None
            elif name == "identifier":  # keep the scheme's own label (e.g. "NHS number")
                name, value = "identifiers", ({self._identifier_key: text.strip()} if text.strip() else {})
            else:
                value = text
        except ValidationError as exc:
            self._show_field_error(name, exc.errors[0].message)
            return
        except ValueError as exc:
            self._show_field_error(name, str(exc))
            return
        self._save(name, value)

    def _save(self, name: str, value: Any) -> None:
        if self._loading:
            return
        if name in self.errors:
            self.errors[name].hide()
        try:
            if self.client_id is None:
                self._create_if_named()
                return
            detail = self.session.call(C.update_client, self.client_id, initiator=self,
                                       expected_version=self.version, **{name: value})
        except ValidationError as exc:
            for error in exc.errors:
                self._show_field_error(error.field, error.message)
        except ConflictError as exc:   # changed by another program since it was shown, or refused here
            self._refused(str(exc))
        else:
            if detail is not None:
                self.version = detail.version

    def _create_if_named(self) -> None:
        given = self.texts["given_name"].text().strip()
        family = self.texts["family_name"].text().strip()
        if is_blank(given) or is_blank(family):   # the domain's rule: spaces or zero-width characters only
            self._show_message("Type both the given and the family name to create this client.")
            return
        from homeassess.ui.screens.client_list import create_client_asking  # asks when the name already exists

        detail = create_client_asking(self.session, self, given_name=given, family_name=family)
        if detail is not None:
            self.client_id = detail.id
            self._flush_rest()
            self.open_client(detail.id)

    def _flush_rest(self) -> None:
        """Fields typed before the client existed are saved now."""
        for name, editor in self.texts.items():
            if name not in ("given_name", "family_name") and editor.text().strip():
                self._save_text(name, editor.text())

    def _show_field_error(self, name: str, message: str) -> None:
        label = self.errors.get(name) or self.errors.get("identifier")
        if label is not None:
            label.setText(message)
            label.show()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- the lock ---------------------------------------------------------------------------
    def refresh_lock(self) -> None:
        """Ask the services whether the client's record can be changed here; the inputs follow."""
        lock = self.session.read(client_lock, self.client_id) if self.client_id else None
        self.lock = lock
        self.lock_banner.setText(lock.sentence if lock else "")
        self.lock_banner.setVisible(lock is not None)
        self._apply_lock()

    def _apply_lock(self) -> None:
        """Text read-only, buttons and choices disabled (lock.py); the tables stop editing and the
        checklists stop ticking, their contents still shown and selectable."""
        locked = self.lock is not None
        apply_lock(self.body, self.lock, default=CLIENT_RECORD)
        for table in (self.contacts, self.equipment):
            if table.property("lockTriggers") is None:
                table.setProperty("lockTriggers", int(table.editTriggers().value))
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if locked else
                                  QAbstractItemView.EditTrigger(table.property("lockTriggers")))
        for checklist in self.checklists:
            blocked = checklist.blockSignals(True)   # a flag change is not a tick: nothing to save
            for i in range(checklist.count()):
                item = checklist.item(i)
                flags = item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags if locked else flags | Qt.ItemFlag.ItemIsUserCheckable)
            checklist.blockSignals(blocked)

    def _refused(self, message: str) -> None:
        """A change the record refused (e.g. the laptop checked the client's last visit in meanwhile, or
        another program changed them): show the record as it is, and say why in the banner when it is
        locked here (else beside the form, as a newer version)."""
        if self.client_id is not None:
            self.open_client(self.client_id)
        if self.lock is not None:
            self.lock_banner.setText(message)
            self.lock_banner.show()
        else:
            self._show_message(message)

    def event(self, event: QEvent) -> bool:
        # A check-out or check-in by another window reaches the bus; coming back to the window asks again.
        if event.type() == QEvent.Type.WindowActivate and self.client_id is not None:
            self.refresh_lock()
        return super().event(event)

    # -- contacts ---------------------------------------------------------------------------
    def _append_contact(self, name: str = "", relationship: str = "", phone: str = "") -> None:
        blocked = self.contacts.blockSignals(True)
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        for col, text in enumerate((name, relationship, phone)):
            self.contacts.setItem(row, col, QTableWidgetItem(text))
        self.contacts.blockSignals(blocked)

    def _add_contact(self) -> None:
        self._append_contact()
        self.contacts.editItem(self.contacts.item(self.contacts.rowCount() - 1, 0))

    def _remove_contact(self) -> None:
        if self.contacts.currentRow() >= 0:
            self.contacts.removeRow(self.contacts.currentRow())
            self._save_contacts()

    def _save_contacts(self) -> None:
        rows = []
        for r in range(self.contacts.rowCount()):
            cells = [(self.contacts.item(r, c).text().strip() if self.contacts.item(r, c) else "") for c in range(3)]
            if cells[0]:
                rows.append({"name": cells[0], "relationship": cells[1], "phone": cells[2]})
        self._save("contacts", rows)

    def _append_equipment(self, name: str = "", rating: str = "") -> None:
        blocked = self.equipment.blockSignals(True)
        row = self.equipment.rowCount()
        self.equipment.insertRow(row)
        self.equipment.setItem(row, 0, QTableWidgetItem(name))
        self.equipment.setItem(row, 1, QTableWidgetItem(rating))
        self.equipment.blockSignals(blocked)

    def _add_equipment(self) -> None:
        self._append_equipment()
        self.equipment.editItem(self.equipment.item(self.equipment.rowCount() - 1, 0))

    def _remove_equipment(self) -> None:
        if self.equipment.currentRow() >= 0:
            self.equipment.removeRow(self.equipment.currentRow())
            self._save_equipment()

    def _save_equipment(self) -> None:
        """Rows with a name are saved; a rated load is read in the visit's units ("150 kg", "330 lb")."""
        rows = []
        for r in range(self.equipment.rowCount()):
            name, rating = ((self.equipment.item(r, c).text().strip() if self.equipment.item(r, c) else "")
                            for c in range(2))
            if not name:
                continue
            try:
                swl = parse_measurement(rating, Quantity.WEIGHT, self.units, field="equipment") if rating else None
            except ValidationError as exc:
                self._show_field_error("equipment", f"{name}: {exc.errors[0].message}")
                return
            rows.append({"name": name, "swl_kg": swl})
        self._save("equipment", rows)

    def _on_bus_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self or self.client_id is None:
            return
        if changes.clients and not any(e.dirty for e in self.texts.values()):
            self.open_client(self.client_id)   # asks for the lock too
        elif changes.assessment_meta or changes.clients:   # checked out or in (File ▸ Team)
            self.refresh_lock()
