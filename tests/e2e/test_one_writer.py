"""One writer per data folder (issue 14): a second app is refused and brings the first forward, a
command that changes data waits briefly then fails clearly, a killed holder leaves no stale lock,
and two writers that do meet (the lock bypassed) never corrupt numbering or raise raw errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from homeassess.app import main
from homeassess.storage.lock import HOLDER_FILE

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), **extra}


def _wait_for(predicate, timeout: float = 30.0) -> None:  # noqa: ANN001
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _hold_lock(data: Path) -> subprocess.Popen:
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from homeassess.storage.lock import acquire
        acquire(Path({str(data)!r}), wait=0, what="the HomeAssess app")
        print("held", flush=True)
        time.sleep(120)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=_env())
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _cli(data: Path, *args: str, wait: str = "1") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(data), *args], capture_output=True,
                          text=True, timeout=60, env=_env(HOMEASSESS_LOCK_WAIT=wait))


def test_a_command_that_changes_data_waits_then_fails_clearly_and_a_killed_holder_leaves_no_lock(tmp_path) -> None:
    data = tmp_path / "data"
    assert _cli(data, "demo").returncode == 0
    holder = _hold_lock(data)
    try:
        started = time.monotonic()
        refused = _cli(data, "settings", "set", "therapist.name", "Sam Lee")
        waited = time.monotonic() - started
        assert refused.returncode == 1 and 1.0 <= waited < 20
        assert refused.stderr.startswith("error: The HomeAssess app is using the data folder")
        assert f"process {holder.pid}" in refused.stderr and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        reading = _cli(data, "clients")   # reading needs no lock
        assert reading.returncode == 0 and reading.stdout.count("\t") == 1
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    after = _cli(data, "settings", "set", "therapist.name", "Sam Lee", wait="0")
    assert after.returncode == 0, after.stderr
    assert not (data / HOLDER_FILE).exists()


def test_a_second_app_on_the_same_folder_is_refused_and_brings_the_first_forward(tmp_path, monkeypatch) -> None:
    from homeassess.ui import application

    data = tmp_path / "data"
    first = subprocess.Popen([sys.executable, "-m", "homeassess", "--data-dir", str(data)], env=_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: (data / HOLDER_FILE).exists() and (data / "logs" / "homeassess.log").exists())
        time.sleep(1.0)   # the window and its local server are up just after the lock
        shown: list[tuple[str, str, str]] = []

        class Box:
            def __init__(self, _parent, title: str, message: str, advice: str = "", details: str = "") -> None:
                shown.append((title, message, advice))

            def exec(self) -> int:
                return 0

        monkeypatch.setattr(application, "error_dialog", Box)
        assert main(["--data-dir", str(data)]) == 1
        assert shown and shown[0][0] == "HomeAssess is already open"
        assert "brought to the front" in shown[0][1]
        assert "The HomeAssess app is using the data folder" in shown[0][2]
        _wait_for(lambda: "brought forward" in (data / "logs" / "homeassess.log").read_text(), timeout=10)
        assert first.poll() is None   # the first copy is untouched
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from homeassess.services.context import open_context
    from homeassess.services import assessments as A, recommendations as R
    from homeassess.domain.errors import ConflictError
    ctx = open_context(Path(sys.argv[1]))
    assessment_id, seconds = sys.argv[2], float(sys.argv[3])
    recs = [r.id for r in R.list_recommendations(ctx, assessment_id)]
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        A.add_room(ctx, assessment_id, "bathroom")
        rec = recs[n % len(recs)]
        try:   # the other writer may have moved it meanwhile: a clear refusal, never a raw error
            R.set_status(ctx, rec, "declined" if n % 2 == 0 else "proposed", why="test")
        except ConflictError:
            pass
        n += 1
    print(n)
""")


def test_two_writers_that_meet_never_duplicate_a_number_or_crash(demo_ctx) -> None:
    """The lock is the first defence; this is the second: the database itself (writes begin
    IMMEDIATE, history steps are unique) when two programs write at once regardless."""
    import sqlite3

    ctx, assessment_id = demo_ctx
    ctx.close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(ctx.data_dir), assessment_id, "4"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert int(out) > 3
    with sqlite3.connect(ctx.data_dir / "homeassess.sqlite3") as conn:
        positions = [r[0] for r in conn.execute(
            "SELECT position FROM room WHERE assessment_id = ? AND deleted_at IS NULL", (assessment_id,))]
        assert len(positions) == len(set(positions))
        duplicated = conn.execute("SELECT COUNT(*) FROM (SELECT recommendation_id, seq FROM recommendation_event "
                                  "GROUP BY recommendation_id, seq HAVING COUNT(*) > 1)").fetchone()[0]
        assert duplicated == 0
        broken = conn.execute("""SELECT COUNT(*) FROM recommendation_event AS e JOIN recommendation_event AS p
                                 ON p.recommendation_id = e.recommendation_id AND p.seq = e.seq - 1
                                 WHERE p.to_status != e.from_status""").fetchone()[0]
        assert broken == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("wait", ["0", "not a number"])
def test_the_lock_wait_can_be_set_for_scripts(tmp_path, wait: str) -> None:
    data = tmp_path / "data"
    holder = _hold_lock(data)
    try:
        started = time.monotonic()
        result = _cli(data, "demo", wait=wait)
        assert result.returncode == 1 and "is using the data folder" in result.stderr
        assert time.monotonic() - started < (8 if wait == "0" else 30)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
