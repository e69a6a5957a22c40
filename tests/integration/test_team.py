"""Team mode against a real PostgreSQL server: two laptops (two data folders) check visits out, edit
them offline and check them in; holds are refused and released; client-profile edits merge field by
field; a check-in killed half way leaves the server unchanged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from homeassess.db import models as m
from homeassess.domain.errors import ConflictError
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import settings as S
from homeassess.services import team as T
from homeassess.services.context import AppContext, Clock, open_context
from homeassess.services.history import visit_history


def laptop(tmp_path: Path, name: str, url: str, registry, clock: Clock, therapist: str) -> AppContext:  # type: ignore[no-untyped-def]
    ctx = open_context(tmp_path / name, registry=registry, clock=clock)
    S.set_setting(ctx, "therapist.name", therapist)
    link = T.connect(ctx, url)
    assert link.server.startswith("postgresql://") and link.device_id
    return ctx


def seed(server: AppContext, family: str = "Okafor") -> tuple[str, str, str]:
    client, _ = C.create_client(server, given_name="Ada", family_name=family, phone="0123 456")
    visit, _ = A.create_assessment(server, client.id, standard="UK", therapist_name="Office")
    room, _ = A.add_room(server, visit.id, "bathroom")
    return client.id, visit.id, room.id


@pytest.fixture
def team(tmp_path: Path, pg_url: str, pg_ctx: AppContext, registry, clock: Clock):  # type: ignore[no-untyped-def]
    a = laptop(tmp_path, "laptop-a", pg_url, registry, clock, "Sam Patel")
    b = laptop(tmp_path, "laptop-b", pg_url, registry, clock, "Lee Chan")
    return pg_ctx, a, b


def test_two_laptops_check_out_edit_offline_and_check_in_one_visit_each(team) -> None:  # type: ignore[no-untyped-def]
    server, a, b = team
    _, visit_1, room_1 = seed(server, "Okafor")
    _, visit_2, room_2 = seed(server, "Nowak")
    T.checkout(a, assessment_id=visit_1)
    T.checkout(b, assessment_id=visit_2[:8])
    # Offline: each laptop edits its own copy.
    A.set_answer(a, room_1, "bathroom.rim_height", number=560)
    A.set_answer(b, room_2, "bathroom.handheld_shower", value="no")
    assert [v.state for v in T.local_visits(a)] == ["out"]
    assert T.local_visits(a)[0].changes >= 1
    # The server sees both visits read-only, with who holds them.
    held = {h.assessment_id: h for h in T.holds(server)}
    assert held[visit_1].holder == "Sam Patel" and held[visit_2].holder == "Lee Chan"
    with pytest.raises(ConflictError, match="checked out to Sam Patel"):
        A.set_answer(server, room_1, "bathroom.handheld_shower", value="yes")

    result_a = T.checkin(a)
    result_b = T.checkin(b)
    assert result_a.assessment_ids == (visit_1,) and result_b.assessment_ids == (visit_2,)
    assert A.room_answers(server, room_1)["bathroom.rim_height"].number == 560
    assert A.room_answers(server, room_2)["bathroom.handheld_shower"].value == "no"
    assert T.holds(server) == []
    # Checked in: the laptop's copy is read-only until checked out again; the server is editable.
    with pytest.raises(ConflictError, match="read-only on this laptop"):
        A.set_answer(a, room_1, "bathroom.rim_height", number=600)
    A.set_answer(server, room_1, "bathroom.handheld_shower", value="yes")
    # History on the server shows the check-out, the edit made on the laptop and the check-in.
    words = [e.what for e in visit_history(server, visit_1)]
    assert any(e.by == "Sam Patel" and "checked the visit out to the laptop" in e.what for e in visit_history(server, visit_1))
    assert any("checked the visit in" in w for w in words)
    # A second check-in has nothing to do.
    assert T.checkin(a).assessment_ids == ()


def test_a_hold_is_refused_then_a_lead_releases_a_stale_one(team) -> None:  # type: ignore[no-untyped-def]
    server, a, b = team
    _, visit, room = seed(server)
    T.checkout(a, assessment_id=visit)
    with pytest.raises(T.TeamError, match="checked out to Sam Patel"):
        T.checkout(b, assessment_id=visit)
    assert T.local_visits(b) == []
    with pytest.raises(T.TeamError, match="Say why"):
        T.release_hold(server, visit, reason="", by="Jo Lead")
    T.release_hold(server, visit, reason="Laptop left at the client's home", by="Jo Lead")
    words = [e.what for e in visit_history(server, visit)]
    assert any("released the hold of Sam Patel" in w and "Laptop left at the client's home" in w for w in words)
    # Now B can take it, and A's late check-in is refused without losing A's copy.
    T.checkout(b, assessment_id=visit)
    A.set_answer(a, room, "bathroom.rim_height", number=500)
    with pytest.raises(T.TeamError, match="checked out to Lee Chan"):
        T.checkin(a)
    assert A.room_answers(a, room)["bathroom.rim_height"].number == 500
    assert A.room_answers(server, room).get("bathroom.rim_height") is None


def test_client_profile_changed_on_both_sides_merges_field_by_field(team) -> None:  # type: ignore[no-untyped-def]
    server, a, _b = team
    client, visit, _room = seed(server)
    T.checkout(a, assessment_id=visit)
    C.update_client(a, client, phone="0777 111", address="1 Mill Lane")        # on the laptop
    C.update_client(server, client, address="2 Mill Lane", given_name="Adaeze")  # in the office meanwhile
    with pytest.raises(T.CheckinConflicts) as caught:
        T.checkin(a)
    [conflict] = caught.value.conflicts
    assert conflict.label == "Address" and conflict.mine == "1 Mill Lane" and conflict.theirs == "2 Mill Lane"
    assert T.holds(server), "nothing changed on the server while a conflict is open"
    T.checkin(a, resolutions={conflict.key: "mine"})
    merged = C.get_client(server, client)
    # Each side's change to its own field holds; the conflict went the therapist's way.
    assert (merged.phone, merged.given_name, merged.address) == ("0777 111", "Adaeze", "1 Mill Lane")
    # The laptop's copy now matches the server, and the history keeps both addresses.
    assert C.get_client(a, client).given_name == "Adaeze"
    with server.uow(read_only=True) as uow:
        addresses = set(uow.session.scalars(select(m.Change.new).where(m.Change.entity == "client",
                                                                      m.Change.field == "address")))
    assert {"1 Mill Lane", "2 Mill Lane"} <= addresses


def test_a_visit_made_on_the_laptop_goes_up_at_check_in(team) -> None:  # type: ignore[no-untyped-def]
    server, a, _b = team
    client, _ = C.create_client(a, given_name="New", family_name="Referral")
    visit, _ = A.create_assessment(a, client.id, standard="UK", therapist_name="Sam Patel")
    [pending] = T.local_visits(a)
    assert pending.state == "new"
    T.checkin(a)
    assert C.get_client(server, client.id).family_name == "Referral"
    assert A.get_assessment(server, visit.id).id == visit.id


CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from homeassess.services import team as T
    from homeassess.services import team_merge
    from homeassess.services.context import open_context
    ctx = open_context(Path(sys.argv[1]))
    real = team_merge.merge
    def slow(*args, **kwargs):
        out = real(*args, **kwargs)
        args[1].flush()                      # the server has the rows, uncommitted
        print("merged", flush=True)
        time.sleep(60)
        return out
    team_merge.merge = slow
    T.checkin(ctx)
""")


def test_a_check_in_killed_half_way_leaves_the_server_unchanged(team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, a, _b = team
    _, visit, room = seed(server)
    T.checkout(a, assessment_id=visit)
    A.set_answer(a, room, "bathroom.rim_height", number=575)
    a.close()
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script), str(tmp_path / "laptop-a")], stdout=subprocess.PIPE,
                             text=True, env={**os.environ})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "merged"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert A.room_answers(server, room).get("bathroom.rim_height") is None
    assert [h.assessment_id for h in T.holds(server)] == [visit]
    # The laptop still holds its copy; checking in again completes the work.
    again = open_context(tmp_path / "laptop-a")
    assert T.checkin(again).assessment_ids == (visit,)
    assert A.room_answers(server, room)["bathroom.rim_height"].number == 575
    with server.uow(read_only=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(m.VisitHold)) == 0


def test_photos_travel_up_at_check_in_and_down_at_check_out(team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from homeassess.services import photos as P
    from homeassess.services.visit_record import record_verbal_consent
    from tests.photo_helpers import make_jpeg

    server, a, b = team
    _, visit, room = seed(server)
    record_verbal_consent(server, visit, given_by="Ada Okafor")
    T.checkout(a, assessment_id=visit)
    stored = a.photo_store.ingest(make_jpeg(tmp_path / "rail.jpg", (800, 600)))
    P.attach_photos(a, room, [stored])
    assert T.checkin(a).photos == 1
    with server.uow(read_only=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(m.PhotoFile)) == 1
    result = T.checkout(b, assessment_id=visit)
    assert result.photos == 1
    assert b.photo_store.path_for(stored.sha256).read_bytes() == a.photo_store.path_for(stored.sha256).read_bytes()


class MemoryKeyring:
    """A keyring backend for the test: what the OS keyring would hold."""

    priority = 1

    def __init__(self) -> None:
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, name: str) -> str | None:
        return self.saved.get((service, name))

    def set_password(self, service: str, name: str, password: str) -> None:
        self.saved[(service, name)] = password

    def delete_password(self, service: str, name: str) -> None:
        self.saved.pop((service, name), None)


def test_the_password_goes_to_the_keyring_never_into_the_data_folder(tmp_path: Path, pg_url: str, registry,  # type: ignore[no-untyped-def]
                                                                   clock: Clock, monkeypatch) -> None:
    from sqlalchemy.engine import make_url

    from homeassess.storage import credentials

    ring = MemoryKeyring()
    monkeypatch.setattr(credentials, "_keyring", lambda: ring)
    secret = "s3cret-Team-Pass"
    url = make_url(pg_url).set(password=secret).render_as_string(hide_password=False)
    ctx = open_context(tmp_path / "laptop", registry=registry, clock=clock)
    link = T.connect(ctx, url)
    assert link.password_saved and secret not in link.server
    assert list(ring.saved.values()) == [secret]
    ctx.close()
    for path in (tmp_path / "laptop").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    # The next use finds the password in the keyring.
    again = open_context(tmp_path / "laptop", registry=registry, clock=clock)
    assert T.status(again).holds == ()
    T.disconnect(again)
    assert ring.saved == {} and T.link_of(again) is None


def test_a_client_with_no_visit_held_here_is_read_only_on_the_laptop(team) -> None:  # type: ignore[no-untyped-def]
    server, a, _b = team
    client, visit, _room = seed(server)
    T.checkout(a, assessment_id=visit)
    C.update_client(a, client, phone="0777 222")   # held here: the client can be changed too
    T.checkin(a)
    with pytest.raises(ConflictError, match="read-only on this laptop"):
        C.update_client(a, client, phone="0777 333")
    assert C.get_client(server, client).phone == "0777 222"
    C.update_client(server, client, phone="0777 444")   # the office may change it while nothing is held


def test_tls_settings_pass_through_the_url(tmp_path: Path, pg_url: str, registry, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    # libpq ignores TLS on a Unix socket (the test server's only door), so what is checked is that
    # the settings reach libpq untouched, as they would for a server across the network.
    ca = tmp_path / "team-ca.pem"
    ctx = open_context(tmp_path / "a", registry=registry, clock=clock,
                       database_url=f"{pg_url}&sslmode=verify-full&sslrootcert={ca}&connect_timeout=7")
    assert ctx.engine is not None
    with ctx.engine.connect() as conn:
        given = conn.connection.dbapi_connection.info.get_parameters()   # type: ignore[union-attr]
    ctx.close()
    assert given.get("sslmode") == "verify-full" and given.get("sslrootcert") == str(ca)
    assert given.get("connect_timeout") == "7"
