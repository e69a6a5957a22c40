"""Layer rules from DESIGN §3 / STYLE §5.1, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "homeassess"


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(sub: str = "") -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


def test_qt_is_imported_only_in_the_ui_and_app() -> None:
    for path in modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("ui/") or rel == "app.py":
            continue
        assert not any(top(n) in {"PySide6", "shiboken6"} for n in imports_of(path)), f"{rel} imports Qt"


def test_domain_uses_only_the_standard_library_and_itself() -> None:
    for path in modules("domain"):
        for name in imports_of(path):
            if name.startswith("homeassess"):
                assert name.startswith("homeassess.domain"), f"{path.name} imports {name}"
            else:
                assert top(name) not in {"sqlalchemy", "reportlab", "PIL", "PySide6", "alembic"}, f"{path.name}: {name}"


@pytest.mark.parametrize("layer", ["reports", "checklists"])
def test_reports_and_checklists_do_not_touch_the_database(layer: str) -> None:
    for path in modules(layer):
        for name in imports_of(path):
            assert top(name) != "sqlalchemy" and not name.startswith(("homeassess.db", "homeassess.services")), \
                f"{path.name} imports {name}"


def test_ui_never_imports_the_database_or_reportlab() -> None:
    for path in modules("ui"):
        for name in imports_of(path):
            assert top(name) not in {"sqlalchemy", "reportlab"} and not name.startswith("homeassess.db"), \
                f"{path.name} imports {name}"


def test_ui_never_imports_the_photo_store_or_pillow() -> None:
    """Ensure every photo file is made and removed behind the services (so the sweep, erasure and
    backups see it) and no photo is decoded or encoded by Pillow in the UI."""
    for path in modules("ui"):
        for name in imports_of(path):
            assert not name.startswith("homeassess.storage") and top(name) != "PIL", f"{path.name} imports {name}"
