"""Validate catalogue TOML files into ``CatalogueEntry`` objects.

Every problem is collected with its file and item and raised together as one
``CatalogueDefinitionError``, so a content author sees all of them in one run.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from homeassess.domain.catalogue import SIZING_KEYS, Catalogue, CatalogueEntry, Category, Trade
from homeassess.domain.errors import CatalogueDefinitionError
from homeassess.domain.profiles import StandardProfile

SCHEMA_VERSION = 1
FILE_NAME = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.toml$")
CODE = re.compile(r"^GEN-[A-Z]{3}-\d{3}$")
# ISO 9999 class and subclass ("09 33"), optionally the division ("09 33 03").
ISO9999 = re.compile(r"^\d{2} \d{2}( \d{2})?$")
ISO9999_CLASSES = frozenset({"04", "05", "06", "09", "12", "15", "18", "22", "24", "27", "28", "30"})
HCPCS = re.compile(r"^[A-Z]\d{4}$")
COST_KEYS = {"cost_us": StandardProfile.US, "cost_uk": StandardProfile.UK, "cost_au": StandardProfile.AU}
_FILE_KEYS = {"schema", "id", "version", "items"}
_ITEM_KEYS = {"code", "name", "category", "iso9999", "description", "sizes", "adjust_min_mm", "adjust_max_mm",
              "swl_kg", "hcpcs", "install", "trade", "for_recommendations", "sizing", "reference", *COST_KEYS}


def shipped_paths() -> list[Path]:
    folder = Path(str(resources.files("homeassess.catalogue") / "data"))
    return sorted(folder.glob("*.toml"))


def load_catalogue(paths: Iterable[Path] | None = None, *, recommendation_ids: set[str] | None = None) -> Catalogue:
    """Load and check catalogue files; ``recommendation_ids`` (when given) checks cross-references."""
    problems: list[str] = []
    catalogue = Catalogue()
    for path in (shipped_paths() if paths is None else list(paths)):
        for entry in _load_file(path, problems, recommendation_ids):
            if entry.code in catalogue.entries:
                problems.append(f"{path.name}: {entry.code}: code is used twice")
            catalogue.entries[entry.code] = entry
    if problems:
        raise CatalogueDefinitionError(problems)
    return catalogue


def _load_file(path: Path, problems: list[str], rec_ids: set[str] | None) -> list[CatalogueEntry]:
    def add(where: str, message: str) -> None:
        problems.append(f"{path.name}: {where}: {message}")

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        add("file", f"not valid TOML ({exc})")
        return []
    except OSError as exc:
        add("file", f"cannot be read ({exc.strerror})")
        return []
    for key in sorted(set(data) - _FILE_KEYS):
        add(key, "unknown key")
    if data.get("schema") != SCHEMA_VERSION:
        add("schema", f"must be {SCHEMA_VERSION}, got {data.get('schema')!r}")
    match = FILE_NAME.match(path.name)
    if not match:
        add("file", "name must be <id>.v<version>.toml")
    elif data.get("id") != match["id"] or data.get("version") != int(match["version"]):
        add("id", "id and version must match the file name")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        add("items", "must be a non-empty list of [[items]]")
        return []
    out = []
    seen: set[str] = set()
    for index, raw in enumerate(items):
        where = raw.get("code") if isinstance(raw, dict) and isinstance(raw.get("code"), str) else f"items[{index}]"
        if where in seen:
            add(where, "code is used twice")
        seen.add(where)
        before = len(problems)
        entry = _entry(raw, lambda message, w=where: add(w, message), rec_ids) if isinstance(raw, dict) else None
        if entry is not None and len(problems) == before:
            out.append(entry)
    return out


def _entry(raw: dict[str, Any], add: Any, rec_ids: set[str] | None) -> CatalogueEntry | None:
    for key in sorted(set(raw) - _ITEM_KEYS):
        add(f"unknown key {key!r}")
    text = {}
    for key in ("code", "name", "iso9999", "description", "sizes", "reference"):
        value = raw.get(key, "")
        if not isinstance(value, str) or not value.strip():
            add(f"{key} is required text")
            value = ""
        text[key] = value.strip()
    if text["code"] and not CODE.match(text["code"]):
        add(f"code {text['code']!r} must look like GEN-ABC-001")
    if len(text["name"]) > 80:
        add("name is longer than 80 characters")
    iso = text["iso9999"]
    if iso and (not ISO9999.match(iso) or iso[:2] not in ISO9999_CLASSES):
        add(f"iso9999 {iso!r} is not an ISO 9999 class such as '09 33' or '09 33 03'")
    category = _enum(Category, raw.get("category"), "category", add)
    trade = _enum(Trade, raw.get("trade"), "trade", add)
    install = raw.get("install")
    if install not in ("none", "fitted"):
        add(f"install must be 'none' or 'fitted', got {install!r}")
    costs = {}
    for key, region in COST_KEYS.items():
        value = raw.get(key)
        if (not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, int) and v >= 0 for v in value)
                or value[0] > value[1]):
            add(f"{key} must be [low, high], whole numbers, low ≤ high")
            continue
        costs[region] = (value[0], value[1])
    hcpcs = raw.get("hcpcs", "")
    if hcpcs and (not isinstance(hcpcs, str) or not HCPCS.match(hcpcs)):
        add(f"hcpcs {hcpcs!r} must look like E0244")
    swl = _number(raw, "swl_kg", add, low=20, high=500)
    low, high = _number(raw, "adjust_min_mm", add, low=0, high=3000), _number(raw, "adjust_max_mm", add, low=0, high=3000)
    if (low is None) != (high is None) or (low is not None and high is not None and low >= high):
        add("adjust_min_mm and adjust_max_mm go together, min below max")
    recs = raw.get("for_recommendations", [])
    if not isinstance(recs, list) or not all(isinstance(r, str) for r in recs):
        add("for_recommendations must be a list of recommendation ids")
        recs = []
    for rec in recs:
        if rec_ids is not None and rec not in rec_ids:
            add(f"for_recommendations: unknown recommendation {rec!r}")
    sizing = raw.get("sizing")
    if sizing is not None and sizing not in SIZING_KEYS:
        add(f"sizing {sizing!r} must be one of {', '.join(sorted(SIZING_KEYS))}")
    if category is None or trade is None or len(costs) != 3:
        return None
    return CatalogueEntry(
        code=text["code"], name=text["name"], category=category, iso9999=iso, description=text["description"],
        sizes=text["sizes"], costs=costs, install=install == "fitted", trade=trade, for_recommendations=tuple(recs),
        swl_kg=swl, hcpcs=hcpcs or "", adjust_min_mm=low, adjust_max_mm=high, sizing=sizing,
        reference=text["reference"])


def _enum(kind: Any, value: Any, key: str, add: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        add(f"{key} {value!r} must be one of {', '.join(k.value for k in kind)}")
        return None


def _number(raw: dict[str, Any], key: str, add: Any, *, low: float, high: float) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        add(f"{key} must be a number from {low:g} to {high:g}")
        return None
    return float(value)
