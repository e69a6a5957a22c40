"""``python -m homeassess`` behaves the same as ``homeassess``."""

from homeassess.app import main

# The guard matters: photo import uses spawned worker processes, which re-import __main__.
if __name__ == "__main__":
    raise SystemExit(main())
