"""Killed (SIGKILL) while importing photos or writing a report: the records stay sound, and what the
interrupted work left is swept at the next start; nothing half-written is left beside a report."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest

from homeassess.services.context import open_context
from homeassess.services.housekeeping import sweep_debris
from homeassess.storage.outputs import sweep_outputs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX-only")
ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}

IMPORTER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from homeassess.services.context import open_context
    from homeassess.services.assessments import list_rooms
    from homeassess.services.photos import add_photos
    from tests.photo_helpers import make_jpeg
    ctx = open_context(Path(sys.argv[1]))
    room = list_rooms(ctx, sys.argv[2])[0]
    files = [make_jpeg(Path(sys.argv[3]) / f"p{i}.jpg", (2000 + i, 1500)) for i in range(12)]
    print("importing", flush=True)
    add_photos(ctx, sys.argv[2], room.id, files)
    print("done", flush=True)
""")


def test_killed_during_photo_import(demo_ctx, tmp_path: Path) -> None:
    from homeassess.services.visit_record import record_verbal_consent

    ctx, assessment_id = demo_ctx
    record_verbal_consent(ctx, assessment_id, given_by="the client")
    ctx.close()
    sources = tmp_path / "camera"
    sources.mkdir()
    child = subprocess.Popen([sys.executable, "-c", IMPORTER, str(ctx.data_dir), assessment_id, str(sources)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert child.stdout is not None and child.stdout.readline().strip() == "importing"
    time.sleep(1.0)   # some photos stored, most not yet
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    db = ctx.data_dir / "homeassess.sqlite3"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    time.sleep(2.5)   # the orphaned workers notice their parent is gone (storage/photos.py)
    again = open_context(ctx.data_dir, registry=ctx.registry, clock=ctx.clock)
    sweep_debris(again, grace=timedelta(0))
    with sqlite3.connect(db) as conn:
        referenced = {r[0] for r in conn.execute("SELECT sha256 FROM photo")}
    stored = {p.stem for p in (ctx.data_dir / "photos").glob("??/*.jpg")}
    assert stored == referenced   # no orphan left, and every row's file is there
    assert not list(ctx.data_dir.rglob(".tmp-*"))


REPORTER = textwrap.dedent("""
    import os, shutil, signal, sys
    from pathlib import Path
    from homeassess.services.context import open_context
    from homeassess.services.reports import generate_report
    import homeassess.storage.outputs as outputs
    ctx = open_context(Path(sys.argv[1]))
    if sys.argv[4] == "other-disk":
        outputs._same_disk = lambda a, b: False   # as for a USB stick
        def copy_then_die(src, dst):
            Path(dst).write_bytes(Path(src).read_bytes()[:1000])
            os.kill(os.getpid(), signal.SIGKILL)
        outputs.shutil.copyfile = copy_then_die
    else:
        real = outputs.os.replace
        def die_before_replace(src, dst):
            os.kill(os.getpid(), signal.SIGKILL)
        outputs.os.replace = die_before_replace
    generate_report(ctx, sys.argv[2], "clinical", Path(sys.argv[3]))
""")


@pytest.mark.parametrize("where", ["same-disk", "other-disk"])
def test_killed_while_writing_a_report_leaves_nothing_beside_it(demo_ctx, tmp_path: Path, where: str) -> None:
    ctx, assessment_id = demo_ctx
    ctx.close()
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    target = out_dir / "clinical.pdf"
    target.write_bytes(b"%PDF-1.4 the earlier report")
    child = subprocess.run([sys.executable, "-c", REPORTER, str(ctx.data_dir), assessment_id, str(target), where],
                           capture_output=True, text=True, env=ENV, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert target.read_bytes() == b"%PDF-1.4 the earlier report"   # the earlier file is untouched
    leftovers = [p.name for p in out_dir.iterdir() if p != target]
    if where == "same-disk":
        assert leftovers == []   # built in the data folder's scratch space, never beside the target
    else:
        assert len(leftovers) == 1 and leftovers[0].startswith(".clinical-")
    assert sweep_outputs(ctx.scratch_dir, time.time() + 1) >= 1
    assert [p.name for p in out_dir.iterdir()] == ["clinical.pdf"]
    assert not list(ctx.scratch_dir.iterdir())
