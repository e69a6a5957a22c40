"""Colours and small helpers shared by screens (tier colours match the PDF reports)."""

from __future__ import annotations

from homeassess.domain.priority import Tier

TIER_COLOURS = {Tier.P1: "#B91C1C", Tier.P2: "#C2410C", Tier.P3: "#A16207", Tier.P4: "#15803D"}
TOUCH = 44  # px: minimum height of touch targets
# A record that cannot be changed here, and why (the visit screen and the client editor, services/visit_lock.py).
BANNER_STYLE = ("background: #FEF3C7; color: #78350F; border: 1px solid #B45309; border-radius: 4px; "
                "padding: 6px 8px; font-weight: bold;")


def tier_chip(tier: Tier, text: str = "") -> str:
    """Rich-text chip: coloured tier code and label, then optional text."""
    colour = TIER_COLOURS[tier]
    chip = (f"<span style='background:{colour}; color:white; font-weight:bold;'>&nbsp;{tier.code} "
            f"{tier.label}&nbsp;</span>")
    return f"{chip} {text}" if text else chip


APP_STYLE = """
QPushButton { padding: 6px 14px; }
QPushButton[answer="true"] { min-width: 64px; font-weight: bold; }
QPushButton[answer="true"]:checked { background: #0B4F6C; color: white; border: 1px solid #0B4F6C; }
QFrame#itemCard { border: 1px solid #D9E2EC; border-radius: 6px; background: palette(base); }
QFrame#itemCard[current="true"] { border: 2px solid #0B4F6C; }
QLabel#sectionHeading { font-weight: bold; color: #0B4F6C; padding-top: 10px; }
QListWidget::item, QListView::item { padding: 6px; }
QTreeWidget::item { min-height: 36px; }
QTableView { gridline-color: #D9E2EC; }
QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], QTextEdit[readOnly="true"],
QAbstractSpinBox[readOnly="true"] { background: #EEF1F4; color: #334E68; border: 1px solid #CBD2D9;
  border-radius: 3px; padding: 3px; }
"""


def moved(ids: list[str], row: int, step: int) -> list[str] | None:
    """``ids`` with the entry at ``row`` moved by ``step`` places, or None if it cannot move."""
    if not 0 <= row < len(ids) or not 0 <= row + step < len(ids):
        return None
    new = list(ids)
    new[row], new[row + step] = new[row + step], new[row]
    return new
