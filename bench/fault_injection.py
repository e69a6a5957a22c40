"""Kill HomeAssess with SIGKILL in the middle of its work, 50 times, and count what was lost.

Each cycle starts a child process on one data folder that makes edits through the services (a
client's phone number, measurements, new rooms), importing 24 photos (every 5th cycle) or writing a
report (every 5th, offset), and prints each edit once it has returned (committed). After a random
0.2–1.5 s the child is killed with SIGKILL. The parent then checks:

- edits checked: every printed edit is in the database (for a value edited again later, the
  newest printed value, or the value of the one edit that was in flight when the kill came);
- lost: printed edits that are not there;
- integrity failures: ``PRAGMA integrity_check`` not "ok", or the start-up check refusing the file;
- debris: photo files with no row and temporary files after the start-up sweep, and temporary
  files left beside an interrupted report.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/fault_injection.py --cycles 50 --json out.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEASURE = ("entrance", "entrance.path_width", 300, 6000)


def child(data: str, assessment_id: str, client_id: str, room_id: str, mode: str, seed: int) -> None:
    """Edit until killed; one line per committed edit: ``ok KIND KEY VALUE`` (``try`` before)."""
    from homeassess.services import assessments as A
    from homeassess.services import clients as C
    from homeassess.services.context import open_context

    ctx = open_context(Path(data))
    rng = random.Random(seed)
    out = sys.stdout
    if mode == "photos":
        from homeassess.services.photos import add_photos
        from tests.photo_helpers import make_jpeg

        folder = Path(tempfile.mkdtemp(prefix="fault-photos-"))
        files = [make_jpeg(folder / f"p{seed}-{i}.jpg", (2400 + i, 1800 + seed)) for i in range(24)]
        print("try photos - -", flush=True)
        add_photos(ctx, assessment_id, room_id, files)
        print("ok photos - -", flush=True)
    elif mode == "report":
        from homeassess.services.reports import generate_report

        target = Path(data).parent / "reports" / f"report-{seed}.pdf"
        target.parent.mkdir(exist_ok=True)
        print("try report - -", flush=True)
        generate_report(ctx, assessment_id, "clinical", target)
        print("ok report - -", flush=True)
    n = 0
    while True:
        n += 1
        kind = rng.choice(("phone", "phone", "measure", "measure", "room"))
        if kind == "phone":
            value = f"01865 {seed:03d}{n:04d}"
            print(f"try phone {client_id} {value}", flush=True)
            C.update_client(ctx, client_id, phone=value)
        elif kind == "measure":
            value = str(rng.randint(MEASURE[2], MEASURE[3]))
            print(f"try measure {room_id} {value}", flush=True)
            A.set_answer(ctx, room_id, MEASURE[1], number=float(value))
        else:
            value = f"Room {seed}-{n}"
            print(f"try room - {value}", flush=True)
            A.add_room(ctx, assessment_id, "bedroom", name=value)
        out.write(f"ok {kind} - {value}\n")
        out.flush()


def _setup(data: Path) -> tuple[str, str, str]:
    from homeassess.services import assessments as A
    from homeassess.services import clients as C
    from homeassess.services.context import open_context
    from homeassess.services.visit_record import record_verbal_consent

    ctx = open_context(data)
    client, _ = C.create_client(ctx, given_name="Fault", family_name="Injection", phone="0")
    visit, _ = A.create_assessment(ctx, client.id)
    room, _ = A.add_room(ctx, visit.id, MEASURE[0])
    record_verbal_consent(ctx, visit.id, given_by="Fault Injection")
    ctx.close()
    return client.id, visit.id, room.id


def _state(db: Path, client_id: str, room_id: str) -> tuple[str, float | None, set[str]]:
    with sqlite3.connect(db) as conn:
        phone = conn.execute("SELECT phone FROM client WHERE id = ?", (client_id,)).fetchone()[0]
        row = conn.execute("SELECT number FROM answer WHERE room_id = ? AND item_id = ?",
                           (room_id, MEASURE[1])).fetchone()
        rooms = {r[0] for r in conn.execute("SELECT name FROM room")}
    return phone, (row[0] if row else None), rooms


def run(cycles: int, seed: int) -> dict[str, object]:
    from homeassess.services.context import open_context
    from homeassess.storage.integrity import check_database_file

    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="fault-injection-"))
    data = work / "data"
    client_id, assessment_id, room_id = _setup(data)
    db = data / "homeassess.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    checked = lost = integrity_failures = killed_in_photos = killed_in_report = 0
    last: dict[str, str] = {}           # kind -> newest committed value (phone, measure)
    rooms_made: set[str] = set()
    started_at = time.monotonic()
    for cycle in range(cycles):
        mode = "photos" if cycle % 5 == 2 else "report" if cycle % 5 == 4 else "edits"
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(data), assessment_id, client_id, room_id,
                                 mode, str(cycle)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        first = proc.stdout.readline()   # the child is ready: its first "try" line
        # Import and report: kill within the time the work takes (~0.3-2 s); edits: at any moment.
        time.sleep(rng.uniform(0.05, 1.5) if mode == "photos" else rng.uniform(0.05, 1.2) if mode == "report"
                   else rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate(timeout=60)
        out = first + rest
        lines = [ln.split(" ", 3) for ln in out.splitlines() if ln.count(" ") >= 3]
        in_flight: dict[str, str] = {}
        for word, kind, _key, value in lines:
            if word == "try":
                in_flight[kind] = value
            elif kind in ("phone", "measure"):
                last[kind] = value
                in_flight.pop(kind, None)
            elif kind == "room":
                rooms_made.add(value)
                in_flight.pop(kind, None)
        if any(k == "photos" and w == "try" for w, k, _, _ in lines) and not any(
                k == "photos" and w == "ok" for w, k, _, _ in lines):
            killed_in_photos += 1
        if any(k == "report" and w == "try" for w, k, _, _ in lines) and not any(
                k == "report" and w == "ok" for w, k, _, _ in lines):
            killed_in_report += 1
        if (problem := check_database_file(db, full=True)) is not None:
            integrity_failures += 1
            print(f"cycle {cycle} ({mode}): {problem.describe(db)}", file=sys.stderr)
            break
        phone, number, rooms = _state(db, client_id, room_id)
        for kind, value in list(last.items()):
            checked += 1
            actual = phone if kind == "phone" else (f"{number:.0f}" if number is not None else None)
            if actual == in_flight.get(kind):
                last[kind] = actual   # the edit in flight had committed: it is the one to find next time
            elif actual != value:
                lost += 1
                print(f"cycle {cycle} ({mode}): {kind} is {actual!r}, expected {value!r}", file=sys.stderr)
        checked += len(rooms_made)
        lost += len(rooms_made - rooms)
        if err.strip() and "Traceback" in err:
            print(err, file=sys.stderr)
    # The next start sweeps what interrupted imports left (with no grace period here: nothing runs).
    from homeassess.services.housekeeping import sweep_debris
    from homeassess.storage.photos import shutdown_workers

    shutdown_workers()
    time.sleep(1)
    ctx = open_context(data)
    with sqlite3.connect(db) as conn:
        referenced = {r[0] for r in conn.execute("SELECT sha256 FROM photo")}
    files_before = {p.stem for p in (data / "photos").glob("??/*.jpg")}
    swept = sweep_debris(ctx, grace=timedelta(0))
    files_after = {p.stem for p in (data / "photos").glob("??/*.jpg")}
    reports = work / "reports"
    temp_left = [p.name for p in data.rglob(".tmp-*")] + [p.name for p in reports.glob(".*") if reports.exists()]
    return {
        "cycles": cycles, "seconds": round(time.monotonic() - started_at, 1),
        "edits_checked": checked, "edits_lost": lost, "integrity_failures": integrity_failures,
        "killed_during_photo_import": killed_in_photos, "killed_during_report": killed_in_report,
        "photo_rows": len(referenced), "orphan_photos_before_sweep": len(files_before - referenced), "orphan_photos_after_sweep":
            len(files_after - referenced), "referenced_photos_missing": len(referenced - files_after),
        "sweep": dataclasses.asdict(swept),
        "temporary_files_left": temp_left,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=6, metavar=("DATA", "ASSESSMENT", "CLIENT", "ROOM", "MODE", "SEED"))
    args = parser.parse_args()
    if args.child:
        data, assessment_id, client_id, room_id, mode, seed = args.child
        child(data, assessment_id, client_id, room_id, mode, int(seed))
        return 0
    result = run(args.cycles, args.seed)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)
    failed = result["edits_lost"] or result["integrity_failures"] or result["orphan_photos_after_sweep"] \
        or result["referenced_photos_missing"] or result["temporary_files_left"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
