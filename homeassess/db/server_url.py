"""Team-server addresses: which URLs are accepted, how they are shown, and where a password goes.

A URL is a SQLAlchemy URL for PostgreSQL through psycopg 3. libpq settings in its query pass through
untouched (``sslmode=verify-full&sslrootcert=/path/ca.pem``, ``host=/run/postgresql`` for a socket,
``connect_timeout=5``). The password is never kept with the URL: it lives in the OS keyring, or in
libpq's own ``~/.pgpass``, or is asked for each time.
"""

from __future__ import annotations

from urllib.parse import unquote

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from homeassess.domain.errors import HomeAssessError

ENV_DATABASE_URL = "HOMEASSESS_DATABASE_URL"
DRIVER = "postgresql+psycopg"


class ServerUrlError(HomeAssessError):
    """A team-server address that cannot be used."""


def parse(text: str) -> URL:
    """The URL with the psycopg 3 driver; ``ServerUrlError`` for anything but PostgreSQL."""
    text = (text or "").strip()
    if not text:
        raise ServerUrlError("no team server address was given")
    try:
        url = make_url(text)
    except ArgumentError:
        raise ServerUrlError("the team server address is not a database URL "
                             "(expected postgresql://user@host/database)") from None
    backend, _, driver = url.drivername.partition("+")
    if backend not in ("postgresql", "postgres"):
        raise ServerUrlError(f"a team server must be PostgreSQL (postgresql://…), not {backend}")
    if driver not in ("psycopg", "psycopg2", ""):   # psycopg2 URLs are accepted and run on psycopg 3
        raise ServerUrlError(f"HomeAssess talks to PostgreSQL through psycopg 3, not {driver}")
    if not url.database:
        raise ServerUrlError("the team server address names no database (…/database at its end)")
    return url.set(drivername=DRIVER)


def without_password(url: URL) -> URL:
    return URL.create(url.drivername, username=url.username, host=url.host, port=url.port, database=url.database,
                      query=url.query)


def shown(url: URL) -> str:
    """For screens, logs and settings: never the password; readable (``?host=/run/postgresql``, not
    ``%2Frun%2Fpostgresql``) and still an address ``parse`` takes back."""
    text = unquote(without_password(url).render_as_string(hide_password=True))
    return text.replace(f"{DRIVER}://", "postgresql://", 1)


def keyring_name(url: URL) -> str:
    """The keyring entry a password is kept under: one per user, server and database."""
    host = url.host or url.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = host[0]
    return f"{url.username or ''}@{host}:{url.port or 5432}/{url.database}"
