"""``homeassess --self-test``: prove this copy of HomeAssess works, from pip or from a built bundle.

Each step does real work in a temporary data folder, never the user's: the database is created and
migrated to the newest revision, the demo visit and its follow-up are built, generated photos are
imported through the photo worker processes (the part a frozen app gets wrong most easily: a
worker must start the bundled executable as a worker, not as a second app), every report kind is
written and checked to be a whole PDF (or CSV), and the main window opens on the demo visit on
Qt's offscreen platform and paints. One line per step on stdout; exit 0 when every step passed,
else 1 with the failing step's error (the traceback too: whoever runs a self-test wants it).
No Qt is imported before the window step, so the steps before it also check a bundle without Qt's
display libraries.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from homeassess.domain.filenames import REPORT_KINDS

if TYPE_CHECKING:
    from homeassess.services.context import AppContext


@dataclass
class _State:
    root: Path
    opened: AppContext | None = None
    first_visit: str = ""
    follow_up: str = ""

    @property
    def ctx(self) -> AppContext:
        if self.opened is None:
            raise AssertionError("the database step did not run")
        return self.opened


def run_self_test(out: Callable[[str], None] = print) -> int:
    """Run every step; 0 when all passed, else 1. ``out`` receives each line."""
    from homeassess import __version__

    frozen = "built bundle" if getattr(sys, "frozen", False) else "Python package"
    out(f"HomeAssess {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, {sys.platform})")
    started = time.perf_counter()
    state = _State(Path(tempfile.mkdtemp(prefix="homeassess-self-test-")))
    # Qt's offscreen platform unless the caller chose one: the test must run on a machine with no display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        for name, step in STEPS:
            t0 = time.perf_counter()
            try:
                detail = step(state)
            except Exception as exc:  # noqa: BLE001 - every failure is reported, then the run stops
                out(f"FAIL  {name}: {type(exc).__name__}: {exc}")
                out(traceback.format_exc().rstrip())
                return 1
            out(f"ok    {name} ({time.perf_counter() - t0:.1f} s){': ' + detail if detail else ''}")
    finally:
        _clean_up(state)
    out(f"self-test passed in {time.perf_counter() - started:.1f} s")
    return 0


# -- the steps ---------------------------------------------------------------------------------------
def _open_database(state: _State) -> str:
    import logging

    from homeassess.db.migrate import current_revision, head_revision
    from homeassess.logsetup import LOG_FILE, setup_logging
    from homeassess.services.context import open_context

    state.opened = ctx = open_context(state.root / "data")
    log_dir = ctx.data_dir / "logs"
    setup_logging(log_dir)   # the app's log, as the window sets it up: the rest of the run is logged there
    logging.getLogger(__name__).info("self-test: database opened")
    if "self-test: database opened" not in (log_dir / LOG_FILE).read_text(encoding="utf-8"):
        raise AssertionError(f"nothing was written to the log {log_dir / LOG_FILE}")
    if ctx.engine is None:
        raise AssertionError("the data folder's database has no engine")
    revision = current_revision(ctx.engine)
    if revision != head_revision():
        raise AssertionError(f"the database is at revision {revision}, not the newest, {head_revision()}")
    checklists = len(ctx.registry.room_types())
    if not checklists:
        raise AssertionError("no room checklists were found")
    return f"migrated to {revision}; {checklists} room checklists; log written"


def _build_demo(state: _State) -> str:
    from homeassess.services.demo_followup import create_follow_up_demo

    state.first_visit, state.follow_up = create_follow_up_demo(state.ctx)
    return f"demo visit {state.first_visit[:8]} and its follow-up {state.follow_up[:8]}"


def _import_photos(state: _State) -> str:
    from homeassess.services.photos import add_photos
    from homeassess.storage.photos import worker_pool

    # A worker process answers with its own process id: proof the pool starts real workers here.
    worker = worker_pool().submit(os.getpid).result(timeout=120)
    if worker == os.getpid():
        raise AssertionError("the photo workers ran in this process")
    sources = [_generated_photo(state.root / f"photo-{n}.jpg", n) for n in range(3)]
    sources.append(_generated_heic(state.root / "photo-3.heic"))   # as an iPhone takes them (pillow-heif)
    views, errors = add_photos(state.ctx, state.first_visit, _first_room(state), sources)
    if errors:
        raise AssertionError("; ".join(str(e) for e in errors))
    if len(views) != len(sources):
        raise AssertionError(f"{len(views)} of {len(sources)} photos were imported")
    if not all(v.height > v.width for v in views[:3]):   # 1600×1200 with "rotate 90°" is stored upright
        raise AssertionError("a photo's EXIF orientation was not applied")
    stored = state.ctx.photo_store.path_for(views[0].sha256)
    if b"GPS" in stored.read_bytes() or b"Exif" in stored.read_bytes()[:4096]:
        raise AssertionError(f"{stored.name} still carries its EXIF metadata")
    return f"{len(views)} photos (one HEIC) through worker process {worker}, turned upright, metadata stripped"


def _team_server_driver(_state: _State) -> str:
    """What an office computer needs for a team server, loaded without connecting anywhere."""
    import psycopg
    import sqlalchemy as sa

    from homeassess.storage import credentials

    engine = sa.create_engine("postgresql+psycopg://self-test@/none")   # the dialect and driver load
    engine.dispose()
    libpq = psycopg.pq.version()
    keyring = "a keyring" if credentials.available() else "no keyring here (passwords are asked for)"
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {libpq // 10000}.{libpq % 100}); {keyring}"


def _write_reports(state: _State) -> str:
    from homeassess.services.orders import generate_order_pdf, generate_orders_csv
    from homeassess.services.progress import generate_progress_report
    from homeassess.services.reports import generate_report

    folder = state.root / "reports"
    folder.mkdir()
    ctx = state.ctx
    writers: dict[str, Callable[[Path], Path]] = {
        "family": lambda p: generate_report(ctx, state.first_visit, "family", p),
        "clinical": lambda p: generate_report(ctx, state.first_visit, "clinical", p),
        "orders": lambda p: generate_order_pdf(ctx, state.first_visit, p),
        "progress": lambda p: generate_progress_report(ctx, state.follow_up, p, audience="referrer"),
        "progress-family": lambda p: generate_progress_report(ctx, state.follow_up, p, audience="family"),
    }
    assert set(writers) == set(REPORT_KINDS), "a report kind the self-test does not write"
    sizes = []
    for kind, write in writers.items():
        path = write(folder / f"{kind}.pdf")
        data = path.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise AssertionError(f"the {kind} report is not a whole PDF")
        sizes.append(f"{kind} {len(data) // 1024} KB")
    csv_path, _order = generate_orders_csv(ctx, state.first_visit, folder / "orders.csv")
    rows = csv_path.read_text(encoding="utf-8-sig").splitlines()
    if len(rows) < 2:
        raise AssertionError("the order list CSV has no order lines")
    return ", ".join(sizes) + f", order CSV {len(rows) - 1} lines"


def _open_window(state: _State) -> str:
    from homeassess.ui.self_check import open_window_offscreen

    return open_window_offscreen(state.ctx, state.first_visit, settings_dir=state.root / "settings")


STEPS: list[tuple[str, Callable[[_State], str]]] = [
    ("database created and migrated", _open_database),
    ("demo visit and follow-up built", _build_demo),
    ("photos imported in worker processes", _import_photos),
    ("every report kind written", _write_reports),
    ("team server driver loaded", _team_server_driver),
    ("main window opened on the demo visit", _open_window),
]


# -- helpers -----------------------------------------------------------------------------------------
def _first_room(state: _State) -> str:
    from homeassess.services.assessments import list_rooms

    return list_rooms(state.ctx, state.first_visit)[0].id


def _generated_photo(path: Path, n: int) -> Path:
    """A 1600×1200 JPEG with EXIF GPS and an orientation tag, like a phone's."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (200 - 40 * n, 180, 140 + 30 * n))
    ImageDraw.Draw(image).rectangle((200, 150, 1400, 1050), outline=(30, 30, 30), width=25)
    exif = Image.Exif()
    exif[0x0112] = 6                                    # orientation: rotate 90°
    exif[0x8825] = {1: "N", 2: (51.0, 45.0, 7.0), 3: "W", 4: (1.0, 15.0, 30.0)}   # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


def _generated_heic(path: Path) -> Path:
    from PIL import Image

    from homeassess.storage.photos import register_heif

    register_heif()
    Image.new("RGB", (1200, 900), (90, 140, 200)).save(path, format="HEIF", quality=60)
    return path


def _clean_up(state: _State) -> None:
    from homeassess.storage.photos import shutdown_workers

    shutdown_workers()
    if state.opened is not None:
        state.opened.close()
    shutil.rmtree(state.root, ignore_errors=True)
