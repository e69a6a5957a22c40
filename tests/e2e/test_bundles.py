"""Visit bundles (issue 15): a round trip keeps every report's text, a second import changes
nothing, hostile bundles are refused whole with the database unchanged, conflicts are resolved
both ways, and an encrypted bundle holds no readable client data."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from homeassess.app import main
from homeassess.db.engine import DB_FILE
from homeassess.services import bundles as B
from homeassess.services.context import AppContext, open_context
from homeassess.storage import bundle_format as F

PASSPHRASE = "correct horse battery staple"


def _snapshot(ctx: AppContext) -> str:
    with sqlite3.connect(ctx.data_dir / DB_FILE) as conn:
        return "\n".join(line for line in conn.iterdump() if "sync_base" not in line)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture
def visit_with_photo(demo_ctx, tmp_path: Path) -> tuple[AppContext, str]:
    from homeassess.services.assessments import list_rooms
    from homeassess.services.photos import add_photos
    from homeassess.services.visit_record import record_verbal_consent
    from homeassess.storage.photos import shutdown_workers
    from tests.photo_helpers import make_jpeg

    ctx, assessment_id = demo_ctx
    record_verbal_consent(ctx, assessment_id, given_by="the client")
    add_photos(ctx, assessment_id, list_rooms(ctx, assessment_id)[0].id, [make_jpeg(tmp_path / "step.jpg", (900, 600))])
    shutdown_workers()
    return ctx, assessment_id


@pytest.fixture
def empty(tmp_path: Path, registry, clock) -> AppContext:
    return open_context(tmp_path / "office", registry=registry, clock=clock)


def _same_settings(source: AppContext, target: AppContext) -> None:
    from homeassess.services.settings import KEYS, get_settings, set_setting

    values = get_settings(source)
    for key in KEYS:
        if values[key]:
            set_setting(target, key, values[key])


def test_a_round_trip_keeps_every_report_and_a_second_import_changes_nothing(visit_with_photo, empty, tmp_path):
    from homeassess.services.orders import generate_order_pdf
    from homeassess.services.reports import generate_report

    ctx, assessment_id = visit_with_photo
    bundle = tmp_path / "visit.homeassess"
    exported = B.export_bundle(ctx, bundle, assessment_id=assessment_id, passphrase=PASSPHRASE)
    assert (exported.visits, exported.photos, exported.encrypted) == (1, 1, True)
    _same_settings(ctx, empty)   # the office has its own settings; the visit carries its therapist
    first = B.import_bundle(empty, bundle, passphrase=PASSPHRASE)
    assert first.created > 100 and first.assessment_ids == (assessment_id,)
    for kind in ("family", "clinical"):
        a = generate_report(ctx, assessment_id, kind, tmp_path / f"a-{kind}.pdf")
        b = generate_report(empty, assessment_id, kind, tmp_path / f"b-{kind}.pdf")
        assert _pdf_text(a) == _pdf_text(b), kind
    assert _pdf_text(generate_order_pdf(ctx, assessment_id, tmp_path / "a-o.pdf")) == _pdf_text(
        generate_order_pdf(empty, assessment_id, tmp_path / "b-o.pdf"))
    before = _snapshot(empty)
    again = B.import_bundle(empty, bundle, passphrase=PASSPHRASE)
    assert again.unchanged and _snapshot(empty) == before


def test_an_encrypted_bundle_holds_no_readable_client_data(visit_with_photo, tmp_path):
    ctx, assessment_id = visit_with_photo
    bundle = tmp_path / "visit.homeassess"
    B.export_bundle(ctx, bundle, assessment_id=assessment_id, passphrase=PASSPHRASE)
    raw = bundle.read_bytes()
    assert raw.startswith(F.AGE_MAGIC) and B.is_encrypted(bundle)
    for text in ("Ångström", "Angstr", "Larch Grove", "data.json", "manifest", "homeassess-bundle", "rail"):
        for encoding in ("utf-8", "utf-16-le", "latin-1"):
            try:
                assert text.encode(encoding) not in raw, text
            except UnicodeEncodeError:
                pass
    with pytest.raises(F.PassphraseError, match="does not open"):
        B.import_bundle(ctx, bundle, passphrase="wrong passphrase")


def _entries(bundle: Path) -> tuple[dict, dict[str, bytes]]:
    contents = F.unpack(bundle)
    return contents.manifest, dict(contents.entries)


def _zip(entries: dict[str, bytes], manifest: dict | None = None, *, rehash: bool = True) -> bytes:
    """A bundle rebuilt from (altered) entries; with ``rehash`` the manifest lists their true hashes."""
    manifest = dict(manifest or {})
    if rehash:
        manifest["entries"] = {n: F.sha256(d) for n, d in entries.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(F.MANIFEST, json.dumps(manifest))
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _data_with(entries: dict[str, bytes], change) -> dict[str, bytes]:  # noqa: ANN001
    data = json.loads(entries[F.DATA])
    change(data)
    return {**entries, F.DATA: json.dumps(data).encode()}


def _bad_bundles(manifest: dict, entries: dict[str, bytes], tmp_path: Path) -> dict[str, bytes]:
    photo = next(n for n in entries if n.startswith("photos/"))
    link = io.BytesIO()
    with zipfile.ZipFile(link, "w") as zf:
        zf.writestr(F.MANIFEST, json.dumps(manifest))
        info = zipfile.ZipInfo("photos/" + "0" * 64 + ".jpg")
        info.external_attr = (0o120777 << 16)   # a symbolic link
        zf.writestr(info, "/etc/passwd")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(F.MANIFEST, json.dumps(manifest))
        zf.writestr(F.DATA, b" " * 150_000_000)
    good = _zip(entries, manifest)
    return {
        "zip-slip": _zip({**entries, "../../evil.sh": b"rm -rf ~"}, manifest),
        "absolute path": _zip({**entries, "/etc/cron.d/evil": b"x"}, manifest),
        "link": link.getvalue(),
        "zip bomb": bomb.getvalue(),
        "tampered data": _zip({**entries, F.DATA: entries[F.DATA].replace(b"Zo\xc3\xab", b"Eve")}, manifest,
                              rehash=False),
        "missing photo": _zip({n: d for n, d in entries.items() if n != photo}, manifest),
        "photo that does not match its hash": _zip({**entries, photo: entries[photo][:-20] + b"0" * 20}, manifest),
        "truncated": good[: len(good) // 2],
        "newer format": _zip(entries, {**manifest, "format_version": F.FORMAT_VERSION + 1}),
        "newer schema": _zip(entries, {**manifest, "schema_revision": "9999"}),
        "duplicate ids": _zip(_data_with(entries, lambda d: d["room"].append(dict(d["room"][0]))), manifest),
        "unknown table": _zip(_data_with(entries, lambda d: d.setdefault("setting", [{"key": "x"}])), manifest),
        "wrong kind of value": _zip(_data_with(entries, lambda d: d["answer"][0].update(number="tall")), manifest),
        "reference to nothing": _zip(_data_with(entries, lambda d: d["answer"][0].update(room_id="nope")), manifest),
        "malformed JSON": _zip({**entries, F.DATA: b'{"client": [{"id": '}, manifest),
        "deeply nested JSON": _zip({**entries, F.DATA: b"[" * 100_000 + b"]" * 100_000}, manifest),
        "not a zip": b"Shopping list: milk, bread\n" * 40,
        "a foreign zip": _zip({"readme.txt": b"hello"}, {"format": "something-else"}),
    }


def test_hostile_bundles_are_refused_whole_with_the_database_unchanged(visit_with_photo, empty, tmp_path):
    ctx, assessment_id = visit_with_photo
    plain = tmp_path / "plain.homeassess"
    B.export_bundle(ctx, plain, assessment_id=assessment_id)
    manifest, entries = _entries(plain)
    before = _snapshot(empty)
    photos_before = sorted(p.name for p in (empty.data_dir / "photos").rglob("*.jpg"))
    bad = _bad_bundles(manifest, entries, tmp_path)
    assert len(bad) >= 10
    for name, data in bad.items():
        path = tmp_path / f"{name}.homeassess"
        path.write_bytes(data)
        with pytest.raises(F.BundleError) as refused:
            B.import_bundle(empty, path)
        message = str(refused.value)
        assert "\n" not in message and "Traceback" not in message, name
        assert _snapshot(empty) == before, name
    assert sorted(p.name for p in (empty.data_dir / "photos").rglob("*.jpg")) == photos_before
    assert not (tmp_path / "evil.sh").exists() and not list(tmp_path.parent.glob("evil.sh"))


def _edit_answer_note(ctx: AppContext, assessment_id: str, note: str) -> tuple[str, str]:
    from homeassess.services.assessments import list_rooms, room_answers, set_note

    room = list_rooms(ctx, assessment_id)[0]
    item = sorted(room_answers(ctx, room.id))[0]
    set_note(ctx, room.id, item, note)
    return room.id, item


def _note(ctx: AppContext, room_id: str, item: str) -> str:
    from homeassess.services.assessments import room_answers

    return room_answers(ctx, room_id)[item].note


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_an_edit_on_both_sides_is_a_conflict_resolved_either_way(visit_with_photo, empty, tmp_path, keep):
    ctx, assessment_id = visit_with_photo
    out = tmp_path / "first.homeassess"
    B.export_bundle(ctx, out, assessment_id=assessment_id)
    B.import_bundle(empty, out)
    room_id, item = _edit_answer_note(ctx, assessment_id, "Laptop: rail loose")
    _edit_answer_note(empty, assessment_id, "Office: rail replaced")
    back = tmp_path / "second.homeassess"
    B.export_bundle(ctx, back, assessment_id=assessment_id)
    before = _snapshot(empty)
    with pytest.raises(B.ImportConflicts) as raised:
        B.import_bundle(empty, back)
    assert _snapshot(empty) == before   # nothing applied until every conflict is chosen
    [conflict] = [c for c in raised.value.conflicts if c.key.endswith(":note")]
    assert (conflict.mine, conflict.theirs) == ("Office: rail replaced", "Laptop: rail loose")
    assert "Visit" in conflict.where and "(Note)" in conflict.label
    # The history explains each side: when, and by whom, the field last changed.
    assert conflict.mine_changed.startswith("changed ") and conflict.theirs_changed.startswith("changed ")
    B.import_bundle(empty, back, resolutions={c.key: keep for c in raised.value.conflicts})
    assert _note(empty, room_id, item) == ("Office: rail replaced" if keep == "mine" else "Laptop: rail loose")
    assert B.import_bundle(empty, back).unchanged   # settled: the same bundle again changes nothing


def test_a_change_made_on_one_side_only_simply_applies(visit_with_photo, empty, tmp_path):
    ctx, assessment_id = visit_with_photo
    out = tmp_path / "first.homeassess"
    B.export_bundle(ctx, out, assessment_id=assessment_id)
    B.import_bundle(empty, out)
    room_id, item = _edit_answer_note(ctx, assessment_id, "Changed on the laptop only")
    back = tmp_path / "second.homeassess"
    B.export_bundle(ctx, back, assessment_id=assessment_id)
    result = B.import_bundle(empty, back)
    assert result.updated >= 1 and _note(empty, room_id, item) == "Changed on the laptop only"
    _edit_answer_note(empty, assessment_id, "Then changed in the office only")
    assert B.import_bundle(empty, back).unchanged   # the office's newer note is kept
    assert _note(empty, room_id, item) == "Then changed in the office only"


def test_a_visit_with_a_checklist_version_this_installation_lacks_keeps_the_bundled_one(visit_with_photo, tmp_path,
                                                                                         clock):
    from homeassess.checklists.registry import Registry, shipped_paths
    from homeassess.services.reports import generate_report

    ctx, assessment_id = visit_with_photo
    out = tmp_path / "visit.homeassess"
    B.export_bundle(ctx, out, assessment_id=assessment_id)
    pinned = json.loads(F.unpack(out).entries[F.DATA])["assessment"][0]["checklist_versions"]
    room_type, version = next(iter(pinned.items()))
    checklists, libraries = shipped_paths()
    fewer = Registry.load([p for p in checklists if p.name != f"{room_type}.v{version}.toml"], libraries)
    office = open_context(tmp_path / "office", registry=fewer, clock=clock)
    B.import_bundle(office, out)
    assert (office.data_dir / "checklists" / f"{room_type}.v{version}.toml").exists()
    assert office.registry.get(room_type, int(version))
    a = generate_report(ctx, assessment_id, "clinical", tmp_path / "a.pdf")
    b = generate_report(office, assessment_id, "clinical", tmp_path / "b.pdf")
    assert _pdf_text(a).count("\n") > 50 and len(_pdf_text(b)) > 1000


def test_export_and_import_commands(visit_with_photo, tmp_path, capsys):
    ctx, assessment_id = visit_with_photo
    phrase = tmp_path / "phrase.txt"
    phrase.write_text(PASSPHRASE + "\n")
    out = tmp_path / "cli.homeassess"
    assert main(["--data-dir", str(ctx.data_dir), "export", assessment_id[:8], "--out", str(out),
                 "--passphrase-file", str(phrase)]) == 0
    assert capsys.readouterr().out.split("\t")[-1].strip() == "encrypted"
    office = tmp_path / "office"
    office.mkdir(mode=0o700)
    assert main(["--data-dir", str(office), "import", str(out)]) == 1
    assert "is encrypted" in capsys.readouterr().err
    assert main(["--data-dir", str(office), "import", str(out), "--passphrase-file", str(phrase)]) == 0
    assert capsys.readouterr().out.startswith("imported\t")
    assert main(["--data-dir", str(office), "import", str(out), "--passphrase-file", str(phrase)]) == 0
    assert capsys.readouterr().out.startswith("unchanged\t")
    assert main(["--data-dir", str(ctx.data_dir), "export", "--out", str(out)]) == 1
    assert "name one visit" in capsys.readouterr().err


def test_a_visit_signed_off_here_only_gains_addenda(visit_with_photo, empty, tmp_path):
    from homeassess.services.visit_record import add_addendum, list_addenda

    ctx, assessment_id = visit_with_photo
    with sqlite3.connect(ctx.data_dir / DB_FILE) as conn:   # signed off (the checks are tested elsewhere)
        conn.execute("UPDATE assessment SET signed_off_at = '2026-03-10 10:00:00', status = 'finalised', "
                     "signed_off_by = 'Sam Lee' WHERE id = ?", (assessment_id,))
    out = tmp_path / "signed.homeassess"
    B.export_bundle(ctx, out, assessment_id=assessment_id)
    B.import_bundle(empty, out)
    add_addendum(ctx, assessment_id, "Rail fitted on 20 March; client using it.", "Sam Lee")
    with sqlite3.connect(ctx.data_dir / DB_FILE) as conn:   # a change the laptop should never have made
        conn.execute("UPDATE answer SET note = 'rewritten after sign-off' WHERE room_id IN "
                     "(SELECT id FROM room WHERE assessment_id = ?)", (assessment_id,))
    later = tmp_path / "later.homeassess"
    B.export_bundle(ctx, later, assessment_id=assessment_id)
    result = B.import_bundle(empty, later)
    assert result.created == 1 and result.updated == 0
    assert [a.text for a in list_addenda(empty, assessment_id)] == ["Rail fitted on 20 March; client using it."]
    with sqlite3.connect(empty.data_dir / DB_FILE) as conn:
        assert not conn.execute("SELECT COUNT(*) FROM answer WHERE note = 'rewritten after sign-off'").fetchone()[0]


def test_a_record_removed_here_since_the_last_exchange_is_not_brought_back(visit_with_photo, empty, tmp_path):
    ctx, assessment_id = visit_with_photo
    out = tmp_path / "first.homeassess"
    B.export_bundle(ctx, out, assessment_id=assessment_id)
    B.import_bundle(empty, out)
    with sqlite3.connect(empty.data_dir / DB_FILE) as conn:
        link = conn.execute("SELECT recommendation_id, finding_id FROM recommendation_finding LIMIT 1").fetchone()
        conn.execute("DELETE FROM recommendation_finding WHERE recommendation_id = ? AND finding_id = ?", link)
    assert B.import_bundle(empty, out).unchanged
    with sqlite3.connect(empty.data_dir / DB_FILE) as conn:
        assert not conn.execute("SELECT COUNT(*) FROM recommendation_finding WHERE recommendation_id = ? "
                                "AND finding_id = ?", link).fetchone()[0]
