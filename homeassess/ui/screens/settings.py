"""File ▸ Settings…: therapist, organisation and the defaults of a new visit, saved as you type; the team
server this laptop is linked to; and the first-run question (which country?) that sets those defaults."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QFrame, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import HomeAssessError, ValidationError
from homeassess.domain.profiles import StandardProfile
from homeassess.services import settings as S
from homeassess.services import team as T
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label
from homeassess.ui.widgets.responsive import fit_to_screen
from homeassess.ui.widgets.style import TOUCH

CHOICE_LABELS = {"defaults.standard": {p.value: p.label for p in StandardProfile},
                 "defaults.units": {"metric": "Metric (mm, °C)", "imperial": "Imperial (in, °F)"},
                 "defaults.paper": {"A4": "A4", "Letter": "US Letter"}}
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.bmp *.tif *.tiff *.webp)"
SERVER_PLACEHOLDER = "postgresql://user@server/homeassess?sslmode=verify-full"
OPEN_AT_START, SERVER_URL = "team/open_at_start", "team/server_url"   # read by ui/application.py at start-up


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
        self.team = TeamServerGroup(session)
        sections.addWidget(self.team)
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
        self.team.load()
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


def _shown(text: str) -> str:
    """The address without its password (what the settings and the screen keep)."""
    return T.server_address(text)


class TeamServerGroup(QGroupBox):
    """Link this laptop to the team server (or unlink it), and whether this computer opens the server at
    start (an office computer). Connect and Disconnect run in the background. The password is handed to
    the service, which keeps it in the OS keyring when there is one; this screen never stores it."""

    def __init__(self, session: Session) -> None:
        super().__init__("Team server")
        self.setObjectName("teamGroup")
        self.session = session
        self.running = False
        layout = QVBoxLayout(self)
        self.state = self._label("teamLinkState")
        layout.addWidget(self.state)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setObjectName("teamServerUrl")
        self.url.setAccessibleName("Team server address")
        self.url.setPlaceholderText(SERVER_PLACEHOLDER)
        self.url.editingFinished.connect(self._remember_url)
        self.password = QLineEdit()
        self.password.setObjectName("teamPassword")
        self.password.setAccessibleName("Team server password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("if the server asks for one")
        for field in (self.url, self.password):
            field.setMinimumHeight(TOUCH)
        form.addRow("Server &address", self.url)
        form.addRow("Pass&word", self.password)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.connect_button = self._button("&Connect", "teamConnect", self.connect_laptop)
        self.disconnect_button = self._button("&Disconnect", "teamDisconnect", self.disconnect_laptop)
        row.addWidget(self.connect_button)
        row.addWidget(self.disconnect_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = self._label("teamMessage")
        self.message.hide()
        layout.addWidget(self.message)
        self.at_start = QCheckBox("Open the team server when HomeAssess starts (office computer)")
        self.at_start.setObjectName("teamOpenAtStart")
        self.at_start.setMinimumHeight(TOUCH)
        self.at_start.toggled.connect(self._on_at_start)
        layout.addWidget(self.at_start)
        layout.addWidget(self._label("", "For a computer that stays in the office and works on the team's records "
                                         "directly. A laptop that goes out on visits leaves this off and checks "
                                         "visits out instead (File ▸ Team). It applies from the next start.",
                                     "color: #52606D;"))

    @staticmethod
    def _label(name: str, text: str = "", style: str = "") -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(style)
        return label

    @staticmethod
    def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(TOUCH)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def load(self) -> None:
        ctx = self.session.ctx
        link = self.session.read(T.link_of)
        stored = QSettings()
        if ctx.is_server:
            self.state.setText(f"This computer works on the team server <b>{escape(ctx.server or '')}</b> directly.")
        elif link is not None:
            self.state.setText(f"Linked to <b>{escape(link.server)}</b>. This laptop is "
                               f"<b>{escape(link.device_name)}</b>.")
        else:
            self.state.setText("Not linked: this laptop works on its own records only.")
        if not self.url.text():
            self.url.setText(link.server if link else (str(stored.value(SERVER_URL, "") or "") or ctx.server or ""))
        self.at_start.blockSignals(True)
        self.at_start.setChecked(stored.value(OPEN_AT_START, False, type=bool))
        self.at_start.blockSignals(False)
        self._update(link)

    def _update(self, link: Any = None) -> None:
        server = self.session.ctx.is_server
        self.connect_button.setEnabled(not self.running and not server)
        self.disconnect_button.setEnabled(not self.running and not server and link is not None)

    def say(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #B91C1C;" if problem else "")
        self.message.setVisible(bool(text))

    # -- connect / disconnect (in the background) --------------------------------------------------
    def connect_laptop(self) -> None:
        text, password = self.url.text().strip(), self.password.text()
        try:
            _shown(text)
        except HomeAssessError as exc:
            self.say(f"{str(exc)[:1].upper()}{str(exc)[1:]}.", problem=True)
            self.url.setFocus()
            return
        ctx, given = self.session.ctx, bool(password or T.parse(text).password)
        self._run(lambda: T.connect(ctx, text, password=password or None), "Connecting to the team server…",
                  lambda link: self._connected(link, given))

    def _connected(self, link: T.TeamLink, password_given: bool) -> None:
        self.password.clear()   # never kept by this screen
        self.url.setText(link.server)
        self._remember_url()
        words = f"Linked to {link.server}. This laptop is called {link.device_name}."
        if password_given and link.password_saved:
            words += " The password is kept in this computer's keyring."
        elif password_given:
            words += (" This computer has no keyring, so the password was not kept: HomeAssess will ask for it "
                      "each time it talks to the team server.")
        self.say(words)

    def disconnect_laptop(self) -> None:
        ctx = self.session.ctx
        self._run(lambda: T.disconnect(ctx), "Unlinking…",
                  lambda _none: self.say("This laptop is no longer linked to a team server. Its own records stay "
                                         "here."))

    def _run(self, job: Callable[[], Any], busy: str, done: Callable[[Any], None]) -> None:
        self.running = True
        self._update()
        self.say(busy)

        def succeeded(result: Any) -> None:
            self.running = False
            self.load()
            done(result)

        def failed(error: BaseException) -> None:
            self.running = False
            self.load()
            if not isinstance(error, HomeAssessError):
                raise error
            self.say(str(error), problem=True)

        self.session.tasks.submit(lambda *, progress, cancel: job(), on_success=succeeded, on_error=failed)

    # -- open at start (QSettings: this computer, not the data folder) -------------------------------
    def _on_at_start(self, on: bool) -> None:
        stored = QSettings()
        if on:
            text = self.url.text().strip() or self.session.ctx.server or ""
            try:
                shown = _shown(text)
            except HomeAssessError:
                self.at_start.blockSignals(True)
                self.at_start.setChecked(False)
                self.at_start.blockSignals(False)
                self.say("Type the team server's address first.", problem=True)
                return
            stored.setValue(SERVER_URL, shown)
            self.say(f"From the next start this computer opens {shown}.")
        else:
            self.say("From the next start this computer opens its own records." if self.message.isVisible() else "")
        stored.setValue(OPEN_AT_START, on)

    def _remember_url(self) -> None:
        if not self.at_start.isChecked():
            return
        try:
            QSettings().setValue(SERVER_URL, _shown(self.url.text()))
        except HomeAssessError:
            pass   # said when the box is ticked or Connect is pressed


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
