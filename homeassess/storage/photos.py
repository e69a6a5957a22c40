"""Photo store: import camera files as small, metadata-free JPEGs named by their SHA-256.

``PhotoStore.ingest`` decodes a photo (at reduced size where JPEG allows it), applies its EXIF
orientation exactly once, converts it to sRGB, downscales it and re-encodes it with no metadata
at all, which strips the GPS position of a client's home. The capture time is read before
stripping. Files land in ``photos/<h[:2]>/<h>.jpg`` through a temporary file and ``os.replace``,
so a crash never leaves a half-written photo, and the same picture imported twice is stored once.

This module is pure file work: no database, no Qt. ``ingest`` is safe to call from any thread;
the caller writes the database row afterwards (STYLE §5.9).

Threads or processes for ``ingest_many`` (measured, bench/photo_import.py section "workers")
    12 imports of the 12.2 MP test photo (olympus_ep3_12mp.jpg, 4032x3024 -> 2560x1920) per
    run, 3 interleaved rounds, 5 separate runs on this idle 2-vCPU VM, while the calling thread
    wakes every 2 ms the way the Qt event loop would:

        workers              photos/s     speed-up     calling thread's longest wait
        1 thread             3.62-3.65    1.00         29-35 ms
        2 threads            5.90-6.44    1.63-1.77x   55-60 ms
        2 spawn processes    6.38-6.54    1.76-1.80x    6-10 ms

    Threads clear the 1.5x bar: Pillow releases the GIL for most of the decode and all of the
    LANCZOS resize. But it keeps the GIL for stretches of up to ~30 ms (parts of the JPEG decode,
    and the whole optimize=True encode), and with two threads these stack up: the UI thread
    waited up to ~60 ms, more than the 50 ms the app allows for a stall, while processes cost
    the same throughput and leave it under 10 ms. So batches run in a process pool with the
    ``spawn`` start method (``fork`` is unsafe in a Qt application). The pool is started once
    and kept (``warm_up`` runs in the background after the app starts) because starting it costs
    0.1-0.5 s; one or two files with no pool running (the command line) use threads instead.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import multiprocessing
import os
import re
import struct
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import (FIRST_COMPLETED, BrokenExecutor, Executor, Future, ProcessPoolExecutor,
                                ThreadPoolExecutor, wait)
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from homeassess.domain.errors import HomeAssessError, StorageError
from homeassess.storage.durable import fsync_path
from homeassess.storage.private import make_private_dir

# Pillow's format names, checked after opening (the file's content, not its extension). MPO is
# how Pillow opens JPEGs that carry a second picture (many Fujifilm and some phone cameras).
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "HEIF"})
SUPPORTED_TEXT = "use JPEG, PNG, WebP or HEIC"

# The largest image we accept. 120 MP is above any phone or camera a therapist would carry (the
# largest phone sensors give 48-50 MP files); anything bigger is a panorama stitch or a
# decompression bomb whose decoded pixels (3 bytes each) would take hundreds of megabytes.
MAX_PIXELS = 120_000_000

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME = 0x0132
_THUMBS, _FITTED, _ANNOTATED, _CAPTURES = "thumbs", "fitted", "annotated", "camera"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TMP_PREFIX = ".tmp-"

_heif_lock = threading.Lock()
_heif_registered = False
# warnings.catch_warnings swaps a process-wide filter list; two threads doing it at once can
# leave the wrong filters behind, so every use here holds this lock (only around Image.open,
# which reads headers and is quick).
_warnings_lock = threading.Lock()
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoError(HomeAssessError):
    """A file that cannot be imported; the message names the file and says what is wrong."""

    def __init__(self, filename: str, problem: str) -> None:
        self.filename, self.problem = filename, problem
        super().__init__(f"{filename}: {problem}")

    def __reduce__(self) -> tuple[type[PhotoError], tuple[str, str]]:
        # Default pickling would call PhotoError(message); results cross process boundaries.
        return (PhotoError, (self.filename, self.problem))


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    sha256: str
    width: int
    height: int
    taken_at: datetime | None
    original_filename: str
    size_bytes: int


# -- opening ---------------------------------------------------------------------------------
def register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF, once per process, on first use (not at import time:
    importing the storage layer must stay cheap and free of global side effects)."""
    global _heif_registered
    if _heif_registered:
        return
    with _heif_lock:
        if not _heif_registered:
            from pillow_heif import register_heif_opener

            register_heif_opener()
            _heif_registered = True


def _open(source: Path) -> Image.Image:
    """Open (headers only) and check the real format and size; raises PhotoError."""
    name = source.name
    register_heif()
    try:
        with _warnings_lock, warnings.catch_warnings():
            # Pillow warns above its own limit (89 MP); ours is MAX_PIXELS, checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source)
    except Image.DecompressionBombError as exc:
        raise _too_large(name, _pixels_in(str(exc))) from exc
    except UnidentifiedImageError:
        raise PhotoError(name, "not an image, or a format HomeAssess cannot read") from None
    except FileNotFoundError:
        raise PhotoError(name, "the file does not exist (was it moved or deleted?)") from None
    except PermissionError:
        raise PhotoError(name, "HomeAssess is not allowed to read this file") from None
    except IsADirectoryError:
        raise PhotoError(name, "this is a folder, not an image") from None
    except OSError as exc:
        raise PhotoError(name, f"cannot be read ({exc.strerror or exc})") from exc
    except (ValueError, SyntaxError, EOFError, RuntimeError, struct.error) as exc:
        # e.g. a PNG text chunk that inflates past Pillow's limit, or a malformed HEIF box
        raise PhotoError(name, f"the image data is damaged ({exc})") from exc
    try:
        _check(image, source)
    except PhotoError:
        image.close()
        raise
    return image


def _check(image: Image.Image, source: Path) -> None:
    name = source.name
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError(name, f"unsupported format ({image.format}); {SUPPORTED_TEXT}")
    if image.width * image.height > MAX_PIXELS:
        raise _too_large(name, image.width * image.height)
    if image.format == "HEIF" and _heif_cut_short(source):
        # libheif decodes a cut-short HEIC without complaint and fills the missing tiles with
        # grey, so check that the container's boxes are all there before decoding.
        raise _truncated(name)


def _too_large(name: str, pixels: int | None) -> PhotoError:
    size = f"{pixels / 1e6:.0f} megapixels" if pixels else "too many pixels"
    return PhotoError(name, f"image too large ({size}); the limit is {MAX_PIXELS / 1e6:.0f} megapixels")


def _truncated(name: str) -> PhotoError:
    return PhotoError(name, "the file is cut short (truncated) — copy it again from the camera or phone")


def _pixels_in(message: str) -> int | None:
    found = re.search(r"\((\d+) pixels\)", message)
    return int(found.group(1)) if found else None


def _heif_cut_short(source: Path) -> bool:
    """True if the top-level ISO-BMFF boxes (ftyp, meta, mdat...) run past the end of the file."""
    with open(source, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        offset = 0
        while offset + 8 <= end:
            fh.seek(offset)
            size, _kind = struct.unpack(">I4s", fh.read(8))
            if size == 1:  # 64-bit size follows
                size = struct.unpack(">Q", fh.read(8))[0]
            elif size == 0:  # the last box runs to the end of the file
                return False
            if size < 8:
                return True  # a corrupt box header; libheif would misread what follows
            offset += size
        return offset > end  # trailing padding after the last box is harmless


# -- metadata ----------------------------------------------------------------------------------
def capture_time(image: Image.Image) -> datetime | None:
    """When the photo was taken: EXIF DateTimeOriginal, else DateTime (camera local time).

    Read before the metadata is stripped. Broken maker notes and odd values are common in real
    camera files, so any problem here means "unknown", never a failed import.
    """
    try:
        exif = image.getexif()
        raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    except Exception:  # noqa: BLE001 - metadata must not stop an import (see docstring)
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "replace")
    if not isinstance(raw, str):
        return None
    try:
        return datetime.strptime(raw.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:  # "0000:00:00 00:00:00", blanks, other layouts
        return None


# -- pixels ------------------------------------------------------------------------------------
def fitted_box(size: tuple[int, int], max_edge: int) -> tuple[int, int]:
    """Same aspect ratio, long edge at most ``max_edge``; never larger than ``size``."""
    w, h = size
    scale = min(1.0, max_edge / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _decode(image: Image.Image, max_edge: int) -> None:
    """Decode the pixels, at reduced size for JPEG.

    ``draft`` gets the decoder to scale by 1/2, 1/4 or 1/8 while decoding, but only if the whole
    target box fits: it must be the aspect-fitted box (2560x1920), not a square (2560x2560), or
    the 1/2 step is never taken (shared/perf/photo_limits.md, finding 1). ``load`` is called
    explicitly so a truncated file fails here (LOAD_TRUNCATED_IMAGES stays off: a half-grey
    photo in a clinical report is worse than asking for the file again).
    """
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", fitted_box(image.size, max_edge))
    image.load()


def _orient(image: Image.Image) -> None:
    """Apply the EXIF orientation once, in place, and drop the tag.

    For HEIC, libheif has already applied the container's rotation and pillow-heif reports
    orientation 1 (the camera's 6 is kept only in info['original_orientation']); so this is a
    no-op there, which is what stops the classic "rotated twice" bug. In place avoids a 36 MB
    copy of an upright 12 MP photo.
    """
    ImageOps.exif_transpose(image, in_place=True)


def _flatten(image: Image.Image) -> Image.Image:
    """Any mode -> RGB, L or CMYK with no transparency (transparent areas become white)."""
    if "transparency" in image.info and image.mode in ("P", "L", "RGB", "1"):
        image = image.convert("LA" if image.mode in ("L", "1") else "RGBA")
    if image.mode in ("PA", "La", "RGBa"):
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA"):
        base = image.mode[:-1]
        # Paste through the alpha channel onto white: JPEG and PDF have no transparency, and
        # a black background (Pillow's plain convert) hides the picture's edges.
        flat = Image.new(base, image.size, "white")
        flat.paste(image.convert(base), mask=image.getchannel("A"))
        return flat
    if image.mode in ("RGB", "L", "CMYK"):
        return image  # CMYK: Pillow already undid Adobe's inverted CMYK while decoding
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: scale, do not clip, to 8 bits
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image.convert("L" if image.mode == "1" else "RGB")


def _downscale(image: Image.Image, max_edge: int) -> Image.Image:
    if max(image.size) <= max_edge:
        return image  # small photos are kept as they are, never upscaled
    return image.resize(fitted_box(image.size, max_edge), Image.Resampling.LANCZOS)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB in sRGB: pixels in a wide-gamut profile (Display P3, eciRGB, Adobe RGB, a CMYK
    press profile) are converted, because the profile itself is not kept in the stored file."""
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if not ImageCms.getProfileDescription(source).strip().lower().startswith("srgb"):
                return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile, or one that does not match the pixels: plain conversion
    return image if image.mode == "RGB" else image.convert("RGB")


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """JPEG with no metadata at all: no EXIF, ICC, XMP or comment."""
    # Pillow copies a source JPEG's comment (COM marker) into the output unless told otherwise,
    # and a comment can hold anything; with an empty info nothing is carried over.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
    return out.getvalue()


def _truncation(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("truncated", "broken data stream", "premature end", "unexpected end"))


# -- files -------------------------------------------------------------------------------------
def atomic_write(target: Path, data: bytes) -> None:
    """Write ``target`` so that it either does not exist or is complete, even after a crash:
    temporary file in the same directory, fsync, os.replace, then fsync the directory."""
    make_private_dir(target.parent)   # client photos: 0700 folders, 0600 files (mkstemp)
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_path(target.parent)   # the rename is durable before a database row points at the file


class PhotoStore:
    """Content-addressed photo files under ``photos_dir``; regenerable derivatives in ``cache_dir``."""

    def __init__(self, photos_dir: Path, cache_dir: Path, *, max_edge: int = 2560, quality: int = 85) -> None:
        if max_edge < 1 or not 1 <= quality <= 95:
            raise ValueError("max_edge must be positive and quality between 1 and 95")
        self.photos_dir, self.cache_dir = Path(photos_dir), Path(cache_dir)
        self.max_edge, self.quality = max_edge, quality

    # -- names -----------------------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        """Where the stored photo with this hash lives (it may not exist)."""
        if not _SHA256.fullmatch(sha256):  # the name comes from the database: never a path
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.photos_dir / sha256[:2] / f"{sha256}.jpg"

    def thumbnail_path(self, sha256: str, size: int = 256) -> Path:
        """Where the cached thumbnail lives (it may not exist yet)."""
        return self._cached_path(_THUMBS, sha256, size)

    def _cached_path(self, kind: str, sha256: str, size: int) -> Path:
        self.path_for(sha256)  # validates the hash
        return self.cache_dir / kind / sha256[:2] / f"{sha256}-{size}.jpg"

    # -- import ----------------------------------------------------------------------------
    def ingest(self, source: Path) -> StoredPhoto:
        """Decode, orient, convert, downscale and store one file. Raises PhotoError for a file
        that cannot be used, StorageError if the photos folder cannot be written."""
        source = Path(source)
        name = source.name
        with _open(source) as image:
            taken = capture_time(image)
            icc = image.info.get("icc_profile")
            try:
                _decode(image, self.max_edge)
                _orient(image)
                pixels = _to_srgb(_downscale(_flatten(image), self.max_edge), icc)
                data = encode_jpeg(pixels, self.quality)
            except Image.DecompressionBombError as exc:
                raise _too_large(name, _pixels_in(str(exc))) from exc
            except MemoryError as exc:
                raise PhotoError(name, "not enough memory to open this image") from exc
            except (OSError, ValueError, SyntaxError, EOFError, RuntimeError) as exc:
                # RuntimeError/ValueError: pillow-heif's and some Pillow decoders' way of failing
                if _truncation(exc):
                    raise _truncated(name) from exc
                raise PhotoError(name, f"the image data is damaged ({exc})") from exc
        sha = hashlib.sha256(data).hexdigest()
        self._store(sha, data)
        return StoredPhoto(sha, pixels.width, pixels.height, taken, name, len(data))

    def _store(self, sha: str, data: bytes) -> None:
        target = self.path_for(sha)
        try:
            try:
                # Dedup: same bytes, same name, never rewritten. Touching it restarts its grace
                # period, so a sweep cannot delete it before the caller's row refers to it.
                os.utime(target)
                return
            except FileNotFoundError:
                pass
            atomic_write(target, data)
        except OSError as exc:
            raise StorageError(f"cannot save the photo in {self.photos_dir}: {exc.strerror or exc}") from exc

    def ingest_many(self, sources: list[Path], *, progress: Callable[[float, str], None] | None = None,
                    cancel: threading.Event | None = None, workers: int = 2) -> list[StoredPhoto | PhotoError]:
        """Import a batch on ``workers`` cores; results in input order; a bad file gives its
        PhotoError while the others still import. Thumbnails are made too, off this process.

        ``progress(fraction_done, file_name)`` is called from the calling thread as each file
        finishes. Setting ``cancel`` stops files that have not started; they come back as
        PhotoError("import cancelled"). Raises StorageError if the photos folder cannot be written.
        """
        if not sources:
            return []
        # Worker processes (see the module docstring); threads only for one or two files when no
        # pool is running yet (the command line), where starting one would cost more than it saves.
        in_processes = workers > 1 and (len(sources) > 2 or _pool_running(workers))
        executor: Executor = worker_pool(workers) if in_processes else ThreadPoolExecutor(max(1, workers))
        try:
            results, broken = self._run_batch(executor, [Path(s) for s in sources], progress, cancel)
        finally:
            if not in_processes:
                executor.shutdown(wait=True)
        if broken:
            _discard_pool(workers)  # a worker died (killed, out of memory): start afresh next time
        return results

    def _run_batch(self, executor: Executor, sources: list[Path], progress: Callable[[float, str], None] | None,
                   cancel: threading.Event | None) -> tuple[list[StoredPhoto | PhotoError], bool]:
        args = (self.photos_dir, self.cache_dir, self.max_edge, self.quality)
        pending: dict[Future, int] = {executor.submit(_ingest_one, *args, path): n for n, path in enumerate(sources)}
        results: list[StoredPhoto | PhotoError | None] = [None] * len(sources)
        try:
            broken = self._collect(pending, results, sources, progress, cancel)
        except BaseException:
            for future in pending:  # e.g. StorageError (disk full): the other files would fail too
                future.cancel()
            raise
        return [r if r is not None else PhotoError(sources[n].name, "import cancelled")
                for n, r in enumerate(results)], broken

    @staticmethod
    def _collect(pending: dict[Future, int], results: list[StoredPhoto | PhotoError | None], sources: list[Path],
                 progress: Callable[[float, str], None] | None, cancel: threading.Event | None) -> bool:
        """Gather results as they finish, in input order; True if the worker pool broke."""
        broken = False
        while pending:
            # Wake up regularly so a cancel request is seen even while a slow HEIC decodes.
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                n = pending.pop(future)
                try:
                    results[n] = None if future.cancelled() else future.result()
                except BrokenExecutor:
                    # A crashed worker takes its in-flight files with it; the rest are kept.
                    broken = True
                    results[n] = PhotoError(sources[n].name, "could not be imported because the import worker "
                                                             "stopped unexpectedly; try this file again on its own")
                if progress is not None:
                    progress((len(sources) - len(pending)) / len(sources), sources[n].name)
            if cancel is not None and cancel.is_set():
                for future in pending:
                    future.cancel()
                wait(pending)  # files already being decoded finish; keep what they produced
                for future, n in pending.items():
                    if not future.cancelled() and future.exception() is None:
                        results[n] = future.result()
                pending.clear()
        return broken

    # -- derivatives -------------------------------------------------------------------------
    def thumbnail(self, sha256: str, size: int = 256) -> Path:
        """A small cached JPEG for lists (made again if the cache was cleared)."""
        return self._derivative(sha256, size, _THUMBS)

    def fitted(self, sha256: str, max_px: int) -> Path:
        """The stored photo at most ``max_px`` on its long edge, for embedding at the resolution a
        page needs. The stored file itself if it is already small enough (never enlarged)."""
        source = self.existing(sha256)
        with Image.open(source) as image:
            if max(image.size) <= max_px:
                return source
        return self._derivative(sha256, max_px, _FITTED)

    def existing(self, sha256: str) -> Path:
        path = self.path_for(sha256)
        if not path.exists():
            raise PhotoError(path.name, "the stored photo is missing from the photos folder")
        return path

    def _derivative(self, sha256: str, max_px: int, kind: str) -> Path:
        if max_px < 1:
            raise ValueError("size must be positive")
        target = self._cached_path(kind, sha256, max_px)
        if target.exists():
            return target
        with Image.open(self.existing(sha256)) as image:
            # Stored photos are baseline RGB JPEGs without EXIF: no orientation to apply. The
            # fitted box lets the decoder scale by up to 1/8 (a 256 px thumbnail of a 2560 px
            # photo decodes only 320x240 pixels).
            image.draft("RGB", fitted_box(image.size, max_px))
            small = _downscale(image.convert("RGB"), max_px)
            data = encode_jpeg(small, self.quality)
        try:
            atomic_write(target, data)
        except OSError as exc:
            raise StorageError(f"cannot write to the cache folder {self.cache_dir}: {exc.strerror or exc}") from exc
        return target

    # -- mark-up ------------------------------------------------------------------------------
    def annotated(self, sha256: str, annotations: Sequence[Mapping[str, Any]], max_px: int) -> Path:
        """The photo at most ``max_px`` on its long edge with its mark-up drawn (cached, no metadata);
        the fitted photo itself when there is no mark-up."""
        base = self.fitted(sha256, max_px)
        if not annotations:
            return base
        target = self.annotated_path(sha256, annotations, max_px)
        if target.exists():
            return target
        from homeassess.domain.annotations import parse_shapes
        from homeassess.storage.annotate import draw_shapes

        with Image.open(base) as image:
            data = encode_jpeg(draw_shapes(image, parse_shapes([dict(a) for a in annotations])), self.quality)
        try:
            atomic_write(target, data)
        except OSError as exc:
            raise StorageError(f"cannot write to the cache folder {self.cache_dir}: {exc.strerror or exc}") from exc
        return target

    def annotated_path(self, sha256: str, annotations: Sequence[Mapping[str, Any]], max_px: int) -> Path:
        self.path_for(sha256)  # validates the hash
        return self.cache_dir / _ANNOTATED / f"{sha256}-{annotation_key(annotations)}-{max_px}.jpg"

    # -- camera captures -------------------------------------------------------------------------
    def new_capture_path(self) -> Path:
        """An empty file for the camera to write one picture into. It is the store's own temporary
        file: importing it removes it (``discard_captures``), and a sweep removes it if forgotten."""
        folder = self.cache_dir / _CAPTURES
        try:
            make_private_dir(folder)
            fd, name = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}camera-", suffix=".jpg", dir=folder)
        except OSError as exc:
            raise StorageError(f"cannot write to the cache folder {self.cache_dir}: {exc.strerror or exc}") from exc
        os.close(fd)
        return Path(name)

    def discard_captures(self, paths: Sequence[Path]) -> None:
        """Remove those of ``paths`` that are camera captures made by ``new_capture_path`` (after
        import: the stored copy is all that is kept); any other file is left alone."""
        folder = (self.cache_dir / _CAPTURES).resolve()
        for path in paths:
            if Path(path).resolve().parent == folder and Path(path).name.startswith(_TMP_PREFIX):
                Path(path).unlink(missing_ok=True)

    # -- removing --------------------------------------------------------------------------------
    def discard(self, shas: Iterable[str], *, untouched_since: float | None = None) -> int:
        """Remove these stored photos and everything cached from them; returns how many photo files
        were removed. The caller has made sure no row refers to them. A file touched after
        ``untouched_since`` (a ``time.time()``) is kept: the same picture was imported meanwhile
        and its new row may point to it (if not, a later sweep takes it)."""
        removed = 0
        for sha in sorted(set(shas)):
            path = self.path_for(sha)
            if untouched_since is not None and _mtime(path) > untouched_since:
                continue
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass
            self._drop_derivatives(sha)
        return removed

    def discard_annotated(self, marks: Iterable[tuple[str, str]]) -> int:
        """Remove the cached mark-up copies for these (sha256, ``annotation_key``) pairs (the mark-up
        can name things the photo itself does not); returns how many files went."""
        removed = 0
        for sha, key in marks:
            self.path_for(sha)  # validates the hash
            if not re.fullmatch(r"[0-9a-f]{16}", key):
                raise ValueError(f"not a mark-up key: {key!r}")
            for copy in (self.cache_dir / _ANNOTATED).glob(f"{sha}-{key}-*.jpg"):
                copy.unlink(missing_ok=True)
                removed += 1
        return removed

    # -- sweeping ----------------------------------------------------------------------------
    def collect_garbage(self, referenced: set[str], *, older_than: timedelta,
                        annotated: set[tuple[str, str]] | None = None) -> Swept:
        """Delete stored photos that no row refers to and that are older than the grace period,
        with their cached derivatives; also temporary files left by a crash (older than the grace
        period), cached derivatives whose photo is gone and, when ``annotated`` gives the
        (sha256, ``annotation_key``) pairs rows still have, mark-up copies no row uses any more.

        The grace period covers the window between writing a file and inserting its row (an
        import in progress, or mark-up being saved).
        """
        cutoff = time.time() - older_than.total_seconds()
        photos = derivatives = 0
        for path in sorted(self.photos_dir.glob("??/*.jpg")):
            sha = path.stem
            if sha in referenced or not _SHA256.fullmatch(sha) or _mtime(path) >= cutoff:
                continue
            path.unlink(missing_ok=True)
            derivatives += self._drop_derivatives(sha)
            photos += 1
        temporaries = self._sweep_temporaries(cutoff)
        derivatives += self._sweep_orphan_derivatives()
        if annotated is not None:
            derivatives += self._sweep_annotated(annotated, cutoff)
        return Swept(photos=photos, temporaries=temporaries, derivatives=derivatives)

    def _drop_derivatives(self, sha: str) -> int:
        found = [*(d for kind in (_THUMBS, _FITTED) for d in (self.cache_dir / kind / sha[:2]).glob(f"{sha}-*.jpg")),
                 *(self.cache_dir / _ANNOTATED).glob(f"{sha}-*.jpg")]
        for derivative in found:
            derivative.unlink(missing_ok=True)
        return len(found)

    def _sweep_orphan_derivatives(self) -> int:
        swept = 0
        for derivative in [*(d for kind in (_THUMBS, _FITTED) for d in (self.cache_dir / kind).glob("??/*-*.jpg")),
                           *(self.cache_dir / _ANNOTATED).glob("*-*.jpg")]:
            sha = derivative.name.split("-", 1)[0]
            if _SHA256.fullmatch(sha) and not self.path_for(sha).exists():
                derivative.unlink(missing_ok=True)
                swept += 1
        return swept

    def _sweep_annotated(self, keep: set[tuple[str, str]], cutoff: float) -> int:
        swept = 0
        for copy in (self.cache_dir / _ANNOTATED).glob("*-*-*.jpg"):
            sha, key, _size = copy.stem.split("-", 2)
            if (sha, key) not in keep and _mtime(copy) < cutoff:
                copy.unlink(missing_ok=True)
                swept += 1
        return swept

    def _sweep_temporaries(self, cutoff: float) -> int:
        # Also the older mark-up temporaries (``<name>.<pid>.<thread>.tmp``) and camera captures
        # taken before captures were named as the store's temporaries.
        found = [*(t for root in (self.photos_dir, self.cache_dir) for t in root.rglob(f"{_TMP_PREFIX}*")),
                 *(self.cache_dir / _ANNOTATED).glob("*.tmp"), *(self.cache_dir / _CAPTURES).glob("*.jpg")]
        swept = 0
        for tmp in dict.fromkeys(found):
            if tmp.is_file() and _mtime(tmp) < cutoff:
                tmp.unlink(missing_ok=True)
                swept += 1
        return swept


@dataclass(frozen=True, slots=True)
class Swept:
    """What one ``collect_garbage`` removed."""

    photos: int            # stored photos no row refers to
    temporaries: int       # half-written files left by a crash, forgotten camera captures
    derivatives: int       # thumbnails, fitted and mark-up copies nothing needs any more


def annotation_key(annotations: Sequence[Mapping[str, Any]]) -> str:
    """A short stable name for one set of mark-up shapes (the JSON a photo row keeps)."""
    text = json.dumps([dict(a) for a in annotations], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # deleted meanwhile: treat as brand new, i.e. leave it alone
        return float("inf")


# -- worker processes ----------------------------------------------------------------------------
_pool_lock = threading.Lock()
_pools: dict[int, ProcessPoolExecutor] = {}


def worker_pool(workers: int = 2) -> ProcessPoolExecutor:
    """The process pool for photo work, started once and kept: starting processes from a big
    Qt process blocks the interpreter for tens of milliseconds, so it must not happen mid-import.

    In a built app (PyInstaller) ``sys.executable`` is the app itself: a spawned worker runs it with
    multiprocessing's arguments, and ``multiprocessing.freeze_support()``, the first thing
    ``homeassess.app.main`` does, turns that run into the worker (``--self-test`` checks it)."""
    with _pool_lock:
        pool = _pools.get(workers)
        if pool is None:
            # The app's pid is taken here, not in the worker: a worker still starting when the app is
            # killed would otherwise record its new parent (init) and never notice.
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_worker_setup, initargs=(os.getpid(),))
            _pools[workers] = pool
            atexit.register(pool.shutdown, cancel_futures=True)
        return pool


def _pool_running(workers: int) -> bool:
    with _pool_lock:
        return workers in _pools


def _discard_pool(workers: int) -> None:
    with _pool_lock:
        pool = _pools.pop(workers, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def warm_up(workers: int = 2) -> None:
    """Start the worker processes now (the app calls this in the background after start-up)."""
    pool = worker_pool(workers)
    list(pool.map(_noop, range(workers)))


def _noop(value: int) -> int:
    return value


def shutdown_workers() -> None:
    """Stop the worker processes (also registered with atexit)."""
    with _pool_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


# How often a worker checks that the app is still there, where it cannot be woken (see below).
PARENT_POLL_S = 1.0


def _worker_setup(parent: int) -> None:
    """Worker set-up: exit if the app is killed, and yield the CPU to the app's UI thread."""
    threading.Thread(target=_watch_parent, args=(parent,), name="homeassess-parent-watch", daemon=True).start()
    if hasattr(os, "nice"):
        os.nice(10)
    register_heif()  # once per worker, before the first file rather than during it


def _watch_parent(parent: int) -> None:
    """Exit the worker as soon as the app is gone: a killed app cannot shut its pool down, and a
    worker blocked on the pool's queue would wait forever (it holds the queue's other end itself).

    The spawn start method gives each worker a pipe from the app (``parent_process().sentinel``)
    that reads as closed the moment the app dies, on every OS; ``getppid`` polling (the app's pid
    was recorded before the worker started) is the fallback. Measured on this 2-vCPU VM
    (tests/e2e/test_worker_exit.py): idle and busy-decoding workers and the resource tracker are
    gone within 0.1 s of a kill -9, where the old 2 s poll left a starting worker for good.
    ``PR_SET_PDEATHSIG`` is not used: Linux sends it when the *thread* that spawned the worker
    ends, and workers are spawned by whichever task thread first needs one.
    """
    from multiprocessing.connection import wait as wait_for

    process = multiprocessing.parent_process()
    sentinel = process.sentinel if process is not None else None
    while os.getppid() == parent:
        if sentinel is None:
            time.sleep(PARENT_POLL_S)
        elif wait_for([sentinel], timeout=PARENT_POLL_S):
            break
    os._exit(0)


def _ingest_one(photos_dir: Path, cache_dir: Path, max_edge: int, quality: int,
                source: Path) -> StoredPhoto | PhotoError:
    """Worker entry point (module level so a spawned process can import it)."""
    store = PhotoStore(photos_dir, cache_dir, max_edge=max_edge, quality=quality)
    try:
        photo = store.ingest(source)
    except PhotoError as exc:
        return exc
    store.thumbnail(photo.sha256)  # made here, off the UI process, so lists can show it at once
    return photo
