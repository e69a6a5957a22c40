"""Who may change a data folder: the app holds it while open; commands that write hold it while they
run (the lock itself is in ``storage/lock.py``; the UI reaches it through here)."""

from __future__ import annotations

from homeassess.storage.lock import acquire, holding, is_held_here, release

__all__ = ["acquire", "holding", "is_held_here", "release"]
