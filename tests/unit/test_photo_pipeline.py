"""The photo pipeline on real camera files and on images made here: orientation once, colour,
transparency, truncation, size limits, dedup — and no metadata ever left in the stored file."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from homeassess.storage import photos as photos_module
from homeassess.storage.photos import PhotoError, PhotoStore, StoredPhoto
from tests.photo_helpers import all_shared_photos, has_metadata, make_jpeg, shared_photo


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos", tmp_path / "cache")


def stored_image(store: PhotoStore, photo: StoredPhoto) -> Image.Image:
    return Image.open(store.path_for(photo.sha256))


def no_leftovers(store: PhotoStore) -> bool:
    return not any(p.name.startswith(".tmp") for p in store.photos_dir.rglob("*"))


# -- images made here (always run) ---------------------------------------------------------
def test_phone_portrait_is_rotated_once_downscaled_and_stripped(store: PhotoStore, tmp_path: Path) -> None:
    source = make_jpeg(tmp_path / "IMG_0001.jpg", orientation=6, gps=True)
    photo = store.ingest(source)
    assert (photo.width, photo.height) == (1920, 2560)
    assert photo.taken_at == datetime(2026, 3, 10, 10, 15)
    data = store.path_for(photo.sha256).read_bytes()
    assert not has_metadata(data)
    image = stored_image(store, photo)
    # The red corner marker was top-left of the stored pixels; rotated 90° clockwise it is top-right.
    assert image.getpixel((image.width - 20, 20))[0] > 180


def test_transparency_is_flattened_onto_white(store: PhotoStore, tmp_path: Path) -> None:
    Image.new("RGBA", (60, 40), (0, 0, 0, 0)).save(tmp_path / "clear.png")
    photo = store.ingest(tmp_path / "clear.png")
    assert stored_image(store, photo).getpixel((5, 5)) > (245, 245, 245)


def test_small_images_are_not_upscaled(store: PhotoStore, tmp_path: Path) -> None:
    photo = store.ingest(make_jpeg(tmp_path / "tiny.jpg", (10, 10)))
    assert (photo.width, photo.height) == (10, 10)


def test_same_picture_twice_is_stored_once(store: PhotoStore, tmp_path: Path) -> None:
    source = make_jpeg(tmp_path / "a.jpg", (800, 600))
    first, second = store.ingest(source), store.ingest(source)
    assert first.sha256 == second.sha256
    assert len(list(store.photos_dir.rglob("*.jpg"))) == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.jpg", b"this is a text file, not a photo", "not an image"),
    ("empty.jpeg", b"", "not an image"),
])
def test_non_images_are_refused_with_the_file_name(store: PhotoStore, tmp_path: Path, name: str, content: bytes,
                                                   message: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(PhotoError, match=message) as info:
        store.ingest(tmp_path / name)
    assert str(info.value).startswith(name) and info.value.filename == name
    assert no_leftovers(store)


def test_truncated_file_is_refused_and_leaves_nothing(store: PhotoStore, tmp_path: Path) -> None:
    whole = make_jpeg(tmp_path / "whole.jpg", (1600, 1200)).read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PhotoError, match="cut.jpg: the file is cut short"):
        store.ingest(tmp_path / "cut.jpg")
    assert not store.photos_dir.exists() or not list(store.photos_dir.rglob("*.jpg"))


def test_decompression_bombs_are_refused(store: PhotoStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_jpeg(tmp_path / "big.jpg", (2000, 2000))
    monkeypatch.setattr(photos_module, "MAX_PIXELS", 1_000_000)
    with pytest.raises(PhotoError, match="big.jpg: image too large"):
        store.ingest(tmp_path / "big.jpg")


def test_unsupported_formats_are_named(store: PhotoStore, tmp_path: Path) -> None:
    Image.new("RGB", (20, 20)).save(tmp_path / "scan.tiff")
    with pytest.raises(PhotoError, match=r"scan.tiff: unsupported format \(TIFF\)"):
        store.ingest(tmp_path / "scan.tiff")


def test_batch_keeps_good_files_and_reports_bad_ones_in_order(store: PhotoStore, tmp_path: Path) -> None:
    good = make_jpeg(tmp_path / "good.jpg", (640, 480))
    (tmp_path / "bad.jpg").write_text("nope")
    seen: list[float] = []
    results = store.ingest_many([good, tmp_path / "bad.jpg", good], progress=lambda f, _m: seen.append(f))
    assert [type(r) for r in results] == [StoredPhoto, PhotoError, StoredPhoto]
    assert sorted(seen)[-1] == 1.0


def test_thumbnails_and_fitted_copies_are_cached_and_small(store: PhotoStore, tmp_path: Path) -> None:
    photo = store.ingest(make_jpeg(tmp_path / "big.jpg"))
    thumb = store.thumbnail(photo.sha256)
    assert max(Image.open(thumb).size) <= 256 and thumb == store.thumbnail(photo.sha256)
    fitted = store.fitted(photo.sha256, 600)
    assert max(Image.open(fitted).size) == 600 and not has_metadata(fitted.read_bytes())
    assert store.fitted(photo.sha256, 5000) == store.path_for(photo.sha256)


def test_garbage_collection_removes_only_old_unreferenced_files(store: PhotoStore, tmp_path: Path) -> None:
    keep = store.ingest(make_jpeg(tmp_path / "keep.jpg", (300, 200), colour="#112233"))
    drop = store.ingest(make_jpeg(tmp_path / "drop.jpg", (300, 200), colour="#445566"))
    store.thumbnail(drop.sha256)
    assert store.collect_garbage({keep.sha256}, older_than=timedelta(days=1)) == 0
    assert store.collect_garbage({keep.sha256}, older_than=timedelta(seconds=-1)) == 1
    assert store.path_for(keep.sha256).exists() and not store.path_for(drop.sha256).exists()
    assert not list(store.cache_dir.rglob(f"{drop.sha256}*"))


# -- the shared real camera files -------------------------------------------------------------
@pytest.mark.parametrize("source", all_shared_photos(), ids=lambda p: p.name)
def test_no_stored_photo_keeps_exif_gps_or_profiles(store: PhotoStore, source: Path) -> None:
    try:
        photo = store.ingest(source)
    except PhotoError:
        assert source.name == "truncated_reconyx.jpg"
        return
    data = store.path_for(photo.sha256).read_bytes()
    assert not has_metadata(data)
    assert Image.open(store.path_for(photo.sha256)).getexif().get_ifd(0x8825) == {}


@pytest.mark.parametrize("n", range(2, 9))
def test_every_exif_orientation_matches_the_reference(store: PhotoStore, n: int) -> None:
    reference = stored_image(store, store.ingest(shared_photo("orientation_1.jpg"))).convert("RGB")
    image = stored_image(store, store.ingest(shared_photo(f"orientation_{n}.jpg"))).convert("RGB")
    assert image.size == reference.size == (1800, 1200)
    diff = ImageStat.Stat(ImageChops.difference(image, reference)).mean
    assert sum(diff) / 3 < 6


def test_camera_portrait_comes_out_upright(store: PhotoStore) -> None:
    photo = store.ingest(shared_photo("canon_sx60_orient6.jpg"))
    assert (photo.width, photo.height) == (1536, 2048)


def test_iphone_heic_is_not_rotated_twice_and_converted_to_srgb(store: PhotoStore) -> None:
    photo = store.ingest(shared_photo("iphone13promax_kitchen.heic"))
    assert photo.height > photo.width and (photo.width, photo.height) == (1920, 2560)
    assert photo.taken_at is not None


def test_cmyk_red_stays_red(store: PhotoStore) -> None:
    image = stored_image(store, store.ingest(shared_photo("cmyk_adobe.jpg"))).convert("RGB")
    pixels = image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata()
    reddest = max(pixels, key=lambda p: p[0] - p[1] - p[2])
    assert reddest[0] > 200 and reddest[1] < 80 and reddest[2] < 80


def test_alpha_png_background_is_white(store: PhotoStore) -> None:
    assert stored_image(store, store.ingest(shared_photo("rgba_alpha.png"))).convert("RGB").getpixel((0, 0)) > (240,) * 3


def test_grayscale_and_wide_gamut_files_import(store: PhotoStore) -> None:
    assert store.ingest(shared_photo("grayscale_hopper.jpg")).width == 128
    assert store.ingest(shared_photo("icc_eci_rgb_v2.jpg")).width == 538


def test_twelve_megapixel_photo_is_downscaled_to_2560(store: PhotoStore) -> None:
    photo = store.ingest(shared_photo("olympus_ep3_12mp.jpg"))
    assert max(photo.width, photo.height) == 2560


def test_gps_photo_capture_time_is_read_before_stripping(store: PhotoStore) -> None:
    assert store.ingest(shared_photo("nikon_p6000_gps.jpg")).taken_at == datetime(2008, 10, 22, 16, 28, 39)


def test_truncated_camera_file_is_reported_while_others_import(store: PhotoStore) -> None:
    results = store.ingest_many([shared_photo("truncated_reconyx.jpg"), shared_photo("orientation_1.jpg")])
    assert isinstance(results[0], PhotoError) and "truncated_reconyx.jpg" in str(results[0])
    assert isinstance(results[1], StoredPhoto)
    assert no_leftovers(store)
