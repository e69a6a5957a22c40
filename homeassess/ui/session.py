"""What every screen needs: the services context, change bus, task runner and save status.

``Session.call`` is the one path from a slot to a service: it publishes the returned Changes,
turns a StorageError into the "Couldn't save" dialog and status, and lets ValidationError
through to the form that shows it inline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from homeassess.domain.errors import NotFoundError, StorageError
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.ui.changes import ChangeBus
from homeassess.ui.errors import error_dialog, storage_error_dialog
from homeassess.ui.widgets.debounce import PendingEdits


class Session(QObject):
    save_state_changed = Signal(str)  # "saved" | "failed"

    def __init__(self, ctx: AppContext, tasks: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = ChangeBus(self)
        self.tasks = tasks
        self.pending = PendingEdits()
        self.dialog_parent: QWidget | None = None
        self.show_dialogs = True
        self.last_dialog = None

    def call(self, service: Callable[..., Any], *args: Any, initiator: object | None = None, **kwargs: Any) -> Any:
        """Run a writing service; returns its value (or None if it failed for an environmental reason)."""
        try:
            result = service(self.ctx, *args, **kwargs)
        except StorageError as exc:
            self.save_state_changed.emit("failed")
            self.show_dialog(storage_error_dialog(self.dialog_parent, exc))
            return None
        except NotFoundError as exc:
            self.show_dialog(error_dialog(self.dialog_parent, "Not found", str(exc)))
            return None
        changes, value = self._split(result)
        if changes is not None:
            self.save_state_changed.emit("saved")
            self.bus.publish(changes, initiator)
        return value

    def read(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a reading service; environmental errors are shown and give None."""
        try:
            return service(self.ctx, *args, **kwargs)
        except StorageError as exc:
            self.show_dialog(error_dialog(self.dialog_parent, "Couldn't read the data", str(exc)))
            return None
        except NotFoundError:
            return None  # e.g. a room removed by undo while its screen refreshes

    @staticmethod
    def _split(result: Any) -> tuple[Changes | None, Any]:
        if isinstance(result, Changes):
            return result, result
        if isinstance(result, tuple) and result and isinstance(result[-1], Changes):
            return result[-1], result[0] if len(result) == 2 else result[:-1]
        return None, result

    def show_dialog(self, box: Any) -> None:
        self.last_dialog = box
        if self.show_dialogs:
            box.open()
