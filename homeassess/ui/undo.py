"""Undo commands. Each stores ids and old/new values and calls services, never widgets.

Pushing a command runs ``redo()``, which makes the (committed) edit; ``undo()`` makes the
reverse edit, also committed at once, so undo and autosave work together (STYLE §5.7).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from homeassess.domain.errors import HomeAssessError, ValidationError
from homeassess.services import assessments as A
from homeassess.services import recommendations as R
from homeassess.ui.session import Session

TEXT_EDIT_ID = 1001


def _refused(command: QUndoCommand, action: Callable[[], Any]) -> None:
    """Run an edit; if the service refuses it, mark the command obsolete so the stack drops it
    (no phantom undo step), then let the error reach the screen that pushed it."""
    try:
        action()
    except HomeAssessError:
        command.setObsolete(True)
        raise


def push_checked(stack: Any, command: QUndoCommand, error_label: Any) -> bool:
    """Push an edit; a refused one shows its message beside the field and leaves nothing to undo."""
    try:
        stack.push(command)
    except ValidationError as exc:
        error_label.setText(exc.errors[0].message)
        error_label.show()
        return False
    except HomeAssessError as exc:
        error_label.setText(str(exc))
        error_label.show()
        return False
    error_label.hide()
    return True


class ServiceCommand(QUndoCommand):
    """An undoable pair of service calls."""

    def __init__(self, text: str, do: Callable[[], Any], undo: Callable[[], Any]) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo

    def redo(self) -> None:
        _refused(self, self._do)

    def undo(self) -> None:
        self._undo()


class TextEditCommand(QUndoCommand):
    """Typing into one field: consecutive edits of the same field merge into one undo step."""

    def __init__(self, text: str, key: tuple, apply: Callable[[str], Any], old: str, new: str) -> None:
        super().__init__(text)
        self.key, self._apply, self.old, self.new = key, apply, old, new

    def id(self) -> int:  # noqa: A003 (Qt API)
        return TEXT_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, TextEditCommand) or other.key != self.key:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        _refused(self, lambda: self._apply(self.new))

    def undo(self) -> None:
        self._apply(self.old)


def set_answer(session: Session, room_id: str, item_id: str, old: tuple, new: tuple, label: str,
               confirm_unusual: bool = False) -> ServiceCommand:
    """Answer (or clear, with ``new`` (None, None)) one item. An unusual number is refused with
    UnusualValueError unless ``confirm_unusual``; undo puts back the earlier answer, which was kept before."""
    def apply(value: tuple, confirm: bool) -> Any:
        return session.call(A.set_answer, room_id, item_id, value=value[0], number=value[1], confirm_unusual=confirm)

    text = f"Clear “{label}”" if new == (None, None) else f"Answer “{label}”"
    return ServiceCommand(text, lambda: apply(new, confirm_unusual), lambda: apply(old, True))


def set_note(session: Session, room_id: str, item_id: str, old: str, new: str, label: str,
             initiator: object = None) -> TextEditCommand:
    return TextEditCommand(f"Note on “{label}”", ("note", room_id, item_id),
                           lambda text: session.call(A.set_note, room_id, item_id, text, initiator=initiator), old, new)


class AddRoomCommand(QUndoCommand):
    def __init__(self, session: Session, assessment_id: str, room_type: str, name: str = "") -> None:
        super().__init__(f"Add room {name or room_type}")
        self.session, self.assessment_id, self.room_type, self.name = session, assessment_id, room_type, name
        self.room_id: str | None = None

    def redo(self) -> None:
        if self.room_id is None:
            view = self.session.call(A.add_room, self.assessment_id, self.room_type, self.name)
            self.room_id = view.id if view is not None else None
        else:
            self.session.call(A.remove_room, self.room_id, restore=True)

    def undo(self) -> None:
        if self.room_id is not None:
            self.session.call(A.remove_room, self.room_id)


def remove_room(session: Session, room_id: str, name: str) -> ServiceCommand:
    return ServiceCommand(f"Remove room {name}", lambda: session.call(A.remove_room, room_id),
                          lambda: session.call(A.remove_room, room_id, restore=True))


def rename_room(session: Session, room_id: str, old: str, new: str) -> ServiceCommand:
    return ServiceCommand(f"Rename room to {new}", lambda: session.call(A.rename_room, room_id, new),
                          lambda: session.call(A.rename_room, room_id, old))


def reorder_rooms(session: Session, assessment_id: str, old: list[str], new: list[str]) -> ServiceCommand:
    return ServiceCommand("Reorder rooms", lambda: session.call(A.reorder_rooms, assessment_id, new),
                          lambda: session.call(A.reorder_rooms, assessment_id, old))


class StatusCommand(QUndoCommand):
    """A lifecycle step; undo takes back exactly the event it made."""

    def __init__(self, session: Session, rec_id: str, new: str, title: str, **details: Any) -> None:
        super().__init__(f"Mark “{title}” {new.replace('_', ' ')}")
        self.session, self.rec_id, self.new, self.details = session, rec_id, new, details
        self.event_id: str | None = None

    def redo(self) -> None:
        def move() -> None:
            self.event_id = self.session.call(R.set_status, self.rec_id, self.new, **self.details)

        _refused(self, move)

    def undo(self) -> None:
        if self.event_id is not None:
            self.session.call(R.revert_status, self.event_id)


def rec_status(session: Session, rec_id: str, old: str, new: str, title: str, **details: Any) -> StatusCommand:
    return StatusCommand(session, rec_id, new, title, **details)


def rec_text(session: Session, rec_id: str, field: str, old: str, new: str, initiator: object = None) -> TextEditCommand:
    return TextEditCommand(f"Edit recommendation {field.replace('_', ' ')}", ("rec", rec_id, field),
                           lambda text: session.call(R.edit_recommendation, rec_id, initiator=initiator,
                                                     **{field: text}), old, new)


def rec_tier(session: Session, rec_id: str, old: tuple[int | None, str], new: tuple[int | None, str]) -> ServiceCommand:
    return ServiceCommand("Change priority", lambda: session.call(R.change_tier, rec_id, *new),
                          lambda: session.call(R.change_tier, rec_id, *old))


class ChooseOptionCommand(QUndoCommand):
    """Switch a recommendation to another of its options (None: back to the app's preselection)."""

    def __init__(self, session: Session, rec_id: str, template_id: str | None, label: str) -> None:
        super().__init__(f"Choose option {label}")
        self.session, self.rec_id, self.template_id = session, rec_id, template_id
        self.before: tuple[str | None, bool] | None = None

    def redo(self) -> None:
        def do() -> None:
            self.before = self.session.call(R.choose_option, self.rec_id, self.template_id)
        _refused(self, do)

    def undo(self) -> None:
        if self.before is not None:
            self.session.call(R.restore_option, self.rec_id, self.before)


def rec_goal(session: Session, rec_id: str, old: str | None, new: str | None) -> ServiceCommand:
    return ServiceCommand("Link goal", lambda: session.call(R.link_goal, rec_id, new),
                          lambda: session.call(R.link_goal, rec_id, old))


class AddCustomRecommendationCommand(QUndoCommand):
    def __init__(self, session: Session, assessment_id: str, **fields: Any) -> None:
        super().__init__(f"Add recommendation {fields.get('title', '')}")
        self.session, self.assessment_id, self.fields = session, assessment_id, fields
        self.rec_id: str | None = None

    def redo(self) -> None:
        if self.rec_id is None:
            self.rec_id = self.session.call(R.add_custom_recommendation, self.assessment_id, **self.fields)
        else:
            self.session.call(R.delete_recommendation, self.rec_id, restore=True)

    def undo(self) -> None:
        if self.rec_id is not None:
            self.session.call(R.delete_recommendation, self.rec_id)


class AttachPhotosCommand(QUndoCommand):
    """Photos stored by a worker become rows; undo hides them (files stay for redo)."""

    def __init__(self, session: Session, room_id: str, stored: list, item_id: str | None = None) -> None:
        super().__init__(f"Add {len(stored)} photo(s)")
        self.session, self.room_id, self.stored, self.item_id = session, room_id, stored, item_id
        self.photo_ids: list[str] = []

    def redo(self) -> None:
        from homeassess.services import photos as P

        if not self.photo_ids:
            views = self.session.call(P.attach_photos, self.room_id, self.stored, item_id=self.item_id) or []
            self.photo_ids = [v.id for v in views]
        else:
            for photo_id in self.photo_ids:
                self.session.call(P.delete_photo, photo_id, restore=True)

    def undo(self) -> None:
        from homeassess.services import photos as P

        for photo_id in self.photo_ids:
            self.session.call(P.delete_photo, photo_id)


def delete_photo(session: Session, photo_id: str) -> ServiceCommand:
    from homeassess.services import photos as P

    return ServiceCommand("Delete photo", lambda: session.call(P.delete_photo, photo_id),
                          lambda: session.call(P.delete_photo, photo_id, restore=True))


def photo_caption(session: Session, photo_id: str, old: str, new: str, initiator: object = None) -> TextEditCommand:
    from homeassess.services import photos as P

    return TextEditCommand("Edit caption", ("caption", photo_id),
                           lambda text: session.call(P.set_caption, photo_id, text, initiator=initiator), old, new)


def annotate_photo(session: Session, photo_id: str, old: list, new: list) -> ServiceCommand:
    from homeassess.services import photos as P

    return ServiceCommand("Mark up photo", lambda: session.call(P.set_annotations, photo_id, new),
                          lambda: session.call(P.set_annotations, photo_id, old))


def reorder_photos(session: Session, room_id: str, old: list[str], new: list[str]) -> ServiceCommand:
    from homeassess.services import photos as P

    return ServiceCommand("Reorder photos", lambda: session.call(P.reorder_photos, room_id, new),
                          lambda: session.call(P.reorder_photos, room_id, old))


def link_photo(session: Session, photo_id: str, old: dict, new: dict) -> ServiceCommand:
    from homeassess.services import photos as P

    return ServiceCommand("Move photo", lambda: session.call(P.link_photo, photo_id, **new),
                          lambda: session.call(P.link_photo, photo_id, **old))
