"""Photo ingest: decode (reduced where possible), orient once, convert to sRGB, downscale and
re-encode without any metadata; files are named by SHA-256 and written atomically.

Pure file work with no database or Qt: safe to call from worker threads. Batches run in two
worker *processes* (spawn, safe beside Qt): with threads, Pillow steps that keep the GIL
(transpose, colour conversion) stalled the UI thread for up to ~70 ms per photo in
bench/photo_import.py; in processes the UI thread never waits on them.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import multiprocessing
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Callable

from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from homeassess.domain.errors import HomeAssessError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
MAX_PIXELS = 120_000_000  # larger than any camera; bigger files are decompression bombs
_heif_lock = threading.Lock()
_heif_registered = False
_SRGB = ImageCms.createProfile("sRGB")


class PhotoError(HomeAssessError):
    """A file that cannot be imported; the message names the file and the problem."""

    def __init__(self, filename: str, problem: str) -> None:
        self.filename, self.problem = filename, problem
        super().__init__(f"{filename}: {problem}")

    def __reduce__(self) -> tuple:  # picklable across worker processes
        return (PhotoError, (self.filename, self.problem))


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    sha256: str
    width: int
    height: int
    taken_at: datetime | None
    original_filename: str
    size_bytes: int


def _register_heif() -> None:
    """Register the HEIC opener once, on first use rather than at import."""
    global _heif_registered
    with _heif_lock:
        if not _heif_registered:
            from pillow_heif import register_heif_opener

            register_heif_opener()
            _heif_registered = True


def _capture_time(image: Image.Image) -> datetime | None:
    exif = image.getexif()
    raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    if not raw:
        return None
    try:
        return datetime.strptime(str(raw).strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _fitted_box(size: tuple[int, int], max_edge: int) -> tuple[int, int]:
    """Target size with the same aspect ratio, long edge ≤ max_edge (never upscaled)."""
    w, h = size
    scale = min(1.0, max_edge / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB in sRGB: convert embedded ICC profiles (P3, eciRGB, Adobe RGB) rather than drop them."""
    icc = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    elif image.mode == "CMYK" and not icc:
        image = image.convert("RGB")  # Pillow handles Adobe's inverted CMYK on decode
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode not in ("RGB", "CMYK", "L"):
                image = image.convert("RGB")
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: fall back to a plain conversion
    return image if image.mode == "RGB" else image.convert("RGB")


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif=, icc_profile= or comment: the derivative carries no metadata at all.
    image.save(out, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
    return out.getvalue()


class PhotoStore:
    """Content-addressed photo files under ``photos_dir``; regenerable derivatives in ``cache_dir``."""

    def __init__(self, photos_dir: Path, cache_dir: Path, *, max_edge: int = 2560, quality: int = 85) -> None:
        self.photos_dir, self.cache_dir = photos_dir, cache_dir
        self.max_edge, self.quality = max_edge, quality

    def path_for(self, sha256: str) -> Path:
        return self.photos_dir / sha256[:2] / f"{sha256}.jpg"

    def ingest(self, source: Path) -> StoredPhoto:
        """Decode, orient, convert, downscale and store one file; raises PhotoError."""
        name = source.name
        image = self._open(source)
        try:
            taken = _capture_time(image)
            if image.format == "JPEG":
                w, h = image.size
                image.draft("RGB", _fitted_box((w, h), self.max_edge))
            image.load()
            image = ImageOps.exif_transpose(image) or image
            image = _to_srgb(image)
            if max(image.size) > self.max_edge:
                image = image.resize(_fitted_box(image.size, self.max_edge), Image.Resampling.LANCZOS)
            data = _encode(image, self.quality)
        except OSError as exc:
            if "truncated" in str(exc) or "broken data stream" in str(exc):
                raise PhotoError(name, "the file is cut short (truncated); copy it again from the camera or phone") from exc
            raise PhotoError(name, f"the image data is damaged ({exc})") from exc
        except (ValueError, SyntaxError) as exc:
            raise PhotoError(name, f"the image data is damaged ({exc})") from exc
        sha = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha)
        if not target.exists():
            _atomic_write(target, data)
        return StoredPhoto(sha, image.width, image.height, taken, name, len(data))

    def _open(self, source: Path) -> Image.Image:
        name = source.name
        if source.suffix.lower() in (".heic", ".heif"):
            _register_heif()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(source)
                if image.format == "HEIF" or image.format is None:
                    pass
        except FileNotFoundError as exc:
            raise PhotoError(name, "the file does not exist") from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError(name, "the image is too large to be a photo (possible decompression bomb)") from exc
        except UnidentifiedImageError:
            if not _heif_registered:
                _register_heif()
                return self._open(source)
            raise PhotoError(name, "not an image, or a format HomeAssess cannot read") from None
        except OSError as exc:
            raise PhotoError(name, f"cannot be read ({exc.strerror or exc})") from exc
        if image.format not in ACCEPTED_FORMATS:
            raise PhotoError(name, f"unsupported format ({image.format}); use JPEG, PNG, WebP or HEIC")
        if image.width * image.height > MAX_PIXELS:
            raise PhotoError(name, f"image too large ({image.width * image.height / 1e6:.0f} megapixels)")
        return image

    def ingest_many(self, sources: list[Path], *, progress: Callable[[float, str], None] | None = None,
                    cancel: threading.Event | None = None, workers: int = 2) -> list[StoredPhoto | PhotoError]:
        """Import a batch; results in input order, bad files as PhotoError (the others still import).

        Batches of more than two files use ``workers`` processes; one or two files are done
        in this process, where starting a pool would cost more than it saves.
        """
        if not sources:
            return []
        results: list[StoredPhoto | PhotoError | None] = [None] * len(sources)
        use_processes = len(sources) > 2 and workers > 1
        threads = None if use_processes else ThreadPoolExecutor(max_workers=max(1, workers))
        pool = threads or worker_pool(workers)
        try:
            futures: dict[Future, int] = {
                pool.submit(_ingest_one, self.photos_dir, self.cache_dir, self.max_edge, self.quality, path): n
                for n, path in enumerate(sources)}
            for done, future in enumerate(as_completed(futures), start=1):
                n = futures[future]
                results[n] = future.result()
                if progress is not None:
                    progress(done / len(sources), sources[n].name)
                if cancel is not None and cancel.is_set():
                    for other in futures:
                        other.cancel()
                    break
        finally:
            if threads is not None:
                threads.shutdown()
        return [r if r is not None else PhotoError(sources[n].name, "import cancelled")
                for n, r in enumerate(results)]

    def _derivative(self, sha256: str, max_px: int, kind: str, draft: bool) -> Path:
        target = self.cache_dir / kind / sha256[:2] / f"{sha256}-{max_px}.jpg"
        if target.exists():
            return target
        with Image.open(self.path_for(sha256)) as image:
            box = _fitted_box(image.size, max_px)
            if draft:
                image.draft("RGB", box)
            image = image.convert("RGB")
            if max(image.size) > max_px:
                image = image.resize(_fitted_box(image.size, max_px), Image.Resampling.LANCZOS)
            _atomic_write(target, _encode(image, self.quality))
        return target

    def thumbnail_path(self, sha256: str, size: int = 256) -> Path:
        """Where the cached thumbnail lives (it may not exist yet)."""
        return self.cache_dir / "thumbs" / sha256[:2] / f"{sha256}-{size}.jpg"

    def thumbnail(self, sha256: str, size: int = 256) -> Path:
        """A small cached JPEG for lists (regenerated if the cache was cleared)."""
        return self._derivative(sha256, size, "thumbs", draft=True)

    def fitted(self, sha256: str, max_px: int) -> Path:
        """The stored photo at most ``max_px`` on its long edge, for embedding at page resolution."""
        source = self.path_for(sha256)
        with Image.open(source) as image:
            if max(image.size) <= max_px:
                return source
        return self._derivative(sha256, max_px, "fitted", draft=True)

    def collect_garbage(self, referenced: set[str], *, older_than: timedelta) -> int:
        """Delete stored photos no row refers to (older than the grace period) and their derivatives."""
        cutoff = datetime.now().timestamp() - older_than.total_seconds()
        removed = 0
        for path in self.photos_dir.glob("*/*.jpg"):
            sha = path.stem
            if sha not in referenced and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                for derivative in self.cache_dir.glob(f"*/{sha[:2]}/{sha}-*.jpg"):
                    derivative.unlink(missing_ok=True)
                removed += 1
        return removed


_pool_lock = threading.Lock()
_pools: dict[int, ProcessPoolExecutor] = {}


def worker_pool(workers: int = 2) -> ProcessPoolExecutor:
    """The process pool for photo work, started once and kept: starting processes from a big
    Qt process blocks the interpreter for tens of milliseconds, so it must not happen mid-import."""
    with _pool_lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_lower_priority)
            _pools[workers] = pool
            atexit.register(pool.shutdown, cancel_futures=True)
        return pool


def warm_up(workers: int = 2) -> None:
    """Start the worker processes now (the app calls this in the background after start-up)."""
    pool = worker_pool(workers)
    list(pool.map(_noop, range(workers)))


def _noop(value: int) -> int:
    return value


def shutdown_workers() -> None:
    """Stop the worker processes (also registered with atexit)."""
    with _pool_lock:
        for pool in _pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        _pools.clear()


def _lower_priority() -> None:
    """Worker set-up: yield the CPU to the app's UI thread, and exit if the app is killed."""
    if hasattr(os, "nice"):
        os.nice(10)
    parent = os.getppid()

    def watch_parent() -> None:
        # A killed app cannot shut its pool down; orphaned workers would otherwise linger.
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()


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
