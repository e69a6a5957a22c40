"""Team-server passwords in the operating system's keyring (``keyring``): never in the data folder.

Where no keyring is available (a bare Linux session, CI), nothing is stored: the password is asked
for each time, or libpq finds it in ``~/.pgpass``."""

from __future__ import annotations

import logging

SERVICE = "HomeAssess team server"
log = logging.getLogger(__name__)


def _keyring():   # type: ignore[no-untyped-def]
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        return keyring
    except Exception:   # noqa: BLE001 - a broken keyring backend must not stop the app
        log.warning("no keyring available", exc_info=True)
        return None


def available() -> bool:
    return _keyring() is not None


def saved_password(name: str) -> str | None:
    ring = _keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(SERVICE, name)
    except Exception:   # noqa: BLE001 - locked or broken keyring: ask instead
        log.warning("keyring read failed", exc_info=True)
        return None


def save_password(name: str, password: str) -> bool:
    """True when the keyring took it; False when there is none (then ask each time)."""
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(SERVICE, name, password)
        return True
    except Exception:   # noqa: BLE001
        log.warning("keyring write failed", exc_info=True)
        return False


def forget_password(name: str) -> None:
    ring = _keyring()
    if ring is None:
        return
    try:
        ring.delete_password(SERVICE, name)
    except Exception:   # noqa: BLE001 - nothing saved is fine
        pass
