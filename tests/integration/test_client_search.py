"""The client search (issue 16): the same answers on the laptop's SQLite file and on a team's PostgreSQL
server, whatever the case or accents typed, in a stable order a page at a time."""

from __future__ import annotations

import importlib.util
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, text

from homeassess.db import models as m
from homeassess.db.migrate import migrate
from homeassess.services import clients as C
from homeassess.services import erasure as E
from homeassess.services.context import AppContext

MIGRATION = Path(m.__file__).parent / "migrations" / "versions" / "0012_client_search.py"


def add(ctx: AppContext, given: str, family: str, address: str = "") -> str:
    client, _ = C.create_client(ctx, given_name=given, family_name=family, address=address, allow_duplicate=True)
    return client.id


def bulk(ctx: AppContext, names: list[tuple[str, str]]) -> None:
    """Many clients at once (SQLAlchemy Core, with their search rows, as bench/client_search.py loads)."""
    now = datetime(2026, 3, 10, 10, 30)
    rows = [{"id": str(uuid.uuid4()), "given_name": given, "family_name": family, "address": f"{n} High Street",
             "created_at": now, "updated_at": now} for n, (given, family) in enumerate(names)]
    with ctx.engine.begin() as conn:
        conn.execute(insert(m.Client.__table__), rows)
        conn.execute(insert(m.ClientSearch.__table__), [
            {"client_id": r["id"], **m.client_search_values(r["given_name"], r["family_name"], r["address"])}
            for r in rows])


def names(ctx: AppContext, search: str = "", **kwargs: bool) -> list[str]:
    return [c.display_name for c in C.search_clients(ctx, search, limit=None, **kwargs).clients]


@pytest.fixture
def three(any_ctx: AppContext) -> AppContext:
    add(any_ctx, "Zoë", "Ångström-Nuñez", "14 Larch Grove\nCardiff")
    add(any_ctx, "Łukasz", "Wróbel", "2 Mill Lane")
    add(any_ctx, "Mary", "Mill", "5 High Street")
    return any_ctx


def test_every_word_must_match_a_name_or_the_address(three: AppContext) -> None:
    assert names(three, "mill") == ["Mary Mill", "Łukasz Wróbel"]
    assert names(three, "mary mill") == ["Mary Mill"]
    assert names(three, "  LARCH   zoë ") == ["Zoë Ångström-Nuñez"]
    assert names(three, "cardiff grove") == ["Zoë Ångström-Nuñez"]   # the address's lines are one text
    assert names(three, "mill larch") == []
    assert names(three, "ill") == ["Mary Mill", "Łukasz Wróbel"]     # any part of a word, as before
    assert names(three, "%") == names(three, "_") == []              # wildcards are plain characters
    assert C.list_clients(three, "mill") == list(C.search_clients(three, "mill").clients)


def test_any_case_with_or_without_accents_finds_the_client(three: AppContext) -> None:
    for typed in ("ÅNGSTRÖM", "ångström", "angstrom", "NUÑEZ", "nunez", "ZOË", "zoe", "ström-nu"):
        assert names(three, typed) == ["Zoë Ångström-Nuñez"], typed
    assert names(three, "LUKASZ wrobel") == names(three, "łukasz WRÓBEL") == ["Łukasz Wróbel"]
    add(three, "Søren", "Østergaard")
    add(three, "Siobhán", "O’Brien")
    assert names(three, "soren ostergaard") == ["Søren Østergaard"]
    assert names(three, "o'brien") == names(three, "O’BRIEN") == ["Siobhán O’Brien"]


def test_the_list_is_by_family_then_given_name_accents_folded(any_ctx: AppContext) -> None:
    bulk(any_ctx, [("Zoë", "Ångström"), ("Bob", "zimmer"), ("Ann", "Öberg"), ("Amy", "adams"), ("Ceri", "Adams"),
                   ("Ben", "Adams-Lee")])
    assert names(any_ctx) == ["Amy adams", "Ceri Adams", "Ben Adams-Lee", "Zoë Ångström", "Ann Öberg", "Bob zimmer"]


def test_pages_follow_on_in_a_stable_order_without_gaps_or_repeats(any_ctx: AppContext) -> None:
    bulk(any_ctx, [("John", "Smith")] * 150 + [(f"Given{n:03d}", f"Family{n % 7}") for n in range(300)])
    whole = C.search_clients(any_ctx, limit=None).clients
    seen, after, pages = [], None, 0
    while True:
        page = C.search_clients(any_ctx, after=after, limit=100)
        seen += page.clients
        pages, after = pages + 1, page.after
        if after is None:
            break
    assert pages == 5 and seen == list(whole) and len({c.id for c in seen}) == 450
    assert C.count_clients(any_ctx) == 450 and C.count_clients(any_ctx, "john smith") == 150
    smiths = C.search_clients(any_ctx, "smith", limit=100)
    rest = C.search_clients(any_ctx, "smith", after=smiths.after, limit=100)
    assert len(smiths.clients) == 100 and len(rest.clients) == 50 and rest.after is None
    assert not {c.id for c in smiths.clients} & {c.id for c in rest.clients}
    assert list(smiths.clients + rest.clients) == [c for c in whole if c.display_name == "John Smith"]


def test_archived_clients_only_when_asked_for_deleted_ones_apart(three: AppContext) -> None:
    [mary] = C.search_clients(three, "mary").clients
    C.archive_client(three, mary.id)
    assert names(three, "mill") == ["Łukasz Wróbel"] and C.count_clients(three) == 2
    page = C.search_clients(three, "mill", include_archived=True)
    assert [c.display_name for c in page.clients] == ["Mary Mill", "Łukasz Wróbel"] and page.archived == {mary.id}
    assert C.count_clients(three, include_archived=True) == 3
    C.archive_client(three, mary.id, restore=True)
    assert names(three, "mill") == ["Mary Mill", "Łukasz Wróbel"]
    C.delete_client(three, mary.id)
    assert names(three, "mill") == ["Łukasz Wróbel"]
    assert names(three, "mill", include_archived=True) == ["Łukasz Wróbel"]
    assert names(three, "mill", deleted=True) == ["Mary Mill"] and C.count_clients(three, deleted=True) == 1
    C.delete_client(three, mary.id, restore=True)
    assert names(three, "mill", deleted=True) == [] and names(three, "mary") == ["Mary Mill"]
    with pytest.raises(C.DuplicateClientError):   # a same-named client is still found as a duplicate
        C.create_client(three, given_name="ZOË", family_name=" ångström-nuñez")
    C.create_client(three, given_name="Zoe", family_name="Angstrom-Nunez")   # spelt otherwise: another person


def search_row(ctx: AppContext, client_id: str) -> dict[str, str] | None:
    with ctx.uow(read_only=True) as uow:
        row = uow.session.get(m.ClientSearch, client_id)
        return None if row is None else {"family_key": row.family_key, "given_key": row.given_key, "text": row.text}


def test_the_search_row_follows_every_edit_of_the_names_and_address(three: AppContext) -> None:
    [lukasz] = C.search_clients(three, "łukasz").clients
    C.update_client(three, lukasz.id, family_name="NOWAK", address="9 Ørsted Way")
    assert names(three, "nowak orsted") == ["Łukasz NOWAK"]
    assert names(three, "wróbel") == names(three, "mill lane") == []
    assert search_row(three, lukasz.id) == {"family_key": "nowak", "given_key": "lukasz",
                                            "text": "lukasz nowak 9 orsted way"}
    C.update_client(three, lukasz.id, phone="01234 567890")   # other fields leave the row as it is
    assert search_row(three, lukasz.id) == m.client_search_values("Łukasz", "NOWAK", "9 Ørsted Way")
    assert names(three) == ["Zoë Ångström-Nuñez", "Mary Mill", "Łukasz NOWAK"]   # moved to its new place
    [mary] = C.search_clients(three, "mary").clients
    with three.engine.begin() as conn:   # as erasure removes a client: the database cascades
        conn.execute(delete(m.Client.__table__).where(m.Client.__table__.c.id == mary.id))
    assert search_row(three, mary.id) is None and names(three) == ["Zoë Ångström-Nuñez", "Łukasz NOWAK"]


def test_erasing_a_client_erases_their_search_row(ctx: AppContext) -> None:
    mary = add(ctx, "Mary", "Mill", "5 High Street")
    E.erase_client(ctx, mary, by="Sam Patel")
    assert search_row(ctx, mary) is None and names(ctx, "mill") == []


def test_the_migration_fills_in_the_clients_already_recorded(three: AppContext) -> None:
    before = {c.id: search_row(three, c.id) for c in C.search_clients(three).clients}
    migrate(three.engine, "0011", down=True)
    with three.engine.connect() as conn:
        assert "client_search" not in {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'table'" if conn.dialect.name == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))}
    migrate(three.engine, "head")
    assert {c.id: search_row(three, c.id) for c in C.search_clients(three).clients} == before
    assert len(before) == 3
    if three.engine.dialect.name == "postgresql":   # SQLite has none: it walks the list-order index
        with three.engine.connect() as conn:
            found = conn.execute(select(text("indexdef")).select_from(text("pg_indexes"))
                                 .where(text("indexname = :name")), {"name": m.TRIGRAM_INDEX}).scalar()
        assert found is not None and "gin_trgm_ops" in found


def test_the_migration_folds_as_the_app_does() -> None:
    spec = importlib.util.spec_from_file_location("migration_0012", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for sample in ("Zoë  ÅNGSTRÖM-Nuñez", "Łukasz Wróbel", "Søren Ærø", "Straße", "O’Brien", "İstanbul",
                   "Đặng Thị"):
        assert migration.fold(sample) == m.fold(sample)
