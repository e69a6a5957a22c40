"""Client search and the client list at scale (issue 16: a team server with 50,000 clients).

Fills a fresh PostgreSQL database and a SQLite file with 50,000 clients each (bulk insert; varied
names from several languages, many with accents, and addresses), then reports, on each:
  1. median and p95 of ``search_clients`` (the first page of 200) for one word, two words, a rare
     name, a common prefix, a name typed without its accents and no match           target < 50 ms
  2. the same for the first page of the unfiltered list, a page 10,000 rows in (keyset) and
     ``count_clients`` for each query (what a "N clients" label would cost)
and, on a SQLite file with 10,000 clients:
  3. the time to open the client list screen (widgets, its model's first page, the first client's
     visits, first paint), the model's first page alone, and a search typed and cleared in it,
     against loading every client as the list did before

The PostgreSQL server: ``--database-url`` or HOMEASSESS_TEST_DATABASE_URL (``scripts/test-postgres
start`` prints one). The benchmark creates its own database there and drops it afterwards; without a
server it measures SQLite only.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/client_search.py [--clients 50000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENV_URL = "HOMEASSESS_TEST_DATABASE_URL"
GIVEN = ("Mary", "Margaret", "Maria", "Martin", "Mark", "John", "James", "David", "Peter", "Susan", "Elizabeth",
         "Patricia", "Barbara", "Robert", "William", "Thomas", "Joan", "Dorothy", "Jean", "Ann", "Anne", "Eileen",
         "Brian", "Kenneth", "Gwen", "Rhys", "Siân", "Dafydd", "Ffion", "Aoife", "Niamh", "Seán", "Zoë", "Chloé",
         "Renée", "Noémie", "François", "José", "Íñigo", "Ana", "Lucía", "Sofía", "Łukasz", "Małgorzata",
         "Agnieszka", "Wojciech", "Søren", "Bjørn", "Åsa", "Björn", "Jürgen", "Günter", "Thảo", "Minh", "Huệ",
         "Wei", "Mei", "Priya", "Aarav", "Fatima", "Mohammed", "Aisha", "Omar", "Mārama", "Tāne", "Aroha",
         "Ngaio", "Olwen", "Bronwen", "Heather", "Ian", "Graham", "Derek", "Pauline", "Rita", "Hilda", "Edna",
         "Kathleen", "Colin", "Alan", "Shirley", "Sandra", "Irene", "Doreen", "Arthur", "Ernest", "Stanley")
FAMILY = ("Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Thomas", "Roberts",
          "Johnson", "Lewis", "Walker", "Robinson", "Wood", "Thompson", "White", "Watson", "Jackson", "Wright",
          "Green", "Harris", "Cooper", "King", "Lee", "Martin", "Clarke", "James", "Morgan", "Hughes", "Edwards",
          "Hill", "Moore", "Clark", "Harrison", "Scott", "Young", "Morris", "Hall", "Ward", "Turner", "Carter",
          "Phillips", "Mitchell", "Patel", "Khan", "Singh", "Ahmed", "Ali", "Nguyễn", "Trần", "Lê", "Phạm",
          "Wang", "Li", "Zhang", "Chen", "Liu", "Kowalski", "Nowak", "Wróbel", "Wiśniewski", "Dąbrowski",
          "García", "Fernández", "López", "Martínez", "Nuñez", "Pérez", "Sánchez", "Müller", "Schröder", "Weiß",
          "Ångström", "Öberg", "Søndergaard", "Østergaard", "O'Brien", "O’Connor", "Ó Briain", "MacDonald",
          "McLeod", "Ní Bhriain", "van der Berg", "De Souza", "Ngata", "Te Whare", "Papadopoulos", "Çelik",
          "Yılmaz", "Kovačević", "Dvořák", "Novák", "Horváth", "Nagy", "Rossi", "Bianchi", "Ferrari", "Dubois",
          "Lefèvre", "Girard", "Brontë", "Hernández-Ruiz", "Smith-Jones", "Ångström-Nuñez", "Pryce", "Llewellyn")
STREETS = ("Larch", "Mill", "Church", "High", "Station", "Victoria", "Manor", "Park", "Queen's", "Kingsway",
           "Ffordd y Môr", "Heol Llan", "Orchard", "Chapel", "Meadow", "Windsor", "Albert", "Grange", "Beech",
           "Hawthorn", "Rowan", "Willow", "Kōwhai", "Tōtara", "Rue de l'Église", "Calle Mayor", "Ulica Długa")
KINDS = ("Road", "Lane", "Street", "Grove", "Close", "Avenue", "Crescent", "Way", "Drive", "Court", "Terrace")
TOWNS = ("Cardiff", "Swansea", "Bristol", "Leeds", "York", "Aberystwyth", "Llandudno", "Bangor", "Ystradgynlais",
         "Machynlleth", "Dunedin", "Wellington", "Whangārei", "Ōtautahi", "Brisbane", "Hobart", "Perth", "Galway")
RARE = ("Quetzalli", "Ixchel-Ångström")   # exactly one client has this name
QUERIES = {
    "one_word": "nowak",
    "two_words": "mary mill",
    "rare_name": "quetzalli",
    "common_prefix": "ma",
    "without_accents": "angstrom nunez",
    "no_match": "zzyzx",
    "unfiltered": "",
}


# -- the workload -----------------------------------------------------------------------------
def client_rows(n: int, seed: int = 16) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    now = datetime(2026, 12, 1, 9, 0)
    rows = []
    for i in range(n):
        given, family = (RARE if i == n // 2 else (rng.choice(GIVEN), rng.choice(FAMILY)))
        address = (f"{rng.randint(1, 240)} {rng.choice(STREETS)} {rng.choice(KINDS)}\n{rng.choice(TOWNS)} "
                   f"{rng.choice('CFLSNB')}{rng.choice('ABDEFGHJ')}{rng.randint(1, 99)} "
                   f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")
        born = date(1925, 1, 1) + timedelta(days=rng.randint(0, 365 * 80)) if rng.random() < 0.9 else None
        rows.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "given_name": given,
                     "family_name": family, "address": address, "date_of_birth": born, "created_at": now,
                     "updated_at": now, "version": 1, "identifiers": {}, "conditions": [], "precautions": [],
                     "contacts": [], "behaviours": [], "symptoms": [], "equipment": []})
    return rows


def fill(ctx: Any, n: int, *, batch: int = 5000) -> float:
    """Bulk insert ``n`` clients and their search rows (SQLAlchemy Core, as a data import would); seconds."""
    from sqlalchemy import insert

    from homeassess.db import models as m

    rows = client_rows(n)
    started = time.perf_counter()
    with ctx.engine.begin() as conn:
        for start in range(0, n, batch):
            part = rows[start:start + batch]
            conn.execute(insert(m.Client.__table__), part)
            conn.execute(insert(m.ClientSearch.__table__), [
                {"client_id": r["id"], **m.client_search_values(r["given_name"], r["family_name"], r["address"])}
                for r in part])
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE client")
            conn.exec_driver_sql("ANALYZE client_search")
        else:
            conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


# -- measuring ----------------------------------------------------------------------------------
def timed(work: Callable[[], Any], repeat: int) -> dict[str, float]:
    work()   # warm: the first run pays for connecting and the statement cache
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        work()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 2)}


def searches(ctx: Any, repeat: int) -> dict[str, Any]:
    from homeassess.services import clients as C

    out: dict[str, Any] = {}
    for name, query in QUERIES.items():
        page = C.search_clients(ctx, query)
        out[name] = {"query": query, "first_page_rows": len(page.clients), "matches": C.count_clients(ctx, query),
                     **timed(lambda q=query: C.search_clients(ctx, q), repeat),
                     "count": timed(lambda q=query: C.count_clients(ctx, q), repeat)}
    after, walked = None, 0
    while walked < 10_000:   # the cursor of the row 10,000 in
        page = C.search_clients(ctx, "", after=after)
        after, walked = page.after, walked + len(page.clients)
    out["page_10000_rows_in"] = timed(lambda: C.search_clients(ctx, "", after=after), repeat)
    return out


def explain(ctx: Any) -> dict[str, str]:
    """PostgreSQL's plan for each query (``--explain``): which index it used."""
    from sqlalchemy import select

    from homeassess.services import clients as C

    plans = {}
    with ctx.engine.connect() as conn:
        for name, query in QUERIES.items():
            folded = C.m.ClientSearch
            order = (folded.family_key, folded.given_key, folded.client_id)
            statement = (select(C.m.Client.id, *order).select_from(C.m.Client)
                         .join(folded, folded.client_id == C.m.Client.id)
                         .where(*C._kept(include_archived=False, deleted=False), *C._words(query)))
            compiled = statement.order_by(*order).limit(201).compile(conn, compile_kwargs={"literal_binds": True})
            plans[name] = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN ANALYZE {compiled}"))
    return plans


def on_postgresql(url: str, n: int, repeat: int, workdir: Path, show_plans: bool) -> dict[str, Any]:
    import sqlalchemy as sa

    from homeassess.services.context import open_context

    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"homeassess_bench_{os.getpid()}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        target = sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)
        ctx = open_context(workdir / "pg-cache", database_url=target)
        try:
            result = {"clients": n, "fill_seconds": round(fill(ctx, n), 1), **searches(ctx, repeat)}
            if show_plans:
                result["plans"] = explain(ctx)
        finally:
            ctx.close()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
    return result


def on_sqlite(n: int, repeat: int, workdir: Path) -> dict[str, Any]:
    from homeassess.services.context import open_context

    ctx = open_context(workdir / f"sqlite-{n}")
    return {"clients": n, "fill_seconds": round(fill(ctx, n), 1), **searches(ctx, repeat)}


def legacy_full_load(ctx: Any) -> int:
    """What the list did before: every live client loaded as an ORM object, sorted by lower()."""
    from sqlalchemy import func, select

    from homeassess.db import models as m

    with ctx.uow(read_only=True) as uow:
        rows = uow.session.scalars(select(m.Client).where(m.Client.deleted_at.is_(None))
                                   .order_by(func.lower(m.Client.family_name), func.lower(m.Client.given_name))).all()
        return len([(r.id, f"{r.given_name} {r.family_name}", r.date_of_birth, r.address) for r in rows])


def client_list_screen(n: int, repeat: int, workdir: Path) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from homeassess.services.context import open_context
    from homeassess.ui.screens.client_list import ClientListScreen
    from homeassess.ui.session import Session
    from homeassess.ui.tasks import SynchronousTaskRunner

    app = QApplication.instance() or QApplication([])
    ctx = open_context(workdir / f"sqlite-ui-{n}")
    fill(ctx, n)
    session = Session(ctx, SynchronousTaskRunner())
    session.show_dialogs = False
    screens: list[ClientListScreen] = []

    def open_screen() -> None:
        screen = ClientListScreen(session)
        screen.resize(1366, 768)
        screen.show()
        app.processEvents()   # the view lays out and asks for more rows if the first page does not fill it
        screens.append(screen)

    opened = timed(open_screen, repeat)
    screen = screens[-1]
    loaded = screen.model.rowCount()
    first_page = timed(lambda: screen.model.set_query(), repeat)   # the model alone: its first page again

    def search() -> None:   # typed, then cleared (without waiting for the pause in typing)
        for typed in ("mary", ""):
            screen.search.setText(typed)
            screen.apply_search()

    searched = timed(search, repeat)
    for s in screens:
        s.close()
        s.deleteLater()
    app.processEvents()
    return {"clients": n, "open_screen": opened, "rows_loaded_at_open": loaded, "model_first_page": first_page,
            "search_and_clear": searched, "legacy_full_load": timed(lambda: legacy_full_load(ctx), max(3, repeat // 5))}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(ENV_URL, ""),
                        help=f"a PostgreSQL server's URL (default: ${ENV_URL}); empty: SQLite only")
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--ui-clients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="add PostgreSQL's query plans")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="homeassess-bench-search-"))
    results: dict[str, Any] = {}
    if args.database_url:
        results["postgresql"] = on_postgresql(args.database_url, args.clients, args.repeat, workdir, args.explain)
    results["sqlite"] = on_sqlite(args.clients, args.repeat, workdir)
    results["client_list_screen_sqlite"] = client_list_screen(args.ui_clients, max(5, args.repeat // 3), workdir)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(0)   # as photo_import.py: skip Qt's teardown at exit, the figures are printed
