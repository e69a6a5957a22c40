"""Bundled runtime assets, read through importlib.resources.

This folder is the repository's top-level ``resources/``; pyproject.toml installs it as the package
``homeassess.resources`` (editable or not). ``fonts/``: DejaVu Sans (reports, photo labels) and Noto Emoji
(fallback for emoji and symbols), each with its licence. ``icons/``: the HomeAssess mark (window icon,
report band when Settings has no logo) and the script that draws it. ``demo_supplier.csv``: the demo catalogue.
"""

from __future__ import annotations

from importlib import resources

ICON_SIZES = (64, 256)


def icon_path(size: int = 256) -> str:
    """File path of the HomeAssess mark, ``size`` pixels square (64 or 256)."""
    if size not in ICON_SIZES:
        raise ValueError(f"the mark is bundled at {ICON_SIZES} pixels, not {size}")
    # Installed packages are folders on disk (wheels are unpacked), so the path can be handed to Qt and ReportLab.
    return str(resources.files(__name__) / "icons" / f"homeassess-{size}.png")
