"""What is overdue across every client: agreed or ordered equipment and home changes not yet installed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.domain.input_rules import NUMBERS
from homeassess.services import followup as F
from homeassess.ui.session import Session
from homeassess.ui.widgets.style import TOUCH

COLUMNS = ("Client", "Recommendation", "Priority", "Status", "Agreed on", "Weeks", "Who")


class OverdueDialog(QDialog):
    visit_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overdueDialog")
        self.setWindowTitle("Overdue recommendations")
        self.resize(980, 520)
        self.session = session
        self.items: list[F.OverdueItem] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Agreed or ordered but not installed after"))
        self.weeks = QSpinBox()
        self.weeks.setObjectName("overdueWeeks")
        self.weeks.setAccessibleName("Weeks")
        weeks = NUMBERS["overdue_weeks"]
        self.weeks.setRange(int(weeks.low), int(weeks.high))
        self.weeks.setValue(6)
        self.weeks.setSuffix(" weeks")
        self.weeks.valueChanged.connect(self.refresh)
        row.addWidget(self.weeks)
        row.addStretch(1)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("overdueTable")
        self.table.setAccessibleName("Overdue recommendations")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("overdueStatus")
        bottom.addWidget(self.status, 1)
        open_visit = QPushButton("Open the visit")
        open_visit.setObjectName("openOverdueVisit")
        open_visit.setMinimumHeight(TOUCH)
        open_visit.clicked.connect(lambda: self._open(self.table.currentRow()))
        close = QPushButton("Close")
        close.setMinimumHeight(TOUCH)
        close.clicked.connect(self.reject)
        bottom.addWidget(open_visit)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.refresh()

    def refresh(self) -> None:
        self.items = self.session.read(F.overdue, weeks=self.weeks.value()) or []
        self.table.setRowCount(len(self.items))
        for row, x in enumerate(self.items):
            values = (x.client_name, x.title, f"{x.tier.code} {x.tier.label}", x.status.label, f"{x.since:%d %b %Y}",
                      str(x.weeks), x.who)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 420))
        self.status.setText(f"{len(self.items)} overdue" if self.items else "Nothing is overdue.")

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self.visit_requested.emit(self.items[row].assessment_id)
            self.accept()
