"""Follow-up review: each finding of the earlier visit marked resolved / improved / unchanged / worse,
before and after photos side by side, goals scored on their attainment scale (T-score shown at once),
falls and FES-I. Every change saves at once and can be undone."""

from __future__ import annotations

from functools import partial
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel,
    QLineEdit,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import HomeAssessError
from homeassess.domain.input_rules import NUMBERS
from homeassess.domain.lifecycle import MOVES, NEEDS_REASON, Status
from homeassess.domain.outcomes import GAS_LEVELS, GAS_MEANINGS, Outcome, fes_i_concern
from homeassess.domain.text_rules import TEXT_LIMITS
from homeassess.services import clients as C
from homeassess.services import followup as F
from homeassess.services import photos as P
from homeassess.services.changes import Changes
from homeassess.services.dto import PhotoView
from homeassess.services.followup import FollowUpView
from homeassess.services.visit_lock import VisitLock
from homeassess.ui.session import Session
from homeassess.ui.undo import ServiceCommand, TextEditCommand, push_checked, rec_status
from homeassess.ui.widgets.debounce import DebouncedText, field_error_label, set_max_length
from homeassess.ui.widgets.lock import AFTER_SIGN_OFF, ALWAYS, CLIENT_RECORD, apply_lock, mark
from homeassess.ui.widgets.responsive import Columns, column
from homeassess.ui.widgets.style import TIER_COLOURS, TOUCH

THUMB = 200


class GasScaleDialog(QDialog):
    """What each attainment level means for this goal, its weight and its baseline."""

    def __init__(self, parent: QWidget | None, text: str, levels: dict[int, str], weight: int, baseline: int) -> None:
        super().__init__(parent)
        self.setObjectName("gasScaleDialog")
        self.setWindowTitle("Goal attainment scale")
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>“{escape(text)}”</b>"))
        self.edits: dict[int, QLineEdit] = {}
        for level in reversed(GAS_LEVELS):
            edit = QLineEdit(levels.get(level, "") if levels.get(level) != GAS_MEANINGS[level] else "")
            edit.setObjectName(f"gasLevel{level:+d}")
            edit.setPlaceholderText(GAS_MEANINGS[level])
            edit.setAccessibleName(f"Level {level:+d}")
            set_max_length(edit, TEXT_LIMITS["line"])   # what clients.update_goal accepts
            self.edits[level] = edit
            form.addRow(f"{level:+d}", edit)
        self.weight = QSpinBox()
        self.weight.setObjectName("gasWeight")
        self.weight.setRange(int(NUMBERS["gas_weight"].low), int(NUMBERS["gas_weight"].high))
        self.weight.setValue(weight)
        self.weight.setToolTip("Importance × difficulty (each 0–3), or 1 for equal weights")
        self.baseline = QComboBox()
        self.baseline.setObjectName("gasBaseline")
        for level in GAS_LEVELS:
            self.baseline.addItem(f"{level:+d}", level)
        self.baseline.setCurrentIndex(self.baseline.findData(baseline))
        form.addRow("Weight", self.weight)
        form.addRow("Level at the first visit", self.baseline)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        return {"gas_levels": {str(k): e.text().strip() for k, e in self.edits.items() if e.text().strip()},
                "weight": self.weight.value(), "baseline_level": self.baseline.currentData()}


class FollowUpScreen(QWidget):
    room_requested = Signal(str)      # open a room of this follow-up (to add an 'after' photo)
    progress_requested = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("followUpScreen")
        self.session = session
        self.assessment_id: str | None = None
        self.stack: QUndoStack | None = None
        self.view: FollowUpView | None = None
        self.note_editors: dict[str, DebouncedText] = {}
        self.thumbs: dict[str, QPixmap] = {}
        self.lock: VisitLock | None = None
        # Everything reviewed here (outcomes, scores, falls, status steps) is recorded after sign-off too.
        mark(AFTER_SIGN_OFF, self)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("followUpHeading")
        self.heading.setWordWrap(True)
        top.addWidget(self.heading, 1)
        report = QPushButton("Progress report…")
        report.setObjectName("progressReportButton")
        report.setMinimumHeight(TOUCH)
        report.clicked.connect(self.progress_requested.emit)
        mark(ALWAYS, report)
        top.addWidget(report)
        layout.addLayout(top)
        # One page that scrolls as a whole; each part stacks its columns on a narrow window.
        layout.addWidget(self._build_findings(), 3)
        layout.addWidget(self._build_lower(), 2)
        self.error = field_error_label("followUp")
        layout.addWidget(self.error)
        session.bus.changed.connect(self._on_bus_changed)

    # -- layout -----------------------------------------------------------------------------
    def _build_findings(self) -> QWidget:
        box = QGroupBox("What became of each finding from the first visit")
        QVBoxLayout(box)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("findingOutcomes")
        self.table.setAccessibleName("Findings from the first visit")
        self.table.setHorizontalHeaderLabels(["Pri.", "Finding", "Room", "Now", "Note"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_photos)
        photos = QVBoxLayout()
        pair = QGridLayout()
        self.before = QLabel("Before")
        self.after = QLabel("After")
        for n, (label, widget) in enumerate((("First visit", self.before), ("Now", self.after))):
            widget.setObjectName(f"{'before' if n == 0 else 'after'}Photo")
            widget.setFixedSize(THUMB, THUMB * 3 // 4)
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            widget.setStyleSheet("background: #F2F4F7; border: 1px solid #D0D5DD;")
            pair.addWidget(QLabel(f"<b>{label}</b>"), 0, n)
            pair.addWidget(widget, 1, n)
        photos.addLayout(pair)
        self.photo_note = QLabel()
        self.photo_note.setObjectName("photoPairNote")
        self.photo_note.setWordWrap(True)
        photos.addWidget(self.photo_note)
        self.add_after = QPushButton("Add an ‘after’ photo in this room…")
        self.add_after.setObjectName("addAfterPhotoButton")
        self.add_after.clicked.connect(self._open_room)
        mark(ALWAYS, self.add_after)   # it opens the room, which follows the lock itself
        photos.addWidget(self.add_after)
        photos.addWidget(QLabel("<b>What was recommended for it</b> (change the status as things happen)"))
        self.recs_box = QVBoxLayout()
        photos.addLayout(self.recs_box)
        photos.addStretch(1)
        self.findings_columns = Columns(self.table, column(photos), stretch=(3, 2), stacked_height=(260, 0),
                                        breakpoint=860)
        box.layout().addWidget(self.findings_columns)
        return box

    def _build_lower(self) -> QWidget:
        goals = QGroupBox("Goals (attainment −2 … +2)")
        goals_layout = QVBoxLayout(goals)
        self.t_score = QLabel()
        self.t_score.setObjectName("tScore")
        goals_layout.addWidget(self.t_score)
        self.goals_grid = QGridLayout()
        goals_layout.addLayout(self.goals_grid)
        goals_layout.addStretch(1)
        measures = QGroupBox("Falls and fear of falling")
        form = QFormLayout(measures)
        self.falls = QSpinBox()
        self.falls.setObjectName("fallsSince")
        self.falls.setAccessibleName("Falls since the first visit")
        self.falls.setRange(-1, int(NUMBERS["falls_since_last_visit"].high))   # -1: not recorded
        self.falls.setSpecialValueText("not recorded")
        self.falls.editingFinished.connect(lambda: self._measure("falls", self.falls.value()))
        self.fes = QSpinBox()
        self.fes.setObjectName("fesITotal")
        self.fes.setAccessibleName("FES-I total (16 to 64)")
        fes = NUMBERS["fes_i_total"]
        self.fes.setRange(int(fes.low) - 1, int(fes.high))   # one below the lowest total: not recorded
        self.fes.setSpecialValueText("not recorded")
        self.fes.editingFinished.connect(lambda: self._measure("fes_i", self.fes.value()))
        self.fes_band = QLabel()
        self.fes_band.setObjectName("fesIBand")
        self.done_rate = QLabel()
        self.done_rate.setObjectName("doneRate")
        self.done_rate.setWordWrap(True)
        form.addRow("Falls since the first visit", self.falls)
        form.addRow("FES-I total (16–64)", self.fes)
        form.addRow("", self.fes_band)
        form.addRow("Recommendations", self.done_rate)
        return Columns(goals, measures, stretch=(3, 2))

    # -- loading ----------------------------------------------------------------------------
    def open_visit(self, assessment_id: str, stack: QUndoStack) -> None:
        self.assessment_id, self.stack = assessment_id, stack
        self.refresh()

    def set_locked(self, lock: VisitLock | None) -> None:
        self.lock = lock
        apply_lock(self, lock)

    def refresh(self) -> None:
        if self.assessment_id is None:
            return
        try:
            self.view = F.follow_up_view(self.session.ctx, self.assessment_id)
        except HomeAssessError as exc:
            self.heading.setText(escape(str(exc)))
            self.view = None
            return
        v = self.view
        self.heading.setText(f"<h2>Follow-up review</h2>Reviewing the visit on {v.previous.visit_date:%d %B %Y}: "
                             f"{len(v.findings)} findings, {len(v.recommendations)} recommendations.")
        keep = self.table.currentRow()
        self.table.setRowCount(len(v.findings))
        self.note_editors.clear()
        for row, review in enumerate(v.findings):
            f = review.finding
            tier = QTableWidgetItem(f"{f.tier.code}")
            tier.setForeground(Qt.GlobalColor.white)
            tier.setBackground(QColor(TIER_COLOURS[f.tier]))
            self.table.setItem(row, 0, tier)
            title = QTableWidgetItem(f.title + (f"  [{len(review.before)}↔{len(review.after)} photos]"
                                                if review.before or review.after else ""))
            title.setToolTip(f.reason)
            self.table.setItem(row, 1, title)
            self.table.setItem(row, 2, QTableWidgetItem(f.room_name))
            combo = QComboBox()
            combo.setObjectName(f"outcome_{row}")
            combo.setAccessibleName(f"Now: {f.title}")
            combo.addItem("Not reviewed", None)
            for outcome in Outcome:
                combo.addItem(outcome.label, outcome.value)
            combo.setCurrentIndex(max(0, combo.findData(review.outcome.value if review.outcome else None)))
            combo.activated.connect(partial(self._outcome_chosen, f.id, combo))
            self.table.setCellWidget(row, 3, combo)
            note = QLineEdit()
            note.setObjectName(f"outcomeNote_{row}")
            note.setAccessibleName(f"Note: {f.title}")
            note.setMaxLength(TEXT_LIMITS["note"])
            editor = DebouncedText(note, partial(self._note, f.id), self.session.pending)
            editor.set_text(review.note)
            self.note_editors[f.id] = editor
            self.table.setCellWidget(row, 4, note)
        for col, width in ((0, 40), (1, 250), (2, 100), (3, 118)):
            self.table.setColumnWidth(col, width)
        if v.findings:
            self.table.selectRow(keep if 0 <= keep < len(v.findings) else 0)
        self._fill_goals()
        self.falls.setValue(-1 if v.falls_since is None else v.falls_since)
        self.fes.setValue(15 if v.fes_i_now is None else v.fes_i_now)
        self._fill_measures()
        apply_lock(self, self.lock)   # the rows just made

    def _fill_measures(self) -> None:
        v = self.view
        if v is None:
            return
        before = f"{v.fes_i_before} at the first visit ({fes_i_concern(v.fes_i_before)})" if v.fes_i_before else ""
        now = fes_i_concern(v.fes_i_now) if v.fes_i_now else ""
        self.fes_band.setText("; ".join(x for x in (now, before) if x))
        done, relevant = v.done_rate
        self.done_rate.setText(f"{done} of {relevant} agreed recommendations carried out")
        t0, t1 = v.baseline_t, v.follow_up_t
        self.t_score.setText(f"<b>GAS T-score: {t1:.1f}</b> (first visit {t0:.1f}; 50 = goals met as expected)"
                             if t1 is not None and t0 is not None else
                             "Score each goal to see the T-score (50 = goals met as expected).")

    def _fill_goals(self) -> None:
        while self.goals_grid.count():
            _discard(self.goals_grid.takeAt(0).widget())
        if self.view is None:
            return
        for row, goal in enumerate(self.view.goals):
            text = QLabel(f"“{escape(goal.text)}”<br><span style='color:#52606D'>weight {goal.weight}; first visit "
                          f"{goal.baseline:+d}: {escape(goal.levels[goal.baseline])}</span>")
            text.setWordWrap(True)
            combo = QComboBox()
            combo.setObjectName(f"goalLevel_{row}")
            combo.setAccessibleName(f"Attainment now: {goal.text}")
            combo.addItem("Not scored", None)
            for level in reversed(GAS_LEVELS):
                combo.addItem(f"{level:+d}  {goal.levels[level]}", level)
            combo.setCurrentIndex(max(0, combo.findData(goal.level)))
            combo.activated.connect(partial(self._score_chosen, goal.id, goal.level, combo))
            scale = QPushButton("Scale…")
            scale.setObjectName(f"goalScale_{row}")
            scale.clicked.connect(partial(self._edit_scale, goal.id))
            mark(CLIENT_RECORD, scale)   # the goal's scale is the client's own record
            combo.setMinimumContentsLength(30)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.goals_grid.addWidget(text, 2 * row, 0, 1, 2)
            self.goals_grid.addWidget(combo, 2 * row + 1, 0)
            self.goals_grid.addWidget(scale, 2 * row + 1, 1)
        self.goals_grid.setColumnStretch(0, 1)

    # -- photos -----------------------------------------------------------------------------
    def selected_review(self):  # noqa: ANN201
        row = self.table.currentRow()
        return self.view.findings[row] if self.view and 0 <= row < len(self.view.findings) else None

    def _show_photos(self) -> None:
        review = self.selected_review()
        for label, photos in ((self.before, review.before if review else ()), (self.after, review.after if review else ())):
            label.setPixmap(QPixmap())
            label.setText("No photo")
            if photos:
                self._load_thumb(label, photos[0])
        self.photo_note.setText("" if review is None else
                                f"{escape(review.finding.title)} — {review.outcome.label if review.outcome else 'not reviewed yet'}")
        self._fill_recommendations(review)

    def _fill_recommendations(self, review) -> None:  # noqa: ANN001
        """The earlier visit's recommendations for the selected finding, each with its next possible steps."""
        while self.recs_box.count():
            _discard(self.recs_box.takeAt(0).widget())
        if review is None:
            return
        if not review.recommendations:
            self.recs_box.addWidget(QLabel("<i>No recommendation was made for this finding.</i>"))
        for n, rec in enumerate(review.recommendations):
            current = Status(rec.status)
            combo = QComboBox()
            combo.setObjectName(f"recStatus_{n}")
            combo.setAccessibleName(f"Status: {rec.title}")
            combo.addItem(f"{rec.title}: {current.label}", None)
            for target in sorted(MOVES[current], key=list(Status).index):
                combo.addItem(f"→ {target.label}", target.value)
            combo.activated.connect(partial(self._move_rec, rec.id, rec.title, combo))
            self.recs_box.addWidget(combo)
        apply_lock(self, self.lock)

    def _move_rec(self, rec_id: str, title: str, combo: QComboBox, _index: int) -> None:
        target = combo.currentData()
        if target is None or self.stack is None:
            return
        why = ""
        if Status(target) in NEEDS_REASON:
            why, ok = QInputDialog.getText(self, "Why?", f"Why is “{title}” {Status(target).label.lower()}?")
            if not ok:
                combo.setCurrentIndex(0)
                return
        if not push_checked(self.stack, rec_status(self.session, rec_id, "", target, title, why=why), self.error):
            combo.setCurrentIndex(0)

    def _load_thumb(self, label: QLabel, photo: PhotoView) -> None:
        """Thumbnails are made in a worker; the label fills in when one is ready."""
        if photo.sha256 in self.thumbs:
            label.setPixmap(self.thumbs[photo.sha256])
            return
        label.setText("Loading…")
        ctx = self.session.ctx

        def job(progress=None, cancel=None):  # noqa: ANN001, ANN202
            return str(P.thumbnail(ctx, photo.sha256, THUMB))

        def done(path: str) -> None:
            pixmap = QPixmap(path).scaled(label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation)
            self.thumbs[photo.sha256] = pixmap
            label.setPixmap(pixmap)

        self.session.tasks.submit(job, on_success=done, on_error=lambda _e: label.setText("Photo unavailable"))

    def _open_room(self) -> None:
        review = self.selected_review()
        if review is None or self.assessment_id is None:
            return
        from homeassess.services.assessments import list_rooms

        rooms = self.session.read(list_rooms, self.assessment_id) or []
        match = next((r for r in rooms if r.name == review.finding.room_name), None)
        if match is not None:
            self.room_requested.emit(match.id)

    # -- edits ------------------------------------------------------------------------------
    def _push(self, command: object) -> None:
        if self.stack is not None:
            push_checked(self.stack, command, self.error)

    def _outcome_chosen(self, finding_id: str, combo: QComboBox, _index: int) -> None:
        review = next(r for r in self.view.findings if r.finding.id == finding_id) if self.view else None
        old = review.outcome.value if review and review.outcome else None
        new = combo.currentData()
        if review is None or old == new:
            return
        aid, note = self.assessment_id, review.note
        self._push(ServiceCommand(f"Mark “{review.finding.title}” {new or 'not reviewed'}",
                                  lambda: self.session.call(F.set_finding_outcome, aid, finding_id, new, note),
                                  lambda: self.session.call(F.set_finding_outcome, aid, finding_id, old, note)))

    def _note(self, finding_id: str, text: str) -> None:
        review = next(r for r in self.view.findings if r.finding.id == finding_id) if self.view else None
        if review is None:
            return
        aid, outcome = self.assessment_id, review.outcome.value if review.outcome else None

        def apply(t: str) -> None:
            self.session.call(F.set_finding_outcome, aid, finding_id, outcome, t, initiator=self)

        self._push(TextEditCommand("Edit finding note", ("outcome_note", aid, finding_id), apply, review.note, text))

    def _score_chosen(self, goal_id: str, old: int | None, combo: QComboBox, _index: int) -> None:
        new = combo.currentData()
        if new == old:
            return
        aid = self.assessment_id
        self._push(ServiceCommand("Score goal", lambda: self.session.call(F.set_goal_score, aid, goal_id, new),
                                  lambda: self.session.call(F.set_goal_score, aid, goal_id, old)))

    def _measure(self, name: str, value: int) -> None:
        v = self.view
        if v is None:
            return
        new = None if value == (-1 if name == "falls" else int(NUMBERS["fes_i_total"].low) - 1) else value
        old = v.falls_since if name == "falls" else v.fes_i_now
        if new == old:
            return
        aid = self.assessment_id
        self._push(ServiceCommand(f"Record {'falls' if name == 'falls' else 'FES-I'}",
                                  lambda: self.session.call(F.set_outcome_measures, aid, **{name: new}),
                                  lambda: self.session.call(F.set_outcome_measures, aid, **{name: old})))

    def _edit_scale(self, goal_id: str) -> None:
        goal = next(g for g in self.view.goals if g.id == goal_id) if self.view else None
        if goal is None:
            return
        dialog = GasScaleDialog(self, goal.text, goal.levels, goal.weight, goal.baseline)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        new = dialog.values()
        old = {"gas_levels": {str(k): v for k, v in goal.levels.items() if v != GAS_MEANINGS[k]},
               "weight": goal.weight, "baseline_level": goal.baseline}
        self._push(ServiceCommand("Edit goal scale", lambda: self.session.call(C.update_goal, goal_id, **new),
                                  lambda: self.session.call(C.update_goal, goal_id, **old)))

    def _on_bus_changed(self, changes: Changes, initiator: object) -> None:
        if self.assessment_id is None:
            return
        if initiator is self:  # a note typed here: keep the widgets, refresh the data behind them
            self.view = self.session.read(F.follow_up_view, self.assessment_id)
            return
        if not self.isVisible():
            return
        if changes.findings or changes.goals or changes.assessment_meta or changes.recommendations or changes.photos:
            self.refresh()


def _discard(widget: QWidget | None) -> None:
    """Take a rebuilt row's widget out at once (its name must not linger until deleteLater runs)."""
    if widget is not None:
        widget.setParent(None)
        widget.deleteLater()
