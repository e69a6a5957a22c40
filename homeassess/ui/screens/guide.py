"""Help: a short guide to the visit workflow and its keys (F1), and About (versions, data folder)."""

from __future__ import annotations

import platform
from importlib import metadata
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE = """
<h2>A home visit, step by step</h2>
<ol>
<li><b>Client</b> — find them in the list (Ctrl+F searches) or add one (Ctrl+N). Everything is saved as you
type; there is no Save button. Date of birth, mobility aid, knee height, weight, falls and precautions
change what counts as a hazard.</li>
<li><b>Start a visit</b> — choose the kind of visit. Standards, units, therapist and organisation come from
<i>File ▸ Settings…</i> and can be changed on the visit overview.</li>
<li><b>Rooms</b> — add the rooms you will see (several bathrooms or bedrooms, each named) and go in any
order. Each room shows how much is answered.</li>
<li><b>Checklist</b> — answer item by item; measurements can be typed in mm or inches. Findings appear as
you answer, with their priority and the reason.</li>
<li><b>Recommendations</b> — agree, decline or edit what is suggested; options for the same problem come as
one recommendation with the best fit preselected.</li>
<li><b>Reports</b> — the family report, the clinical report and the order list, previewed before export.</li>
</ol>
<h2>Keys</h2>
<table cellpadding="4">
<tr><td><b>Y</b> / <b>N</b> / <b>A</b></td><td>Yes / No / Not applicable for the current item</td></tr>
<tr><td><b>1</b>–<b>9</b></td><td>Pick a choice by its number</td></tr>
<tr><td><b>↑</b> / <b>↓</b>, <b>Enter</b></td><td>Previous / next item</td></tr>
<tr><td><b>Delete</b></td><td>Clear the current answer</td></tr>
<tr><td><b>Ctrl+1</b> … <b>Ctrl+9</b></td><td>Go to the first … ninth room of the visit</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Shift+Z</b></td><td>Undo / redo</td></tr>
<tr><td><b>Ctrl+N</b></td><td>New client</td></tr>
<tr><td><b>Ctrl+F</b></td><td>Find a client</td></tr>
<tr><td><b>Ctrl+H</b></td><td>Back to the client list</td></tr>
<tr><td><b>F1</b></td><td>This guide</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>Quit (everything is already saved)</td></tr>
</table>
"""


class GuideWindow(QDialog):
    """Non-modal: it can stay open beside the visit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideWindow")
        self.setWindowTitle("HomeAssess guide")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(640, 620)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setObjectName("guideText")
        self.text.setAccessibleName("Guide")
        self.text.setHtml(GUIDE)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)


def versions() -> dict[str, str]:
    """Read from the installed distributions, so the UI needs no import of the database or PDF libraries."""
    import PySide6

    from homeassess import __version__

    def installed(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {"HomeAssess": __version__, "Python": platform.python_version(),
            "Qt": f"{qVersion()} (PySide6 {PySide6.__version__})", "SQLAlchemy": installed("SQLAlchemy"),
            "ReportLab": installed("reportlab")}


def about_text(data_dir: Path) -> str:
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in versions().items())
    return (f"<h3>HomeAssess {escape(versions()['HomeAssess'])}</h3>"
            "<p>Home and workplace visits for occupational therapists. Works offline; nothing is sent "
            "over the network.</p>"
            f"<table cellpadding='2'>{rows}</table>"
            f"<p>Data folder:<br><code>{escape(str(data_dir))}</code></p>")


def about_box(parent: QWidget | None, data_dir: Path) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About HomeAssess")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(data_dir))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box
