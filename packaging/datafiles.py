"""What a built HomeAssess must carry besides its Python modules, read from pyproject.toml.

The package's data files (checklists, catalogue, migrations, fonts, icons) are declared once, in
pyproject.toml's ``[tool.setuptools.package-data]``, for pip. The PyInstaller spec and the tests
take the same list from here, so a file added for pip is in the built app too. The Alembic
migration scripts are *data* here as well: Alembic reads them from a folder by path, which a
frozen app's module archive is not.

The source tree is not laid out as an installed package (``homeassess.resources`` is the top-level
``resources/`` folder, mapped by pyproject), so ``stage`` lays it out as pip installs it and the
build analyses that copy. Plain Python (no PyInstaller import), so the tests can use it without PyInstaller installed.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setuptools(root: Path) -> dict:
    with (root / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]


def package_source(package: str, root: Path = ROOT) -> Path:
    """The source folder of ``package`` (``homeassess.resources`` is the top-level ``resources/``)."""
    mapped = _setuptools(root).get("package-dir", {})
    return root / mapped.get(package, package.replace(".", "/"))


def data_files(root: Path = ROOT) -> list[tuple[Path, str]]:
    """(file, folder inside the bundle) for every data file pip installs, sorted; the folder is the
    package's import path (``homeassess/resources/fonts``), where importlib.resources finds it."""
    found: set[tuple[Path, str]] = set()
    for package, patterns in _setuptools(root)["package-data"].items():
        source = package_source(package, root)
        target = Path(*package.split("."))
        for pattern in patterns:
            for path in source.glob(pattern):
                if path.is_file() and "__pycache__" not in path.parts:
                    found.add((path, (target / path.parent.relative_to(source)).as_posix()))
    return sorted(found)


def packages(root: Path = ROOT) -> list[str]:
    """Every package pip installs (pyproject lists them: see its comment)."""
    return list(_setuptools(root)["packages"])


def stage(dest: Path, root: Path = ROOT) -> Path:
    """Lay the package out in ``dest`` as pip installs it: each package's modules (``*.py``, not
    its sub-folders') and its data files; ``dest`` is replaced. Returns ``dest``, the folder to
    put first on ``sys.path``."""
    if dest.exists():
        shutil.rmtree(dest)
    for package in packages(root):
        target = dest.joinpath(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for module in package_source(package, root).glob("*.py"):
            shutil.copy2(module, target / module.name)
    for path, folder in data_files(root):
        (dest / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest / folder / path.name)
    return dest
