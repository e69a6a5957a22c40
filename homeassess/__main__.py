"""``python -m homeassess`` behaves the same as ``homeassess``."""

from homeassess.app import main

raise SystemExit(main())
