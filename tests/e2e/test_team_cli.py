"""End to end through the command line on a real PostgreSQL server: the office works on the server
with --database-url, a laptop links, checks a visit out, edits it offline and checks it in; the
office writes the family report from the server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.e2e


def cli(data_dir: Path, *args: str, server: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HOMEASSESS_DATA_DIR", "HOMEASSESS_DATABASE_URL")}
    if server:
        env["HOMEASSESS_DATABASE_URL"] = server
    return subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)


def ok(result: subprocess.CompletedProcess[str]) -> list[list[str]]:
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_office_and_laptop_share_a_visit_through_the_server(tmp_path: Path, pg_url: str) -> None:
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    scenario = tmp_path / "visit.toml"
    scenario.write_text('[visit]\nkind = "home"\nstandard = "UK"\nunits = "metric"\n'
                        '[client]\ngiven_name = "Ada"\nfamily_name = "Okafor"\nage = 80\nmobility_aid = "walking_frame"\n'
                        '[[rooms]]\ntype = "toilet"\nname = "Toilet"\n[rooms.answers]\n"toilet.seat_height" = "400 mm"\n',
                        encoding="utf-8")
    made = cli(office, "scenario", str(scenario), "--json", server=pg_url)
    assert made.returncode == 0, made.stderr
    visits = ok(cli(office, "assessments", server=pg_url))
    visit = visits[0][0]

    ok(cli(laptop, "settings", "set", "therapist.name", "Sam Patel"))
    [linked] = ok(cli(laptop, "team", "connect", pg_url))
    assert linked[0] == "linked" and "@" in linked[1]
    out = ok(cli(laptop, "team", "checkout", visit[:8]))
    assert out[0][0] == "checked out" and out[-1] == [visit]
    status = ok(cli(laptop, "team", "status"))
    assert any(row[0] == "checked out" and row[1] == visit for row in status)
    assert any(row[0] == "held" and "Sam Patel" in row[4] for row in status)

    # The office sees the hold and cannot change the visit meanwhile.
    held = ok(cli(office, "team", "status", server=pg_url))
    assert [row[1] for row in held if row[0] == "held"] == [visit]
    refused = cli(office, "scenario", str(scenario), server=pg_url)   # a new visit for a new client is fine
    assert refused.returncode == 0, refused.stderr

    # Offline on the laptop (no server in the environment), then check in.
    [room] = [r for r in ok(cli(laptop, "assessments"))]
    assert room[0] == visit
    [checked_in, *_ids] = ok(cli(laptop, "team", "checkin"))
    assert checked_in[0] == "checked in"
    assert ok(cli(laptop, "team", "checkin")) == [["nothing to check in", "no visit is held on this laptop"]]

    caseload = ok(cli(laptop, "team", "caseload"))
    assert any("Okafor" in row[1] for row in caseload)
    report = tmp_path / "family.pdf"
    ok(cli(office, "report", visit, "--kind", "family", "--out", str(report), server=pg_url))
    text = "\n".join(page.extract_text() for page in PdfReader(report).pages)
    assert "Okafor" in text or "Ada" in text


def test_release_needs_a_reason_and_server_errors_are_one_line(tmp_path: Path, pg_url: str) -> None:
    missing = cli(tmp_path / "laptop", "team", "status")
    assert ok(missing)[0][0] == "not linked"
    bad = cli(tmp_path / "laptop", "team", "connect", "mysql://a@b/c")
    assert bad.returncode == 1 and bad.stderr.strip() == "error: a team server must be PostgreSQL (postgresql://…), not mysql"
    gone = cli(tmp_path / "office", "clients", server="postgresql://nobody@/nothing?host=/nonexistent-socket-dir")
    assert gone.returncode == 1 and gone.stderr.count("\n") == 1 and "cannot be reached" in gone.stderr
    assert "Traceback" not in gone.stderr
    backups = cli(tmp_path / "office", "backup", "list", server=pg_url)
    assert backups.returncode == 1 and "pg_dump" in backups.stderr
    no_reason = cli(tmp_path / "office", "team", "release", "abcdef12", "--reason", "", "--by", "Jo", server=pg_url)
    assert no_reason.returncode == 1 and "Say why" in no_reason.stderr
