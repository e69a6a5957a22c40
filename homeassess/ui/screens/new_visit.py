"""Dialog to start a visit: what kind of visit. Standards, units, therapist and organisation come from
Settings (services/settings.py) and can be changed on the visit overview afterwards."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from homeassess.domain.profiles import StandardProfile

KINDS = (("home", "Home visit"), ("workplace", "Workplace visit"), ("follow_up", "Follow-up visit"))
UNIT_LABELS = {"metric": "metric (mm, °C)", "imperial": "imperial (in, °F)"}


def defaults_text(defaults: dict[str, str]) -> str:
    """One line saying what the visit takes from Settings."""
    standard = defaults.get("standard", StandardProfile.UK.value)
    parts = [StandardProfile(standard).label, UNIT_LABELS.get(defaults.get("units", "metric"), "")]
    who = ", ".join(x for x in (defaults.get("therapist_name", ""), defaults.get("organisation", "")) if x)
    text = escape("; ".join(p for p in parts if p))
    text += f"<br>Therapist: {escape(who)}" if who else "<br>No therapist set yet"
    return text + "<br><small>Change these in File ▸ Settings… or on the visit overview.</small>"


class NewVisitDialog(QDialog):
    def __init__(self, parent: QWidget | None, defaults: dict[str, str]) -> None:
        super().__init__(parent)
        self.setObjectName("newVisitDialog")
        self.setWindowTitle("Start a visit")
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.setObjectName("newVisitKind")
        for value, label in KINDS:
            self.kind.addItem(label, value)
        self.kind.setAccessibleName("Kind of visit")
        self.kind.setMinimumHeight(36)
        form.addRow("Kind of visit", self.kind)
        self.summary = QLabel(defaults_text(defaults))
        self.summary.setObjectName("newVisitDefaults")
        self.summary.setWordWrap(True)
        form.addRow("From Settings", self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start visit")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        """Only what the dialog asks; the service fills the rest from Settings."""
        return {"kind": self.kind.currentData()}

    @classmethod
    def ask(cls, parent: QWidget | None, defaults: dict[str, str]) -> dict[str, str] | None:
        dialog = cls(parent, defaults)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
