"""A full disk and a read-only folder: a plain message, and what was saved stays intact (issue 14)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest

from homeassess.app import main
from homeassess.db.engine import DB_FILE
from homeassess.domain.errors import StorageError
from homeassess.services import clients as C
from homeassess.services.context import open_context


def test_a_full_disk_refuses_the_edit_and_keeps_what_was_saved(tmpfs, registry) -> None:
    disk = tmpfs("2m")
    ctx = open_context(disk / "data", registry=registry)
    kept, _ = C.create_client(ctx, given_name="Kept", family_name="Safe")
    filler = disk / "filler"
    with filler.open("wb") as fh:   # fill the disk to the last block
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    with pytest.raises(StorageError, match="disk is full"):
        for n in range(5000):   # enough text to need new pages
            C.create_client(ctx, given_name="Too", family_name=f"Much {n}", address="x" * 900)
    filler.unlink()
    assert "Kept Safe" in [c.display_name for c in C.list_clients(ctx)]
    with sqlite3.connect(disk / "data" / DB_FILE) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_read_only_folder_gives_a_plain_message(tmpfs, registry, capsys) -> None:
    disk = tmpfs("8m")
    ctx = open_context(disk / "data", registry=registry)
    C.create_client(ctx, given_name="Read", family_name="Only")
    ctx.close()
    if subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot remount read-only")
    try:
        code = main(["--data-dir", str(disk / "data"), "settings", "set", "therapist.name", "Sam"])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert "read-only" in err
        code = main(["--data-dir", str(disk / "data"), "clients"])
        out, err = capsys.readouterr()
        assert (code, "Read Only" in out) == (0, True) or ("read-only" in err and code == 1)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=False)
    assert shutil.disk_usage(disk).total > 0
