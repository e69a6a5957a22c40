"""Team-server addresses: PostgreSQL only, shown without password, TLS settings passed through."""

from __future__ import annotations

import pytest

from homeassess.db.server_url import ServerUrlError, keyring_name, parse, shown


@pytest.mark.parametrize("text", ["postgresql://sam:pw@db.example.org/team", "postgres://sam@db/team",
                                  "postgresql+psycopg2://sam@db/team", "postgresql+psycopg://sam@db/team"])
def test_postgresql_urls_run_on_psycopg_3(text: str) -> None:
    assert parse(text).drivername == "postgresql+psycopg"


@pytest.mark.parametrize("text, words", [
    ("", "no team server address"), ("sqlite:///x.db", "must be PostgreSQL"), ("mysql://a@b/c", "must be PostgreSQL"),
    ("postgresql://db.example.org/", "names no database"), ("just words", "not a database URL"),
    ("postgresql+asyncpg://a@b/c", "psycopg 3"),
])
def test_other_addresses_are_refused_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(ServerUrlError, match=words):
        parse(text)


def test_the_password_is_never_shown_and_tls_settings_pass_through() -> None:
    url = parse("postgresql://sam:s3cret@db.example.org:5433/team?sslmode=verify-full&sslrootcert=/etc/ca.pem")
    text = shown(url)
    assert "s3cret" not in text and "***" not in text
    assert text == "postgresql://sam@db.example.org:5433/team?sslmode=verify-full&sslrootcert=/etc/ca.pem"
    again = parse(text)
    assert dict(again.query) == {"sslmode": "verify-full", "sslrootcert": "/etc/ca.pem"} and again.password is None
    assert keyring_name(url) == "sam@db.example.org:5433/team"


def test_a_socket_folder_reads_as_a_path() -> None:
    assert shown(parse("postgresql://postgres@/team?host=/run/postgresql")) == \
        "postgresql://postgres@/team?host=/run/postgresql"
