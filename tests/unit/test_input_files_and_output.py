"""The pure helpers behind the command-line contract: path checks, field escaping, CSV cells, the log."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from homeassess.cli_output import escape_field, looks_temporary, short
from homeassess.domain.input_files import (UnusablePathError, check_output_file, read_input_bytes, shown_name,
                                           special_file_problem)
from homeassess.logsetup import open_log_file
from homeassess.services.orders import _cell


@pytest.mark.parametrize(("raw", "shown"), [
    ("plain", "plain"), ("a\tb", "a\\tb"), ("a\nb\r", "a\\nb\\r"), ("back\\slash", "back\\\\slash"),
    ("\x1b[31m", "\\x1b[31m"), ("\x00\x7f\x85", "\\x00\\x7f\\x85"), ("line\u2028sep", "line\\u2028sep"),
    ("caf\udce9", "caf\\xe9"), ("Zoë Ångström", "Zoë Ångström"),
])
def test_every_output_field_is_one_line_with_no_control_characters(raw: str, shown: str) -> None:
    assert escape_field(raw) == shown


def test_long_messages_are_cut_with_an_ellipsis() -> None:
    assert short("x" * 1000, 50) == "x" * 49 + "…" and short("ok") == "ok"


@pytest.mark.parametrize(("text", "cell"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("@SUM(1+1)", "'@SUM(1+1)"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"),
    ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("Grab rail", "Grab rail"), ("", ""), (" =1", " =1"),
])
def test_text_cells_that_a_spreadsheet_would_run_get_a_quote(text: str, cell: str) -> None:
    assert _cell(text) == cell


def test_special_files_are_named_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert special_file_problem(fifo) == "not a regular file (it is a named pipe)"
    assert special_file_problem(tmp_path) == "not a regular file (it is a folder)"
    assert special_file_problem(Path("/dev/zero")) == "not a regular file (it is a character device)"
    assert special_file_problem(tmp_path / "missing") is None  # the caller's own open words that
    with pytest.raises(UnusablePathError, match=r"pipe\.csv: not a regular file \(it is a named pipe\)"):
        read_input_bytes(fifo, max_bytes=10)


def test_a_file_over_its_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"x" * 11)
    assert read_input_bytes(big, max_bytes=11) == b"x" * 11
    with pytest.raises(UnusablePathError, match="larger than 10 bytes"):
        read_input_bytes(big, max_bytes=10)


def test_outputs_need_a_regular_file_in_an_existing_folder(tmp_path: Path) -> None:
    check_output_file(tmp_path / "new.pdf")
    with pytest.raises(UnusablePathError, match="it is a folder"):
        check_output_file(tmp_path)
    with pytest.raises(UnusablePathError, match="does not exist"):
        check_output_file(tmp_path / "no" / "x.pdf")
    check_output_file(tmp_path / "no" / "x.pdf", folder_must_exist=False)  # a service that makes its folder
    (tmp_path / "file").write_text("")
    with pytest.raises(UnusablePathError, match="is not a folder"):
        check_output_file(tmp_path / "file" / "x.pdf")


def test_names_that_are_not_utf8_can_be_stored_and_temp_files_are_recognised() -> None:
    assert shown_name("caf\udce9.jpg") == "caf\ufffd.jpg" and shown_name("\ud800") == "?"
    assert looks_temporary("/d/.tmp-abc123.part") and looks_temporary("/d/.report-k2j4l5m6.pdf")
    assert not looks_temporary("/d/report.pdf") and not looks_temporary(None)


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_log_is_private_after_a_rollover_too(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        handler = open_log_file(tmp_path / "logs")
        assert handler is not None
        handler.maxBytes = 200
        for n in range(20):
            handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "message %d" * 3, (n, n, n), None))
        handler.close()
    finally:
        os.umask(old)
    assert (tmp_path / "logs").stat().st_mode & 0o777 == 0o700
    files = sorted((tmp_path / "logs").iterdir())
    assert len(files) == 4 and all(f.stat().st_mode & 0o777 == 0o600 for f in files)


def test_a_failed_report_write_names_the_output_never_its_temporary_file(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from homeassess.domain.errors import StorageError
    from homeassess.services import reports

    def full_disk(source: str, target: object) -> None:
        raise OSError(28, "No space left on device", source)

    monkeypatch.setattr(reports.os, "replace", full_disk)
    out = tmp_path / "family.pdf"
    with pytest.raises(StorageError) as caught:
        reports.write_atomically(out, lambda tmp: tmp.write_bytes(b"%PDF"))
    assert str(caught.value) == f"{out}: cannot be written (No space left on device)"
    assert list(tmp_path.iterdir()) == []  # the hidden temporary file is gone too
