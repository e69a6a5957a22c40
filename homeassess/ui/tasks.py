"""Background work: plain job functions run on a thread pool; results come back by signal.

Workers never touch widgets. A job takes ``progress`` and ``cancel`` keywords (STYLE §5.8)
and its result or exception is delivered on the UI thread through a queued signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

Job = Callable[..., Any]


@dataclass
class TaskHandle:
    """What the caller keeps: a cancel flag and the latest progress."""

    cancel: threading.Event = field(default_factory=threading.Event)
    fraction: float = 0.0
    message: str = ""


class TaskRunner(QObject):
    """Runs jobs on two worker threads and calls back on the UI thread."""

    _finished = Signal(object, object, object, object)  # on_success, on_error, result, error
    _progressed = Signal(object, object, float, str)  # callback, handle, fraction, message
    task_started = Signal()
    task_finished = Signal()

    def __init__(self, parent: QObject | None = None, workers: int = 2) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="homeassess-task")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self.active = 0

    def submit(self, job: Job, *, on_success: Callable[[Any], None], on_error: Callable[[BaseException], None],
               on_progress: Callable[[float, str], None] | None = None) -> TaskHandle:
        handle = TaskHandle()

        def progress(fraction: float, message: str) -> None:
            handle.fraction, handle.message = fraction, message
            if on_progress is not None:
                self._progressed.emit(on_progress, handle, fraction, message)

        def done(future: Future) -> None:
            error = future.exception()
            self._finished.emit(on_success, on_error, None if error else future.result(), error)

        self.active += 1
        self.task_started.emit()
        self._pool.submit(job, progress=progress, cancel=handle.cancel).add_done_callback(done)
        return handle

    @Slot(object, object, object, object)
    def _deliver(self, on_success: Callable, on_error: Callable, result: Any, error: BaseException | None) -> None:
        self.active -= 1
        try:
            if error is None:
                on_success(result)
            else:
                on_error(error)
        finally:
            self.task_finished.emit()

    @Slot(object, object, float, str)
    def _deliver_progress(self, callback: Callable, _handle: TaskHandle, fraction: float, message: str) -> None:
        callback(fraction, message)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class SynchronousTaskRunner(QObject):
    """Test double: runs the job at once on the calling thread (Picard's FakeThreadPool)."""

    task_started = Signal()
    task_finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active = 0

    def submit(self, job: Job, *, on_success: Callable[[Any], None], on_error: Callable[[BaseException], None],
               on_progress: Callable[[float, str], None] | None = None) -> TaskHandle:
        handle = TaskHandle()
        self.task_started.emit()
        try:
            result = job(progress=on_progress or (lambda *_: None), cancel=handle.cancel)
        except Exception as exc:  # delivered like the real runner does
            on_error(exc)
        else:
            on_success(result)
        self.task_finished.emit()
        return handle

    def shutdown(self) -> None:
        pass
