"""Photo worker processes (and multiprocessing's resource tracker) exit when the app is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]
CHILD = Path(__file__).with_name("worker_child.py")
ROOT = Path(__file__).parents[2]


def _stat(pid: int) -> list[str] | None:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"  # a zombie has exited; only its entry is left


def children_of(pid: int) -> list[int]:
    return [int(d.name) for d in Path("/proc").iterdir()
            if d.name.isdigit() and (fields := _stat(int(d.name))) is not None and int(fields[1]) == pid]


@pytest.mark.parametrize("mode", ["starting", "idle", "busy"])
def test_workers_exit_within_seconds_of_a_kill(tmp_path: Path, mode: str) -> None:
    child = subprocess.Popen([sys.executable, str(CHILD), mode, str(tmp_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        assert child.stdout is not None
        workers = [int(pid) for pid in child.stdout.readline().split()]
        started = children_of(child.pid)   # the workers and the resource tracker
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert workers and set(workers) <= set(started)
    killed = time.monotonic()
    try:
        while any(alive(pid) for pid in started) and time.monotonic() - killed < 5:
            time.sleep(0.05)
        assert not [pid for pid in started if alive(pid)], "photo workers outlived the app"
    finally:
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
