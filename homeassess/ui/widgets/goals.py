"""The client's goals, in their own words: add, edit (autosaved) and remove. A change the record
refuses (ConflictError: a read-only copy, services/visit_lock.client_lock) goes to ``refused``."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from homeassess.domain.errors import ConflictError, ValidationError
from homeassess.domain.text_rules import TEXT_LIMITS
from homeassess.services import clients as C
from homeassess.services.dto import ClientDetail, GoalView
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label, set_max_length

GOAL_LIMIT = TEXT_LIMITS["line"]        # what clients.add_goal accepts
ACTIVITY_LIMIT = TEXT_LIMITS["title"]


class GoalRow(QWidget):
    def __init__(self, session: Session, goal: GoalView, on_removed: callable,
                 show_error: callable = lambda _message: None, refused: callable | None = None) -> None:
        super().__init__()
        self.session, self.goal, self.show_error = session, goal, show_error
        self.refused = refused or show_error
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLineEdit(goal.text)
        self.text.setObjectName("goalText")
        self.text.setAccessibleName("Goal in the client's words")
        self.text.setMinimumHeight(36)
        set_max_length(self.text, GOAL_LIMIT)
        self.activity = QLineEdit(goal.activity)
        set_max_length(self.activity, ACTIVITY_LIMIT)
        self.activity.setObjectName("goalActivity")
        self.activity.setAccessibleName("Daily activity")
        self.activity.setPlaceholderText("Daily activity (e.g. showering)")
        self.activity.setMinimumHeight(36)
        self.activity.setMaximumWidth(220)
        remove = QPushButton("Remove")
        remove.setObjectName("goalRemoveButton")
        remove.setMinimumHeight(36)
        remove.clicked.connect(lambda: on_removed(self))
        scale = QPushButton("Attainment scale…")
        scale.setObjectName("goalScaleButton")
        scale.setToolTip("What −2 … +2 mean for this goal, its weight and where the client is now (GAS)")
        scale.setMinimumHeight(36)
        scale.clicked.connect(self._edit_scale)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.activity)
        layout.addWidget(scale)
        layout.addWidget(remove)
        DebouncedText(self.text, self._save_text, session.pending)
        DebouncedText(self.activity, self._save_activity, session.pending)

    def _edit_scale(self) -> None:
        from PySide6.QtWidgets import QDialog

        from homeassess.domain.outcomes import GAS_LEVELS, GAS_MEANINGS
        from homeassess.ui.screens.follow_up import GasScaleDialog

        goal = self.goal
        levels = {x: goal.gas_levels.get(str(x), "") or GAS_MEANINGS[x] for x in GAS_LEVELS}
        dialog = GasScaleDialog(self, self.text.text(), levels, goal.weight, goal.baseline_level)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                view = self.session.call(C.update_goal, goal.id, **dialog.values(), initiator=self)
            except ValidationError as exc:
                self.show_error(exc.errors[0].message)
                return
            except ConflictError as exc:
                self.refused(str(exc))
                return
            self.show_error("")
            if view is not None:
                self.goal = view

    def _save_text(self, text: str) -> None:
        self._update(text=text)

    def _save_activity(self, text: str) -> None:
        self._update(activity=text)

    def _update(self, **fields: str) -> None:
        try:
            self.session.call(C.update_goal, self.goal.id, initiator=self, **fields)
        except ValidationError as exc:   # the domain's message, beside the goals
            self.text.setToolTip(exc.errors[0].message)
            self.show_error(exc.errors[0].message)
        except ConflictError as exc:
            self.refused(str(exc))
        else:
            self.show_error("")


class GoalsEditor(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("goalsEditor")
        self.session = session
        self.client_id: str | None = None
        self.rows: list[GoalRow] = []
        self.refused = self.show_error   # the client editor says it in its banner
        layout = QVBoxLayout(self)
        self.list_layout = QVBoxLayout()
        layout.addLayout(self.list_layout)
        add_row = QHBoxLayout()
        self.new_goal = QLineEdit()
        self.new_goal.setObjectName("newGoal")
        self.new_goal.setAccessibleName("New goal")
        self.new_goal.setPlaceholderText("e.g. “I want to shower on my own again” — press Enter to add")
        self.new_goal.setMinimumHeight(36)
        self.new_goal.setMaxLength(GOAL_LIMIT)
        self.new_goal.returnPressed.connect(self._add)
        add = QPushButton("Add goal")
        add.setObjectName("addGoalButton")
        add.setMinimumHeight(36)
        add.clicked.connect(self._add)
        add_row.addWidget(self.new_goal, 1)
        add_row.addWidget(add)
        layout.addLayout(add_row)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #52606D;")
        layout.addWidget(self.hint)
        self.error = field_error_label("goals")
        layout.addWidget(self.error)

    def set_client(self, detail: ClientDetail | None) -> None:
        self.client_id = detail.id if detail else None
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        for goal in (detail.goals if detail else ()):
            self._append(goal)
        self.new_goal.setEnabled(detail is not None)
        self.hint.setText("" if detail else "Goals can be added once the client has a name.")

    def _append(self, goal: GoalView) -> None:
        row = GoalRow(self.session, goal, self._remove, self.show_error, lambda message: self.refused(message))
        self.rows.append(row)
        self.list_layout.addWidget(row)

    def _add(self) -> None:
        if self.client_id is None or not self.new_goal.text().strip():
            return
        try:
            goal = self.session.call(C.add_goal, self.client_id, self.new_goal.text(), initiator=self)
        except ValidationError as exc:
            self.show_error(exc.errors[0].message)
            return
        except ConflictError as exc:
            self.refused(str(exc))
            return
        self.show_error("")
        if goal is not None:
            self._append(goal)
            self.new_goal.clear()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _remove(self, row: GoalRow) -> None:
        try:
            self.session.call(C.delete_goal, row.goal.id, initiator=self)
        except ConflictError as exc:
            self.refused(str(exc))
            return
        self.rows.remove(row)
        row.deleteLater()
