"""The photo store: orientation applied once, colour, transparency, truncation, size limits,
dedup, atomic writes, derivatives and sweeping, and no metadata ever left in a stored file.

The first part makes its own images in tmp_path and always runs. The second part runs over the
real camera files in ../shared/testdata/photos (see the README there) and is skipped, with the
reason, when that folder is not beside the checkout; they are never copied into this repo.
"""

from __future__ import annotations

import ast
import io
import os
import pickle
import struct
import subprocess
import sys
import threading
import time
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

from homeassess.domain.errors import HomeAssessError, StorageError
from homeassess.storage import photos as photos_module
from tests.photo_helpers import make_jpeg
from homeassess.storage.photos import PhotoError, PhotoStore, StoredPhoto

SHARED_PHOTOS = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "photos"
PHOTOS_MODULE = Path(photos_module.__file__)

# JPEG markers a metadata-free file may contain before its scan: SOI, JFIF APP0, quantisation and
# Huffman tables, frame headers, restart interval. APP1 (EXIF, XMP), APP2 (ICC), APP13
# (Photoshop/IPTC), APP14 (Adobe) and COM (comments) must all be gone.
ALLOWED_MARKERS = {0xD8, 0xE0, 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDD, 0xDA}


# -- helpers -----------------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos", tmp_path / "cache")


def png_header(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width x height: a decompression bomb in a few bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
    return path


def jpeg_markers(data: bytes) -> set[int]:
    """The marker types of every segment before the first scan."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    found, offset = {0xD8}, 2
    while offset < len(data):
        assert data[offset] == 0xFF, f"bad segment at {offset}"
        marker = data[offset + 1]
        found.add(marker)
        if marker == 0xDA:
            return found
        offset += 2 + struct.unpack(">H", data[offset + 2:offset + 4])[0]
    return found


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    image = Image.open(path)
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(0x8825) == {}
    assert b"Exif\x00\x00" not in data
    assert "icc_profile" not in image.info and "comment" not in image.info and "xmp" not in image.info
    assert jpeg_markers(data) <= ALLOWED_MARKERS, f"metadata segments: {jpeg_markers(data) - ALLOWED_MARKERS}"


def stored(store: PhotoStore, photo: StoredPhoto) -> Image.Image:
    image = Image.open(store.path_for(photo.sha256))
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (photo.width, photo.height)
    return image


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def mean_diff(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def block_average(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Average over blocks, so JPEG and chroma-subsampling noise does not hide a colour shift."""
    return image.convert("RGB").resize(size, Image.Resampling.BOX)


def to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    return ImageCms.profileToProfile(image.convert("RGB"), ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                     ImageCms.createProfile("sRGB"), outputMode="RGB")


# -- images made here (always run) --------------------------------------------------------------
def test_phone_portrait_is_rotated_once_downscaled_dated_and_stripped(store: PhotoStore, tmp_path: Path) -> None:
    source = make_jpeg(tmp_path / "IMG_0001.jpg", orientation=6, gps=True)
    photo = store.ingest(source)
    assert (photo.width, photo.height) == (1920, 2560)  # 4000x3000 turned upright, long edge 2560
    assert photo.taken_at == datetime(2026, 3, 10, 10, 15)
    assert photo.original_filename == "IMG_0001.jpg"
    assert photo.size_bytes == store.path_for(photo.sha256).stat().st_size
    assert_no_metadata(store.path_for(photo.sha256))
    image = stored(store, photo)
    # The red block was top-left of the stored pixels; turned 90° clockwise it is top-right.
    red_corner, other_corner = image.getpixel((image.width - 20, 20)), image.getpixel((20, 20))
    assert red_corner[0] > 180 and red_corner[1] < 110
    assert other_corner[0] < 150


def test_jpeg_is_decoded_at_reduced_size_with_the_aspect_fitted_box(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL.JpegImagePlugin import JpegImageFile

    requests: list[tuple[tuple[int, int], tuple[int, int]]] = []
    real_draft = JpegImageFile.draft

    def spy(self: JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> object:
        result = real_draft(self, mode, size)
        requests.append((size, self.size))
        return result

    monkeypatch.setattr(JpegImageFile, "draft", spy)
    store = PhotoStore(tmp_path / "photos", tmp_path / "cache", max_edge=1600)
    photo = store.ingest(make_jpeg(tmp_path / "a.jpg", (4000, 3000)))
    # (1600, 1600) would leave the decoder at full size; the fitted box lets it decode at 1/2.
    assert requests == [((1600, 1200), (2000, 1500))]
    assert (photo.width, photo.height) == (1600, 1200)


def test_capture_time_falls_back_to_datetime_and_tolerates_junk(store: PhotoStore, tmp_path: Path) -> None:
    image = Image.new("RGB", (64, 48), "teal")
    exif = Image.Exif()
    exif[0x0132] = "2025:12:24 18:30:05"
    image.save(tmp_path / "only_datetime.jpg", exif=exif.tobytes())
    assert store.ingest(tmp_path / "only_datetime.jpg").taken_at == datetime(2025, 12, 24, 18, 30, 5)
    exif[0x0132] = "0000:00:00 00:00:00"
    image.save(tmp_path / "zero_date.jpg", exif=exif.tobytes())
    assert store.ingest(tmp_path / "zero_date.jpg").taken_at is None
    assert store.ingest(make_jpeg(tmp_path / "no_date.jpg", (64, 48), taken=None)).taken_at is None


def test_comments_xmp_and_profiles_never_reach_the_stored_file(store: PhotoStore, tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    source = make_jpeg(tmp_path / "annotated.jpg", (900, 600), gps=True, comment=b"12 Acacia Avenue, Mrs Smith",
                       icc_profile=srgb, xmp=xmp)
    assert {"comment", "icc_profile", "xmp"} <= set(Image.open(source).info)
    photo = store.ingest(source)
    assert_no_metadata(store.path_for(photo.sha256))
    assert b"Acacia" not in store.path_for(photo.sha256).read_bytes()


def test_transparency_is_flattened_onto_white(store: PhotoStore, tmp_path: Path) -> None:
    image = Image.new("RGBA", (60, 40), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 20, 20))
    image.save(tmp_path / "logo.png")
    result = stored(store, store.ingest(tmp_path / "logo.png"))
    assert min(result.getpixel((50, 30))) > 245  # was transparent black: now white
    red = result.getpixel((5, 5))
    assert red[0] > 180 and red[1] < 70  # the opaque part keeps its colour


@pytest.mark.parametrize("mode", ["LA", "P", "L", "I;16", "1"])
def test_other_modes_come_out_rgb(store: PhotoStore, tmp_path: Path, mode: str) -> None:
    image = Image.new(mode, (30, 20))
    if mode == "P":
        image.putpalette([0, 0, 0, 255, 0, 0])
        image.info["transparency"] = 0
    if mode == "I;16":
        image = Image.new(mode, (30, 20), 40000)  # 16-bit grey: must scale to ~156, not clip to 255
    image.save(tmp_path / "odd.png")
    pixel = stored(store, store.ingest(tmp_path / "odd.png")).getpixel((10, 10))
    expected = {"LA": 255, "P": 255, "L": 0, "I;16": 156, "1": 0}[mode]
    assert all(abs(c - expected) <= 3 for c in pixel), pixel


def test_cmyk_red_stays_red(store: PhotoStore, tmp_path: Path) -> None:
    image = Image.new("CMYK", (64, 64), (0, 0, 0, 230))  # near-black background
    image.paste((0, 255, 255, 0), (16, 16, 48, 48))  # pure red in CMYK
    image.save(tmp_path / "print.jpg", quality=95)
    result = stored(store, store.ingest(tmp_path / "print.jpg"))
    red, background = result.getpixel((32, 32)), result.getpixel((2, 2))
    assert red[0] > 220 and red[1] < 40 and red[2] < 40, red  # not cyan, not inverted
    assert max(background) < 60, background


def test_small_images_are_never_upscaled(store: PhotoStore, tmp_path: Path) -> None:
    photo = store.ingest(make_jpeg(tmp_path / "tiny.jpg", (10, 10)))
    assert (photo.width, photo.height) == (10, 10)
    assert Image.open(store.thumbnail(photo.sha256)).size == (10, 10)
    assert store.fitted(photo.sha256, 600) == store.path_for(photo.sha256)


def test_the_real_format_counts_not_the_extension(store: PhotoStore, tmp_path: Path) -> None:
    make_jpeg(tmp_path / "really_a_jpeg.png", (300, 200))
    assert store.ingest(tmp_path / "really_a_jpeg.png").width == 300


def test_same_picture_twice_is_stored_once(store: PhotoStore, tmp_path: Path) -> None:
    source = make_jpeg(tmp_path / "a.jpg", (800, 600))
    first = store.ingest(source)
    path = store.path_for(first.sha256)
    os.utime(path, (1_000_000, 1_000_000))
    second = store.ingest(tmp_path / "a.jpg")
    assert first == second
    assert files_under(store.photos_dir) == [path]
    assert path.stat().st_mtime > 1_000_000  # touched, so a sweep gives it a new grace period


@pytest.mark.parametrize(("name", "content"), [("notes.jpg", b"this is a text file, not a photo"),
                                               ("empty.jpeg", b"")])
def test_non_images_are_refused_with_the_file_name(store: PhotoStore, tmp_path: Path, name: str,
                                                   content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(PhotoError) as info:
        store.ingest(tmp_path / name)
    assert str(info.value).startswith(f"{name}: not an image")
    assert info.value.filename == name and isinstance(info.value, HomeAssessError)
    assert files_under(store.photos_dir) == []


def test_missing_file_is_named(store: PhotoStore, tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match=r"^gone\.jpg: the file does not exist"):
        store.ingest(tmp_path / "gone.jpg")


def test_truncated_file_is_refused_and_leaves_nothing(store: PhotoStore, tmp_path: Path) -> None:
    whole = make_jpeg(tmp_path / "whole.jpg", (1600, 1200)).read_bytes()
    (tmp_path / "kitchen.jpg").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PhotoError, match=r"^kitchen\.jpg: the file is cut short \(truncated\) — copy it again"):
        store.ingest(tmp_path / "kitchen.jpg")
    assert files_under(store.photos_dir) == []


def test_decompression_bomb_header_is_refused(store: PhotoStore, tmp_path: Path) -> None:
    # 400 MP: Pillow itself raises DecompressionBombError while opening
    with pytest.raises(PhotoError, match=r"^huge\.png: image too large \(400 megapixels"):
        store.ingest(png_header(tmp_path / "huge.png", 20_000, 20_000))
    # 130 MP: only a DecompressionBombWarning from Pillow; our own limit refuses it
    with pytest.raises(PhotoError, match=r"^wide\.png: image too large \(130 megapixels"):
        store.ingest(png_header(tmp_path / "wide.png", 13_000, 10_000))
    assert files_under(store.photos_dir) == []


def test_size_limit_is_ours_to_set(store: PhotoStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_jpeg(tmp_path / "big.jpg", (2000, 2000))
    monkeypatch.setattr(photos_module, "MAX_PIXELS", 1_000_000)
    with pytest.raises(PhotoError, match=r"^big\.jpg: image too large \(4 megapixels\); the limit is 1 megapixels$"):
        store.ingest(tmp_path / "big.jpg")


def test_unsupported_formats_are_named(store: PhotoStore, tmp_path: Path) -> None:
    Image.new("RGB", (20, 20)).save(tmp_path / "x.tiff")
    with pytest.raises(PhotoError) as info:
        store.ingest(tmp_path / "x.tiff")
    assert str(info.value) == "x.tiff: unsupported format (TIFF); use JPEG, PNG, WebP or HEIC"


def test_webp_is_accepted(store: PhotoStore, tmp_path: Path) -> None:
    Image.new("RGBA", (40, 30), (0, 128, 0, 255)).save(tmp_path / "leaf.webp", lossless=True)
    assert store.ingest(tmp_path / "leaf.webp").width == 40


def test_a_failed_write_leaves_no_temporary_file(store: PhotoStore, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_jpeg(tmp_path / "a.jpg", (300, 200))

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(photos_module.os, "replace", disk_full)
    with pytest.raises(StorageError, match="No space left on device"):
        store.ingest(source)
    assert files_under(store.photos_dir) == []


def test_photo_errors_survive_a_trip_to_a_worker_process() -> None:
    error = pickle.loads(pickle.dumps(PhotoError("a.jpg", "not an image")))
    assert (error.filename, str(error)) == ("a.jpg", "a.jpg: not an image")


def test_batch_keeps_good_files_and_reports_bad_ones_in_order(store: PhotoStore, tmp_path: Path) -> None:
    good = make_jpeg(tmp_path / "good.jpg", (640, 480))
    other = make_jpeg(tmp_path / "other.jpg", (480, 640), colour="#225522")
    (tmp_path / "bad.jpg").write_text("nope")
    seen: list[tuple[float, str]] = []
    results = store.ingest_many([good, tmp_path / "bad.jpg", other], progress=lambda f, n: seen.append((f, n)))
    assert [type(r) for r in results] == [StoredPhoto, PhotoError, StoredPhoto]
    assert results[0].original_filename == "good.jpg" and results[2].original_filename == "other.jpg"
    assert str(results[1]).startswith("bad.jpg: not an image")
    assert sorted(f for f, _ in seen) == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert {n for _, n in seen} == {"good.jpg", "bad.jpg", "other.jpg"}
    assert store.thumbnail_path(results[0].sha256).exists()  # made in the worker
    assert photos_module._pool_running(2)  # three files: the spawned worker processes did the work


def test_cancelled_batch_returns_what_finished(store: PhotoStore, tmp_path: Path) -> None:
    sources = [make_jpeg(tmp_path / f"p{n}.jpg", (400, 300), colour=f"#{n:02x}4060") for n in range(8)]
    cancel = threading.Event()
    results = store.ingest_many(sources, workers=1, progress=lambda _f, _n: cancel.set(), cancel=cancel)
    assert len(results) == 8 and isinstance(results[0], StoredPhoto)
    cancelled = [r for r in results if isinstance(r, PhotoError)]
    assert cancelled and all(str(r).endswith("import cancelled") for r in cancelled)


def test_thumbnails_and_fitted_copies_are_cached_small_and_clean(store: PhotoStore, tmp_path: Path) -> None:
    photo = store.ingest(make_jpeg(tmp_path / "big.jpg", orientation=6))
    thumb = store.thumbnail(photo.sha256)
    assert Image.open(thumb).size == (192, 256) and thumb == store.thumbnail_path(photo.sha256)
    made = thumb.stat().st_mtime_ns
    assert store.thumbnail(photo.sha256) == thumb and thumb.stat().st_mtime_ns == made  # cached
    thumb.unlink()
    assert store.thumbnail(photo.sha256).exists()  # made again when the cache was cleared
    fitted = store.fitted(photo.sha256, 600)
    assert Image.open(fitted).size == (450, 600) and fitted.is_relative_to(store.cache_dir)
    assert_no_metadata(fitted)
    assert store.fitted(photo.sha256, 600) == fitted
    assert store.fitted(photo.sha256, 5000) == store.path_for(photo.sha256)  # never larger than stored
    assert not [p for p in files_under(store.cache_dir) if p.name.startswith(".tmp")]


def test_names_are_checked(store: PhotoStore) -> None:
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
    with pytest.raises(PhotoError, match="missing"):
        store.thumbnail("0" * 64)


def test_garbage_collection_removes_only_old_unreferenced_files(store: PhotoStore, tmp_path: Path) -> None:
    keep = store.ingest(make_jpeg(tmp_path / "keep.jpg", (300, 200), colour="#112233"))
    drop = store.ingest(make_jpeg(tmp_path / "drop.jpg", (300, 200), colour="#445566"))
    young = store.ingest(make_jpeg(tmp_path / "young.jpg", (300, 200), colour="#778899"))
    store.thumbnail(drop.sha256)
    store.fitted(drop.sha256, 100)
    crash_leftover = store.photos_dir / "ab" / ".tmp-crashed.part"
    crash_leftover.parent.mkdir(parents=True, exist_ok=True)
    crash_leftover.write_bytes(b"half a photo")
    old = time.time() - 3 * 86400
    for path in (store.path_for(keep.sha256), store.path_for(drop.sha256), crash_leftover):
        os.utime(path, (old, old))

    assert store.collect_garbage({keep.sha256}, older_than=timedelta(days=7)).photos == 0
    swept = store.collect_garbage({keep.sha256}, older_than=timedelta(days=1))
    assert (swept.photos, swept.temporaries, swept.derivatives) == (1, 1, 2)   # + drop's thumbnail and fitted copy
    assert store.path_for(keep.sha256).exists() and store.path_for(young.sha256).exists()
    assert not store.path_for(drop.sha256).exists() and not crash_leftover.exists()
    assert not list(store.cache_dir.rglob(f"{drop.sha256}*"))


def test_storage_layer_imports_no_qt_database_or_upper_layers() -> None:
    names: set[str] = set()
    for node in ast.walk(ast.parse(PHOTOS_MODULE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    forbidden = ("PySide6", "shiboken6", "sqlalchemy", "homeassess.services", "homeassess.ui", "homeassess.db")
    assert not [n for n in names if n.startswith(forbidden)]


def test_heic_support_is_registered_on_first_use_not_at_import() -> None:
    code = "import sys, homeassess.storage.photos; print('pillow_heif' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "False"


# -- the shared real camera files -------------------------------------------------------------
def real_photo(name: str) -> Path:
    if not SHARED_PHOTOS.is_dir():
        pytest.skip(f"real test photos not found at {SHARED_PHOTOS} (the shared folder beside the checkout)")
    path = SHARED_PHOTOS / name
    if not path.exists():
        pytest.skip(f"real test photo {name} missing from {SHARED_PHOTOS}")
    return path


REAL_NAMES = sorted(p.name for p in SHARED_PHOTOS.iterdir() if p.suffix != ".md") if SHARED_PHOTOS.is_dir() else []
GOOD_REAL_NAMES = [n for n in REAL_NAMES if n != "truncated_reconyx.jpg"]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[PhotoStore, dict[str, StoredPhoto]]:
    """Every good real photo imported once (the whole set takes about 1.5 s)."""
    if not SHARED_PHOTOS.is_dir():
        pytest.skip(f"real test photos not found at {SHARED_PHOTOS} (the shared folder beside the checkout)")
    root = tmp_path_factory.mktemp("real")
    store = PhotoStore(root / "photos", root / "cache")
    return store, {name: store.ingest(SHARED_PHOTOS / name) for name in GOOD_REAL_NAMES}


@pytest.mark.skipif(not REAL_NAMES, reason=f"real test photos not found at {SHARED_PHOTOS}")
@pytest.mark.parametrize("name", GOOD_REAL_NAMES)
def test_no_real_photo_keeps_exif_gps_or_profiles(real: tuple[PhotoStore, dict[str, StoredPhoto]],
                                                  name: str) -> None:
    store, done = real
    path = store.path_for(done[name].sha256)
    assert_no_metadata(path)
    assert max(done[name].width, done[name].height) <= 2560
    assert_no_metadata(store.thumbnail(done[name].sha256))


@pytest.mark.parametrize("n", range(2, 9))
def test_every_exif_orientation_matches_the_reference(real: tuple[PhotoStore, dict[str, StoredPhoto]],
                                                      n: int) -> None:
    store, done = real
    reference = stored(store, done["orientation_1.jpg"])
    image = stored(store, done[f"orientation_{n}.jpg"])
    assert image.size == reference.size == (1800, 1200)
    assert mean_diff(image, reference) < 6  # README: 1-4/255 before our re-encode; rotated wrongly is ~40


def test_camera_portrait_comes_out_upright_with_its_original_capture_time(
        real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    photo = real[1]["canon_sx60_orient6.jpg"]
    assert (photo.width, photo.height) == (1536, 2048)
    # DateTimeOriginal (0x9003), not the later DateTime (0x0132, 2015-02-26) the file also has
    assert photo.taken_at == datetime(2015, 2, 9, 22, 47, 44)


def test_iphone_heic_is_not_rotated_twice_and_is_converted_to_srgb(
        real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    store, done = real
    photo = done["iphone13promax_kitchen.heic"]
    assert (photo.width, photo.height) == (1920, 2560)  # 3024x4032 scaled; landscape = rotated twice
    assert photo.taken_at == datetime(2022, 2, 16, 12, 55, 41)
    original = Image.open(real_photo("iphone13promax_kitchen.heic"))
    assert original.info.get("original_orientation") == 6  # the trap is really there
    small = (240, 320)
    reference = to_srgb(block_average(original, small), original.info["icc_profile"])
    result = block_average(stored(store, photo), small)
    assert mean_diff(result, reference) < 1.5 < mean_diff(result, block_average(original, small))


def test_wide_gamut_jpeg_is_converted_to_srgb(real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    store, done = real
    original = Image.open(real_photo("icc_eci_rgb_v2.jpg"))
    small = (67, 55)
    reference = to_srgb(block_average(original, small), original.info["icc_profile"])
    result = block_average(stored(store, done["icc_eci_rgb_v2.jpg"]), small)
    assert mean_diff(result, reference) < 2 < 5 < mean_diff(result, block_average(original, small))
    assert done["icc_eci_rgb_v2.jpg"].taken_at == datetime(2023, 11, 2, 13, 37, 41)  # DateTime fallback


def test_real_cmyk_red_is_red(real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    image = stored(real[0], real[1]["cmyk_adobe.jpg"])
    counts = sorted(image.getcolors(100 * 100), reverse=True)
    background = counts[0][1]
    reddest = max((c for _, c in counts), key=lambda p: p[0] - p[1] - p[2])
    assert max(background) < 30, background  # about (1,4,5); inverted would be near white
    assert reddest[0] > 230 and reddest[1] < 50 and reddest[2] < 50, reddest  # about (255,14,23)


def test_real_alpha_png_background_is_white(real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    image = stored(real[0], real[1]["rgba_alpha.png"])
    assert min(image.getpixel((0, 0))) >= 250  # (0,0,0,0) in the file
    blue = image.getpixel((35, 25))  # opaque (28,28,209) in the file
    assert blue[2] > 180 and blue[0] < 70


def test_real_grayscale_works_everywhere(real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    store, done = real
    photo = done["grayscale_hopper.jpg"]
    image = stored(store, photo)
    assert image.size == (128, 128)
    r, g, b = image.getpixel((64, 64))
    assert abs(r - g) <= 3 and abs(g - b) <= 3
    assert Image.open(store.thumbnail(photo.sha256)).mode == "RGB"
    assert store.fitted(photo.sha256, 64).exists()


def test_real_tiny_photo_is_not_enlarged(real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    store, done = real
    photo = done["fujifilm_e500_tiny.jpg"]
    assert (photo.width, photo.height) == (59, 100)
    assert Image.open(store.thumbnail(photo.sha256)).size == (59, 100)
    assert store.fitted(photo.sha256, 1600) == store.path_for(photo.sha256)


def test_twelve_megapixel_photo_is_downscaled_to_2560(real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    photo = real[1]["olympus_ep3_12mp.jpg"]
    assert (photo.width, photo.height) == (2560, 1920)
    assert photo.taken_at == datetime(2014, 8, 23, 13, 5, 43)  # its maker note once crashed exif-py


def test_gps_photos_keep_their_capture_time(real: tuple[PhotoStore, dict[str, StoredPhoto]]) -> None:
    assert real[1]["nikon_p6000_gps.jpg"].taken_at == datetime(2008, 10, 22, 16, 28, 39)
    assert real[1]["iphone6_gps.jpg"].taken_at == datetime(2015, 4, 10, 20, 12, 23)


def test_real_truncated_file_is_named_and_leaves_nothing(store: PhotoStore) -> None:
    with pytest.raises(PhotoError, match=r"^truncated_reconyx\.jpg: the file is cut short") as info:
        store.ingest(real_photo("truncated_reconyx.jpg"))
    assert info.value.filename == "truncated_reconyx.jpg"
    assert files_under(store.photos_dir) == []


def test_cut_short_heic_is_refused_not_filled_with_grey(store: PhotoStore, tmp_path: Path) -> None:
    data = real_photo("iphone13promax_kitchen.heic").read_bytes()
    (tmp_path / "kitchen.heic").write_bytes(data[: len(data) // 2])
    with pytest.raises(PhotoError, match=r"^kitchen\.heic: the file is cut short"):
        store.ingest(tmp_path / "kitchen.heic")


def test_batch_with_a_truncated_file_imports_the_good_ones(store: PhotoStore) -> None:
    names = ["orientation_6.jpg", "truncated_reconyx.jpg", "nikon_p6000_gps.jpg"]
    results = store.ingest_many([real_photo(n) for n in names])
    assert isinstance(results[0], StoredPhoto) and (results[0].width, results[0].height) == (1800, 1200)
    assert isinstance(results[1], PhotoError) and results[1].filename == "truncated_reconyx.jpg"
    assert "cut short" in str(results[1])
    assert isinstance(results[2], StoredPhoto) and results[2].original_filename == "nikon_p6000_gps.jpg"
    kept = sorted(p.name for p in files_under(store.photos_dir))
    assert kept == sorted(f"{r.sha256}.jpg" for r in (results[0], results[2]))  # nothing else, no temp files
