"""Helpers for photo tests: where the shared real photos are, and images made on the fly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

SHARED_PHOTOS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "photos"


def shared_photo(name: str) -> Path:
    path = SHARED_PHOTOS / name
    if not path.exists():
        pytest.skip(f"shared test photo {name} not available (expects ../shared/testdata/photos beside the repo)")
    return path


def all_shared_photos() -> list[Path]:
    if not SHARED_PHOTOS.is_dir():
        return []
    return sorted(p for p in SHARED_PHOTOS.iterdir() if p.suffix.lower() != ".md")


def make_jpeg(path: Path, size: tuple[int, int] = (4000, 3000), *, orientation: int | None = None,
              gps: bool = False, taken: str | None = "2026:03:10 10:15:00", colour: str = "#4f7cac",
              **save: object) -> Path:
    """A textured JPEG with optional EXIF orientation, GPS and capture time."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], max(1, size[0] // 40)):
        draw.line([(x, 0), (x, size[1])], fill="#f2c14e", width=3)
    draw.rectangle([0, 0, size[0] // 4, size[1] // 4], fill="#d1495b")  # marks the top-left corner
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 45.0, 0.0), 3: "W", 4: (1.0, 15.0, 0.0)})
    image.save(path, "JPEG", quality=90, exif=exif.tobytes(), **save)
    return path


def has_metadata(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    return bool(image.getexif()) or b"Exif\x00\x00" in data or "icc_profile" in image.info


def pixels(image: Image.Image) -> list:
    """All pixels (Pillow 14 renames getdata)."""
    return list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
