"""Build HomeAssess as a self-contained app (PyInstaller, one folder) and check it works.

    .venv/bin/pip install -e ".[build]"
    .venv/bin/python scripts/build_app.py [--self-test] [--dist DIR] [--work DIR]

Makes ``dist/HomeAssess/`` (``dist/HomeAssess.app`` on macOS) from ``packaging/homeassess.spec``; on
Linux also ``dist/HomeAssess-<version>-linux-<machine>.tar.gz``. ``--self-test`` then runs the built
app's ``--self-test`` (on Linux from a copy unpacked from the archive into a fresh folder, so the
archive is checked whole and in a place it was not built in) and fails when it fails. The Windows
installer and the macOS disk image are made by ``docs/packaging.md``'s steps, in CI by
``.github/workflows/build-app.yml``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "homeassess.spec"
SELF_TEST_TIMEOUT = 600   # seconds; it takes about 30 on a 2-core VM


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's working folder (default: build/pyinstaller/)")
    parser.add_argument("--self-test", action="store_true", help="run the built app's --self-test afterwards")
    args = parser.parse_args(argv)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print('error: PyInstaller is not installed: .venv/bin/pip install -e ".[build]"', file=sys.stderr)
        return 2
    started = time.perf_counter()
    if sys.platform == "win32":
        _windows_icon(ROOT / "build" / "homeassess.ico")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(args.dist), "--workpath", str(args.work), str(SPEC)], check=True)
    app = args.dist / ("HomeAssess.app" if sys.platform == "darwin" else "HomeAssess")
    print(f"built {app} ({_size_mb(app):.0f} MB) in {time.perf_counter() - started:.0f} s")
    archive = _archive(args.dist / "HomeAssess") if sys.platform.startswith("linux") else None
    if archive is not None:
        print(f"archived {archive} ({archive.stat().st_size / 2**20:.0f} MB)")
    if not args.self_test:
        return 0
    if archive is not None:
        with tempfile.TemporaryDirectory(prefix="homeassess-unpacked-") as unpacked:
            with tarfile.open(archive) as tar:
                tar.extractall(unpacked, filter="tar")
            return _self_test(_cli(Path(unpacked) / "HomeAssess"))
    return _self_test(_cli(app))


def _cli(app: Path) -> Path:
    """The built command-line executable inside ``app`` (see the spec's table)."""
    if sys.platform == "win32":
        return app / "homeassess-cli.exe"
    if sys.platform == "darwin":
        return app / "Contents" / "MacOS" / "homeassess-cli"
    return app / "homeassess"


def _self_test(executable: Path) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Not from the repository: a bundle that only works beside the sources would pass otherwise.
    with tempfile.TemporaryDirectory(prefix="homeassess-self-test-cwd-") as cwd:
        for name in ("PYTHONPATH", "PYTHONHOME", "HOMEASSESS_DATA_DIR"):
            env.pop(name, None)
        result = subprocess.run([str(executable), "--self-test"], cwd=cwd, env=env, timeout=SELF_TEST_TIMEOUT)
    if result.returncode != 0:
        print(f"error: the built app's self-test failed (exit {result.returncode})", file=sys.stderr)
    return result.returncode


def _archive(folder: Path) -> Path:
    """``HomeAssess-<version>-linux-<machine>.tar.gz`` beside ``folder``, holding ``HomeAssess/``."""
    version = _version()
    target = folder.parent / f"HomeAssess-{version}-linux-{platform.machine()}.tar.gz"
    partial = target.with_name(target.name + ".part")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname="HomeAssess")
    partial.replace(target)
    return target


def _windows_icon(target: Path) -> None:
    """The installer's icon (packaging/windows/homeassess.iss): Inno Setup reads .ico only."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(ROOT / "resources" / "icons" / "homeassess-256.png") as mark:
        mark.save(target, sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


def _version() -> str:
    sys.path.insert(0, str(ROOT))
    from homeassess import __version__

    return __version__


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except subprocess.CalledProcessError as exc:
        print(f"error: {' '.join(map(str, exc.cmd[:3]))} … failed (exit {exc.returncode})", file=sys.stderr)
        raise SystemExit(1) from None
