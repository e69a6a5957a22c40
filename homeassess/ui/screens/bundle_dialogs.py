"""The questions a visit bundle asks: how to protect an export (a passphrase typed twice, or a deliberate
"don't encrypt"), the passphrase of an encrypted bundle being imported, and, when a record was changed
both here and in the bundle, which to keep for each field. Each dialog has an ``ask(...)`` classmethod
that returns the answer or None (cancelled); none of them does any file or database work."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from homeassess.services.bundles import MIN_PASSPHRASE  # one rule for the dialog and the service
from homeassess.ui.widgets.debounce import field_error_label
from homeassess.ui.widgets.responsive import fit_to_screen, scrolling
from homeassess.ui.widgets.style import TOUCH

NOBODY_ELSE = ("Without the passphrase nobody — including the office — can open the file, and it cannot be "
               "recovered. Give it to the person separately: say it, or send it another way than the file.")
PLAIN_TEXT = "Don't encrypt (only for moving between your own devices)"
PLAIN_WARNING = "Anyone who gets hold of the file can read the client's records and see the photos."
GREY = "color: #52606D;"


def passphrase_problem(first: str, second: str) -> str:
    """What is wrong with a new passphrase typed twice, in plain words ("" when it will do)."""
    if not first:
        return f"Type a passphrase of at least {MIN_PASSPHRASE} characters, or tick “Don't encrypt”."
    if len(first) < MIN_PASSPHRASE:
        return f"The passphrase needs at least {MIN_PASSPHRASE} characters; this one has {len(first)}."
    if first != second:
        return "The two passphrases are not the same. Type the same passphrase in both boxes."
    return ""


def _password_field(name: str, accessible: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumHeight(TOUCH)
    return field


def _wrapped(text: str, name: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName(name)
    label.setStyleSheet(style)
    return label


@dataclass(frozen=True)
class Protection:
    """The export's protection: a passphrase, or None for a deliberately unencrypted file."""

    passphrase: str | None


class ExportProtectionDialog(QDialog):
    """Encrypted unless "Don't encrypt" is ticked; the passphrase is typed twice and checked inline."""

    def __init__(self, parent: QWidget | None, what: str = "the visit") -> None:
        super().__init__(parent)
        self.setObjectName("exportPassphraseDialog")
        self.setWindowTitle("Protect the bundle")
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(f"The bundle holds {escape(what)}: the client's details, answers, notes and "
                                  "photos. Choose a passphrase to encrypt it."))
        layout.addLayout(self._build_fields())
        layout.addWidget(_wrapped(NOBODY_ELSE, "passphraseAdvice"))
        self.plain = QCheckBox(PLAIN_TEXT)
        self.plain.setObjectName("dontEncrypt")
        self.plain.setMinimumHeight(TOUCH)
        self.plain.toggled.connect(self._on_plain_toggled)
        layout.addWidget(self.plain)
        self.plain_warning = _wrapped(PLAIN_WARNING, "plainWarning", "color: #B45309; font-weight: bold;")
        self.plain_warning.hide()
        layout.addWidget(self.plain_warning)
        self.error = field_error_label("passphrase")
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self._build_buttons())
        self.export_button.setDefault(True)   # once in the dialog: before, the dialog would pick its own
        fit_to_screen(self, 620, 340)

    def _build_fields(self) -> QFormLayout:
        form = QFormLayout()
        self.first = _password_field("passphrase", "Passphrase")
        self.second = _password_field("passphraseAgain", "Passphrase again")
        self.show_typed = QCheckBox("Show the passphrase")
        self.show_typed.setObjectName("showPassphrase")
        self.show_typed.toggled.connect(self._on_show_toggled)
        form.addRow("&Passphrase", self.first)
        form.addRow("Type it &again", self.second)
        form.addRow("", self.show_typed)
        for field in (self.first, self.second):
            field.textChanged.connect(lambda _text: self.error.hide())
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("exportBundleButton")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_export)
        buttons.rejected.connect(self.reject)
        return buttons

    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in (self.first, self.second):
            field.setEchoMode(mode)

    def _on_plain_toggled(self, plain: bool) -> None:
        for widget in (self.first, self.second, self.show_typed):
            widget.setEnabled(not plain)
        self.plain_warning.setVisible(plain)
        self.export_button.setText("Export without encryption" if plain else "Export")
        self.error.hide()

    def _on_export(self) -> None:
        problem = "" if self.plain.isChecked() else passphrase_problem(self.first.text(), self.second.text())
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if problem:
            (self.second if self.first.text() and len(self.first.text()) >= MIN_PASSPHRASE else self.first).setFocus()
            return
        self.accept()

    def protection(self) -> Protection:
        return Protection(None if self.plain.isChecked() else self.first.text())

    @classmethod
    def ask(cls, parent: QWidget | None, what: str = "the visit") -> Protection | None:
        dialog = cls(parent, what)
        return dialog.protection() if dialog.exec() == QDialog.DialogCode.Accepted else None


class UnlockDialog(QDialog):
    """The passphrase of an encrypted bundle; ``problem`` (a wrong passphrase) is shown above the field."""

    def __init__(self, parent: QWidget | None, file_name: str, problem: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("unlockBundleDialog")
        self.setWindowTitle("Encrypted bundle")
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(f"<b>{escape(file_name)}</b> is encrypted. Type the passphrase it was "
                                  "exported with."))
        self.error = field_error_label("unlock")
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.field = _password_field("unlockPassphrase", "Passphrase")
        self.show_typed = QCheckBox("Show")
        self.show_typed.setObjectName("showUnlockPassphrase")
        self.show_typed.toggled.connect(lambda shown: self.field.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password))
        row.addWidget(self.field, 1)
        row.addWidget(self.show_typed)
        layout.addLayout(row)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = QPushButton("Import")
        self.open_button.setObjectName("unlockBundleButton")
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.open_button.setDefault(True)
        self.field.textChanged.connect(lambda text: self.open_button.setEnabled(bool(text)))
        self.open_button.setEnabled(False)
        self.field.setFocus()
        fit_to_screen(self, 520, 220)

    @classmethod
    def ask(cls, parent: QWidget | None, file_name: str, problem: str = "") -> str | None:
        dialog = cls(parent, file_name, problem)
        return dialog.field.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


MINE, THEIRS = "mine", "theirs"


@dataclass(frozen=True)
class ConflictWords:
    """What the conflict screen calls the two sides and its action. The defaults are a bundle
    import's; team check-in and check-out give "This laptop" / "Team server". ``intro`` takes
    ``{count}`` ("One answer or detail was" / "3 answers or details were")."""

    title: str = "Changed here and in the bundle"
    intro: str = ("{count} changed both on this computer and in the bundle since the two copies last met. "
                  "Choose which to keep for each. Nothing is imported until every one is chosen; Cancel leaves "
                  "everything as it is.")
    mine: str = "Keep mine (this computer)"
    theirs: str = "Keep theirs (the bundle)"
    all_mine: str = "Keep all m&ine"
    all_theirs: str = "Keep all t&heirs"
    action: str = "&Import"


BUNDLE_WORDS = ConflictWords()


class ConflictRow(QFrame):
    """One field changed on both sides: where, what, both values with who changed them, and the choice."""

    def __init__(self, n: int, conflict: Any, words: ConflictWords = BUNDLE_WORDS) -> None:
        super().__init__()
        self.setObjectName(f"conflict_{n}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.key = conflict.key
        grid = QGridLayout(self)
        grid.addWidget(_wrapped(f"<b>{escape(conflict.where)}</b><br>{escape(conflict.label)}"), 0, 0, 1, 2)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for column, (side, text, value, changed) in enumerate((
                (MINE, words.mine, conflict.mine, conflict.mine_changed),
                (THEIRS, words.theirs, conflict.theirs, conflict.theirs_changed))):
            radio = QRadioButton(text)
            radio.setObjectName(f"keep{side.capitalize()}_{n}")
            radio.setAccessibleName(f"Keep {side} for {conflict.label}: {value}")
            radio.setMinimumHeight(TOUCH)
            self.group.addButton(radio)
            self.buttons[side] = radio
            shown = _wrapped(escape(value))
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setContentsMargins(24, 0, 0, 0)
            grid.addWidget(radio, 1, column)
            grid.addWidget(shown, 2, column, Qt.AlignmentFlag.AlignTop)   # a long note beside a short one
            if changed:
                note = _wrapped(escape(changed), style=GREY)
                note.setContentsMargins(24, 0, 0, 0)
                grid.addWidget(note, 3, column, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def choice(self) -> str | None:
        return next((side for side, button in self.buttons.items() if button.isChecked()), None)

    def choose(self, side: str) -> None:
        self.buttons[side].setChecked(True)


class ConflictDialog(QDialog):
    """Keep mine / keep theirs for every field; nothing is chosen beforehand and Import waits for all.
    Cancel is the default: Enter never overwrites a record."""

    def __init__(self, parent: QWidget | None, conflicts: list[Any], words: ConflictWords = BUNDLE_WORDS) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.words = words
        self.setWindowTitle(words.title)
        self.rows = [ConflictRow(n, c, words) for n, c in enumerate(conflicts)]
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(words.intro.format(count=self._count(len(conflicts)))))
        layout.addLayout(self._build_all_buttons())
        layout.addWidget(scrolling(*self.rows), 1)
        layout.addWidget(self._build_buttons())
        self.cancel_button.setDefault(True)
        for row in self.rows:
            row.group.buttonToggled.connect(lambda *_: self._update())
        self._update()
        fit_to_screen(self, 900, 600)

    @staticmethod
    def _count(n: int) -> str:
        return "One answer or detail was" if n == 1 else f"{n} answers or details were"

    def _build_all_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for name, text, side in (("keepAllMine", self.words.all_mine, MINE),
                                 ("keepAllTheirs", self.words.all_theirs, THEIRS)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(lambda _checked=False, s=side: self.choose_all(s))
            row.addWidget(button)
        row.addStretch(1)
        self.counter = QLabel()
        self.counter.setObjectName("conflictCounter")
        row.addWidget(self.counter)
        return row

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(self.words.action)
        self.import_button.setObjectName("importResolved")
        self.import_button.setAutoDefault(False)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    def choose_all(self, side: str) -> None:
        for row in self.rows:
            row.choose(side)

    def _update(self) -> None:
        chosen = sum(row.choice() is not None for row in self.rows)
        self.counter.setText(f"{chosen} of {len(self.rows)} chosen")
        self.import_button.setEnabled(chosen == len(self.rows))

    def resolutions(self) -> dict[str, str]:
        return {row.key: choice for row in self.rows if (choice := row.choice()) is not None}

    @classmethod
    def ask(cls, parent: QWidget | None, conflicts: list[Any],
            words: ConflictWords = BUNDLE_WORDS) -> dict[str, str] | None:
        dialog = cls(parent, conflicts, words)
        return dialog.resolutions() if dialog.exec() == QDialog.DialogCode.Accepted else None
