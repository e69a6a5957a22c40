"""File ▸ Settings…: therapist, organisation and the defaults of a new visit, saved as you type;
and the first-run question (which country?) that sets those defaults."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QFrame, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import ValidationError
from homeassess.domain.profiles import StandardProfile
from homeassess.services import settings as S
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label
from homeassess.ui.widgets.responsive import fit_to_screen
from homeassess.ui.widgets.style import TOUCH

CHOICE_LABELS = {"defaults.standard": {p.value: p.label for p in StandardProfile},
                 "defaults.units": {"metric": "Metric (mm, °C)", "imperial": "Imperial (in, °F)"},
                 "defaults.paper": {"A4": "A4", "Letter": "US Letter"}}
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.bmp *.tif *.tiff *.webp)"


class SettingsWindow(QDialog):
    """Non-modal; every field is stored once it settles (text) or at once (choices)."""

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 open_backups: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsWindow")
        self.setWindowTitle("Settings")
        self.session = session
        self.texts: dict[str, DebouncedText] = {}
        self.combos: dict[str, QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self._loading = False
        layout = QVBoxLayout(self)
        intro = QLabel("Held once for every visit; a visit can still say otherwise on its overview. "
                       "Changes are saved as you type.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QWidget()
        sections = QVBoxLayout(body)
        sections.setContentsMargins(0, 0, 0, 0)
        for section, title in S.SECTIONS.items():
            sections.addWidget(self._build_section(section, title))
        if open_backups is not None:
            sections.addWidget(self._build_backups(open_backups))
        scroll = QScrollArea()  # taller than a 1024 × 600 tablet: the sections scroll, Close stays in view
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        fit_to_screen(self, 680, body.sizeHint().height() + 120)
        self.load()

    def _build_section(self, section: str, title: str) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for spec in (k for k in S.KEYS.values() if k.section == section):
            form.addRow(spec.label, self._field(spec))
        return box

    @staticmethod
    def _build_backups(open_backups: Callable[[], object]) -> QGroupBox:
        box = QGroupBox("Backups")
        row = QHBoxLayout(box)
        text = QLabel("HomeAssess backs up your records each day and when it closes. See the backups, "
                      "restore one, or copy them to a USB stick or network folder.")
        text.setWordWrap(True)
        row.addWidget(text, 1)
        button = QPushButton("&Backups…")
        button.setObjectName("openBackups")
        button.setMinimumHeight(TOUCH)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: open_backups())
        row.addWidget(button)
        return box

    def _field(self, spec: S.SettingKey) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(2)
        if spec.kind == "choice":
            widget: QWidget = self._combo(spec)
            column.addWidget(widget)
        else:
            widget = QPlainTextEdit() if spec.kind == "multiline" else QLineEdit()
            widget.setMinimumHeight(TOUCH if spec.kind != "multiline" else 64)
            if isinstance(widget, QPlainTextEdit):
                widget.setTabChangesFocus(True)
                widget.setFixedHeight(64)
            else:
                widget.setMaxLength(spec.max_length)   # the setting's own limit (text_rules.TEXT_LIMITS)
            self.texts[spec.key] = DebouncedText(widget, partial(self.save, spec.key), self.session.pending)
            column.addLayout(self._with_chooser(spec, widget) if spec.kind == "image" else self._alone(widget))
        widget.setObjectName(f"setting_{spec.key}")
        widget.setAccessibleName(f"{S.SECTIONS[spec.section]}: {spec.label}")
        self.errors[spec.key] = field_error_label(spec.key)
        column.addWidget(self.errors[spec.key])
        return column

    @staticmethod
    def _alone(widget: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(widget)
        return row

    def _with_chooser(self, spec: S.SettingKey, widget: QWidget) -> QHBoxLayout:
        row = self._alone(widget)
        choose = QPushButton("Choose…")
        choose.setObjectName(f"choose_{spec.key}")
        choose.setMinimumHeight(TOUCH)
        choose.clicked.connect(partial(self._choose_image, spec.key))
        row.addWidget(choose)
        return row

    def _combo(self, spec: S.SettingKey) -> QComboBox:
        combo = QComboBox()
        combo.setMinimumHeight(TOUCH)
        for value in spec.choices:
            combo.addItem(CHOICE_LABELS.get(spec.key, {}).get(value, value), value)
        combo.currentIndexChanged.connect(lambda _i, k=spec.key, c=combo: self.save(k, c.currentData()))
        self.combos[spec.key] = combo
        return combo

    def load(self) -> None:
        values = self.session.read(S.get_settings)
        if values is None:
            return
        self._loading = True
        try:
            for key, editor in self.texts.items():
                editor.set_text(values[key])
            for key, combo in self.combos.items():
                combo.setCurrentIndex(max(0, combo.findData(values[key])))
            for label in self.errors.values():
                label.hide()
        finally:
            self._loading = False

    def save(self, key: str, value: str) -> None:
        if self._loading:
            return
        try:
            self.session.call(S.set_setting, key, value, initiator=self)
        except ValidationError as exc:
            self.errors[key].setText(exc.errors[0].message)
            self.errors[key].show()
            return
        self.errors[key].hide()

    def _choose_image(self, key: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"Choose the {S.KEYS[key].label.lower()}", "", IMAGE_FILTER)
        if path:
            self.texts[key].widget.setText(path)
            self.texts[key].flush()


class CountryDialog(QDialog):
    """First run: where do you work? Sets the standards, units and paper size (UK, US or Australia)."""

    chosen = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countryDialog")
        self.setWindowTitle("Where do you work?")
        self.session = session
        layout = QVBoxLayout(self)
        text = QLabel("HomeAssess judges measurements against your country's standards and shows your units. "
                      "Choose where you work; you can change each default later under File ▸ Settings.")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for code in S.COUNTRIES:
            button = QPushButton(S.COUNTRY_LABELS[code])
            button.setObjectName(f"country_{code}")
            button.setMinimumHeight(TOUCH)
            button.setMinimumWidth(160)
            button.clicked.connect(partial(self.choose, code))
            self.buttons[code] = button
            row.addWidget(button)
        layout.addLayout(row)

    def choose(self, code: str) -> None:
        if self.session.call(S.apply_country, code) is not None:
            self.chosen.emit(code)
            self.accept()
