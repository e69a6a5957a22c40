"""The widgets take their limits and messages from the domain's input rules (issue 14), and a value a
service refuses is said beside the field, never in the crash dialog."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from homeassess.checklists.registry import Registry
from homeassess.domain.checklist import ItemKind
from homeassess.domain.errors import ValidationError
from homeassess.domain.input_rules import COUNT_LIMIT, NUMBERS, check_number
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.text_rules import NAME_LIMIT, NOTE_LIMIT, TEXT_LIMITS
from homeassess.domain.validation import CLIENT_TEXT
from homeassess.services import clients as C
from homeassess.services import settings as S
from homeassess.ui.screens.client_editor import ClientEditorScreen
from homeassess.ui.screens.order_line import OrderLinePanel
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import PendingEdits
from homeassess.ui.widgets.item_widget import ItemWidget


def domain_message(call, *args, **kwargs) -> str:  # noqa: ANN001
    try:
        call(*args, **kwargs)
    except ValidationError as exc:
        return exc.errors[0].message
    raise AssertionError("the domain accepted it")


def test_the_count_entry_refuses_20000_with_the_domain_message(registry: Registry, qtbot: QtBot) -> None:
    item = registry.latest("entrance").item("entrance.step_count")
    assert item.kind is ItemKind.COUNT
    widget = ItemWidget(item, DisplayUnits.METRIC, [], PendingEdits())
    qtbot.addWidget(widget)
    sent: list[tuple] = []
    widget.answered.connect(lambda *args: sent.append(args))
    for typed in (str(COUNT_LIMIT * 2), "nan", "inf", "2.5", "abc"):
        widget.entry.setText(typed)
        widget.entry.setModified(True)
        widget._submit(enter=True)
        assert escape(domain_message(check_number, typed, field=item.id, rule="count")) in widget.status.text()
    assert sent == []   # nothing reached the service
    widget.entry.setText(str(COUNT_LIMIT))
    widget.entry.setModified(True)
    widget._submit(enter=False)
    assert sent == [(item.id, None, COUNT_LIMIT)]
    assert widget.note.maxLength() == NOTE_LIMIT


def test_client_editor_limits_are_the_domains(session: Session, qtbot: QtBot) -> None:
    screen = ClientEditorScreen(session)
    qtbot.addWidget(screen)
    for name, kind in CLIENT_TEXT.items():
        widget = screen.texts[name].widget
        if isinstance(widget, QLineEdit):
            assert widget.maxLength() == TEXT_LIMITS[kind], name
    assert screen.texts["given_name"].widget.maxLength() == NAME_LIMIT
    falls = screen.findChild(QSpinBox, "field_falls_last_12_months")
    rule = NUMBERS["falls_last_12_months"]
    assert (falls.minimum(), falls.maximum()) == (rule.low, rule.high)
    assert screen.goals.new_goal.maxLength() == TEXT_LIMITS["line"]


def test_order_line_and_settings_limits_are_the_domains(session: Session, qtbot: QtBot) -> None:
    from homeassess.ui.screens.settings import SettingsWindow

    panel = OrderLinePanel(session)
    qtbot.addWidget(panel)
    rule = NUMBERS["order_quantity"]
    assert (panel.quantity.minimum(), panel.quantity.maximum()) == (rule.low, rule.high)
    assert panel.texts["approval_no"].widget.maxLength() == TEXT_LIMITS["code"]
    dialog = SettingsWindow(session)
    qtbot.addWidget(dialog)
    name = dialog.texts["therapist.name"].widget
    assert name.maxLength() == S.KEYS["therapist.name"].max_length == NAME_LIMIT


def test_a_refused_value_is_said_beside_the_field(session: Session, qtbot: QtBot) -> None:
    detail, _ = C.create_client(session.ctx, given_name="Zoë", family_name="Lee")
    screen = ClientEditorScreen(session)
    qtbot.addWidget(screen)
    screen.open_client(detail.id)
    notes = screen.texts["notes"]
    notes.widget.setPlainText("n" * (NOTE_LIMIT + 1))
    notes.flush()
    assert not screen.errors["notes"].isHidden()
    assert screen.errors["notes"].text() == "Notes is too long: 3,001 characters (at most 3,000)"
    screen.texts["aid_width_mm"].widget.setText("20 m")
    screen.texts["aid_width_mm"].flush()
    assert not screen.errors["aid_width_mm"].isHidden()
    assert screen.errors["aid_width_mm"].text() == "Aid width must be between 250 and 1200 mm"
    screen.goals.new_goal.setText("\u200b")
    screen.goals._add()
    assert not screen.goals.error.isHidden() and "own words" in screen.goals.error.text()
    assert C.get_client(session.ctx, detail.id).notes == "" and C.get_client(session.ctx, detail.id).goals == ()


def test_a_value_stored_before_the_rules_is_shown_whole_never_cut(session: Session, qtbot: QtBot) -> None:
    from homeassess.ui.widgets.debounce import DebouncedText

    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.setMaxLength(NAME_LIMIT)
    saved: list[str] = []
    editor = DebouncedText(edit, saved.append)
    legacy = "Ångström-Nuñez 👍🏽 " * 15   # longer than the limit, emoji count twice in a line edit
    editor.set_text(legacy)
    assert edit.text() == legacy and not editor.dirty
    editor.flush()
    assert saved == []   # nothing cut and saved back
