"""Take a photo with the laptop or tablet camera (QtMultimedia), where the machine has one.

The camera writes into files the photo store hands out (``new_target``); captures not used are
given back (``discard``), and the one used is removed by the import that stores its copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


def camera_available() -> tuple[bool, str]:
    """(True, "") when a camera can be used; otherwise (False, why) for the button's tooltip."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False, "Camera support (QtMultimedia) is not installed"
    if not QMediaDevices.videoInputs():
        return False, "No camera found on this computer — import photos from your phone instead"
    return True, ""


class CameraDialog(QDialog):
    def __init__(self, parent: QWidget | None, new_target: Callable[[], Path]) -> None:
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        super().__init__(parent)
        self.setObjectName("cameraDialog")
        self.setWindowTitle("Take a photo")
        self.new_target, self.path = new_target, None
        self.targets: list[Path] = []
        self.camera = QCamera(QMediaDevices.defaultVideoInput())
        self.capture = QImageCapture()
        self.session = QMediaCaptureSession()
        self.session.setCamera(self.camera)
        self.session.setImageCapture(self.capture)
        video = QVideoWidget()
        video.setMinimumSize(640, 480)
        self.session.setVideoOutput(video)
        self.status = QLabel("Point the camera and press Take photo.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        take = buttons.addButton("Take photo", QDialogButtonBox.ButtonRole.AcceptRole)
        take.clicked.disconnect()
        take.clicked.connect(self._take)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(video, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.capture.imageSaved.connect(self._saved)
        self.capture.errorOccurred.connect(lambda _id, _err, text: self.status.setText(f"Camera error: {text}"))
        self.camera.start()

    def _take(self) -> None:
        self.targets.append(self.new_target())
        self.capture.captureToFile(str(self.targets[-1]))

    def _saved(self, _id: int, path: str) -> None:
        self.path = Path(path)
        self.camera.stop()
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, new_target: Callable[[], Path],
            discard: Callable[[list[Path]], None]) -> Path | None:
        """The captured picture's file, or None; every other file the dialog asked for is discarded."""
        dialog = cls(parent, new_target)
        path = dialog.path if dialog.exec() == QDialog.DialogCode.Accepted else None
        discard([t for t in dialog.targets if path is None or t.resolve() != path.resolve()])
        return path
