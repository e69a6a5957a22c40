"""Dialog to start a visit: kind, standards, units and therapist (remembered from the last visit)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from homeassess.domain.profiles import DisplayUnits, StandardProfile

KINDS = (("home", "Home visit"), ("workplace", "Workplace visit"), ("follow_up", "Follow-up visit"))


class NewVisitDialog(QDialog):
    def __init__(self, parent: QWidget | None, defaults: dict[str, str]) -> None:
        super().__init__(parent)
        self.setObjectName("newVisitDialog")
        self.setWindowTitle("Start a visit")
        form = QFormLayout(self)
        self.kind = QComboBox()
        for value, label in KINDS:
            self.kind.addItem(label, value)
        self.standard = QComboBox()
        for profile in StandardProfile:
            self.standard.addItem(profile.label, profile.value)
        self.units = QComboBox()
        self.units.addItem("Metric (mm, °C)", DisplayUnits.METRIC.value)
        self.units.addItem("Imperial (in, °F)", DisplayUnits.IMPERIAL.value)
        self.therapist = QLineEdit(defaults.get("therapist_name", ""))
        self.registration = QLineEdit(defaults.get("therapist_registration", ""))
        self.organisation = QLineEdit(defaults.get("organisation", ""))
        for combo, key in ((self.standard, "standard"), (self.units, "units")):
            if key in defaults:
                combo.setCurrentIndex(max(0, combo.findData(defaults[key])))
        for label, widget in (("Kind of visit", self.kind), ("Standards", self.standard), ("Units", self.units),
                              ("Therapist", self.therapist), ("Registration no.", self.registration),
                              ("Organisation", self.organisation)):
            widget.setAccessibleName(label)
            widget.setMinimumHeight(36)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start visit")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {"kind": self.kind.currentData(), "standard": self.standard.currentData(),
                "units": self.units.currentData(), "therapist_name": self.therapist.text().strip(),
                "therapist_registration": self.registration.text().strip(),
                "organisation": self.organisation.text().strip()}

    @classmethod
    def ask(cls, parent: QWidget | None, defaults: dict[str, str]) -> dict[str, str] | None:
        dialog = cls(parent, defaults)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
