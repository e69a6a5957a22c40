"""Kill the running app with SIGKILL right after edits: every committed edit survives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from homeassess.checklists.registry import Registry
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services.context import open_context

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX-only")]
CHILD = Path(__file__).with_name("crash_child.py")
FIXTURES = Path(__file__).parents[1] / "fixtures" / "checklists" / "good"


def test_sigkill_after_edits_loses_nothing_committed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, str(CHILD), str(data)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line.split())
            if line.strip() == "ready":
                break
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    assert [w[0] for w in lines] == ["client", "phone", "answer", "measure", "note", "ready"]
    client_id, room_id = lines[0][1], lines[2][1]

    with sqlite3.connect(data / "homeassess.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    registry = Registry.load([FIXTURES / "demo_room.v1.toml"], [FIXTURES / "demo.v1.toml"])
    ctx = open_context(data, registry=registry)
    client = C.get_client(ctx, client_id)
    assert (client.display_name, client.phone) == ("Zoë Ångström-Nuñez", "01865 555 0142")
    answers = A.room_answers(ctx, room_id)
    assert answers["demo_room.rail"].value == "no"
    assert answers["demo_room.door_width"].number == 760
    assert answers["demo_room.door_width"].note == "Door stop could come off"
    [visit] = A.list_assessments(ctx, client_id)
    assert [f.title for f in R.list_findings(ctx, visit.id)] == ["No rail at the step"]
