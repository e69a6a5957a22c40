"""Content authors' validator: ``python -m homeassess.checklists validate [FILE...]``."""

from __future__ import annotations

import sys
from pathlib import Path

from homeassess.checklists.loader import is_library_file, load_files
from homeassess.checklists.registry import shipped_paths
from homeassess.domain.errors import ChecklistDefinitionError


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "validate":
        print("usage: python -m homeassess.checklists validate [FILE...]", file=sys.stderr)
        return 2
    checklists, libraries = shipped_paths()
    extra = [Path(a) for a in argv[1:]]
    if extra:
        given_libraries = {p for p in extra if is_library_file(p)}
        checklists = [p for p in extra if p not in given_libraries]
        libraries = sorted({p.resolve() for p in libraries} | {p.resolve() for p in given_libraries})
    try:
        data = load_files(checklists, libraries)
    except ChecklistDefinitionError as exc:
        print("\n".join(exc.problems))
        print(f"{len(exc.problems)} problem(s)")
        return 1
    items = sum(len(c.items) for c in data.checklists.values())
    print(f"ok: {len(data.checklists)} checklists, {items} items, {len(data.recommendations)} recommendations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
