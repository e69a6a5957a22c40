"""The built app (issue 17) carries every file the package has, and starts its workers safely."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest

from homeassess import app

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from datafiles import data_files, package_source, packages


def _non_module_files(root: Path) -> set[Path]:
    """Every file in the package folders that is not one of a package's own modules."""
    folders = {package_source(p, root) for p in packages(root)}
    found: set[Path] = set()
    for folder in folders:
        for path in folder.rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if path.suffix == ".py" and path.parent in folders:
                continue   # a module: PyInstaller collects it by import
            found.add(path)
    return found


def test_every_file_in_the_package_folders_is_shipped() -> None:
    shipped = {path for path, _folder in data_files(ROOT)}
    missing = sorted(str(p.relative_to(ROOT)) for p in _non_module_files(ROOT) - shipped)
    assert not missing, f"pyproject.toml's package-data leaves these out of pip and the built app: {missing}"


def test_the_migrations_are_shipped_as_files_where_alembic_looks() -> None:
    shipped = {(path.name, folder) for path, folder in data_files(ROOT)}
    versions = sorted((ROOT / "homeassess" / "db" / "migrations" / "versions").glob("*.py"))
    assert versions
    for script in versions:
        assert (script.name, "homeassess/db/migrations/versions") in shipped
    assert ("env.py", "homeassess/db/migrations") in shipped
    assert ("script.py.mako", "homeassess/db/migrations") in shipped


def test_resources_land_where_their_package_is_imported_from() -> None:
    folders = {folder for _path, folder in data_files(ROOT)}
    assert "homeassess/resources/fonts" in folders   # the source folder is resources/, the package homeassess.resources
    assert not any(folder.startswith("resources") for folder in folders)


def test_the_spec_takes_its_files_and_modules_from_the_shared_list() -> None:
    spec = (ROOT / "packaging" / "homeassess.spec").read_text(encoding="utf-8")
    assert "data_files(ROOT)" in spec and "stage(" in spec and 'collect_submodules("homeassess")' in spec


def test_freeze_support_runs_before_anything_reads_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    class WorkerRun(Exception):
        pass

    def freeze_support() -> None:   # what it does in a spawned worker of a built app: run the worker, exit
        calls.append("freeze_support")
        raise WorkerRun

    import homeassess.cli

    monkeypatch.setattr(multiprocessing, "freeze_support", freeze_support)
    monkeypatch.setattr(homeassess.cli, "build_parser", lambda: calls.append("parse") or pytest.fail("parsed"))
    with pytest.raises(WorkerRun):
        app.main(["--multiprocessing-fork", "tracker_fd=5", "pipe_handle=7"])
    assert calls == ["freeze_support"]


def test_a_windowed_app_with_no_streams_gets_harmless_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    app._give_windowed_app_streams()
    print("goes nowhere")   # would raise AttributeError on None
    sys.stderr.write("nor this\n")
    sys.stdout.close()
    sys.stderr.close()
