"""``homeassess --self-test`` (issue 17): the check a built app runs in CI, run here as pip installs it.

Two runs in fresh processes: from the installed package, and from the package laid out by
``packaging/datafiles.stage`` — exactly the modules and data files the PyInstaller spec ships, with
the source tree and the editable install out of reach, so a file the app reads at run time but the
spec leaves out fails here, not only in the built app.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from datafiles import stage

STEPS = ("database created and migrated", "demo visit and follow-up built", "photos imported in worker processes",
         "every report kind written", "team server driver loaded", "main window opened on the demo visit")

# Run in the child: only the staged copy can be imported (setuptools' editable-install finder, which
# would quietly supply any module or file from the source tree, is taken off the import path).
STAGED_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
sys.path = [p for p in sys.path if p.rstrip("/") != sys.argv[2].rstrip("/")]
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in (type(f).__module__ + repr(f)).lower()]
import homeassess
assert homeassess.__file__.startswith(sys.argv[1]), homeassess.__file__
from homeassess.app import main
raise SystemExit(main(["--self-test"]))
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "share")}
    env.pop("HOMEASSESS_DATA_DIR", None)
    env.pop("PYTHONPATH", None)
    return env


def _check(result: subprocess.CompletedProcess[str], tmp_path: Path) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("HomeAssess ") and "self-test" in lines[0]
    for step in STEPS:
        assert any(line.startswith(f"ok    {step} (") for line in lines), f"{step!r} not passed:\n{result.stdout}"
    assert lines[-1].startswith("self-test passed in ")
    assert not any(tmp_path.glob("share/HomeAssess*")), "the self-test touched the user's data folder"


def test_the_self_test_passes_from_the_installed_package(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "homeassess", "--self-test"], cwd=tmp_path, env=_environment(tmp_path),
                            capture_output=True, text=True, timeout=300)
    _check(result, tmp_path)
    assert "(Python package," in result.stdout.splitlines()[0]


def test_the_self_test_passes_from_exactly_what_the_build_ships(tmp_path: Path) -> None:
    site = stage(tmp_path / "site")
    result = subprocess.run([sys.executable, "-c", STAGED_CHILD, str(site), str(ROOT)], cwd=tmp_path,
                            env=_environment(tmp_path), capture_output=True, text=True, timeout=300)
    _check(result, tmp_path)


def test_a_failing_step_is_named_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from homeassess import self_test

    def broken(_state: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(self_test, "STEPS", [self_test.STEPS[0], ("reports written", broken), *self_test.STEPS[1:]])
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    assert lines[1].startswith("ok    database created and migrated")
    assert lines[2] == "FAIL  reports written: OSError: disk full"
    assert not any(line.startswith("ok    demo") for line in lines), "steps after a failure must not run"
    assert not list(tmp_path.glob("homeassess-self-test-*")), "the temporary folder was left behind"
