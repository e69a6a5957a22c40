"""Content authors' validator: ``python -m homeassess.catalogue validate [FILE...]``."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from homeassess.catalogue.loader import load_catalogue
from homeassess.checklists.registry import Registry
from homeassess.domain.errors import CatalogueDefinitionError


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "validate":
        print("usage: python -m homeassess.catalogue validate [FILE...]", file=sys.stderr)
        return 2
    rec_ids = set(Registry.load().data.recommendations)
    try:
        catalogue = load_catalogue([Path(a) for a in argv[1:]] or None, recommendation_ids=rec_ids)
    except CatalogueDefinitionError as exc:
        print("\n".join(exc.problems))
        print(f"{len(exc.problems)} problem(s)")
        return 1
    per = Counter(e.category.value for e in catalogue.entries.values())
    print(f"ok: {len(catalogue)} items (" + ", ".join(f"{k} {v}" for k, v in sorted(per.items())) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
