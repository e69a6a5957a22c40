"""Take a photo with the laptop or tablet camera (QtMultimedia), where the machine has one."""

from __future__ import annotations

import tempfile
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
    def __init__(self, parent: QWidget | None, out_dir: Path) -> None:
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        super().__init__(parent)
        self.setObjectName("cameraDialog")
        self.setWindowTitle("Take a photo")
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir, self.path = out_dir, None
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
        target = tempfile.NamedTemporaryFile(dir=self.out_dir, suffix=".jpg", delete=False).name
        self.capture.captureToFile(target)

    def _saved(self, _id: int, path: str) -> None:
        self.path = Path(path)
        self.camera.stop()
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, out_dir: Path) -> Path | None:
        dialog = cls(parent, out_dir)
        return dialog.path if dialog.exec() == QDialog.DialogCode.Accepted else None
