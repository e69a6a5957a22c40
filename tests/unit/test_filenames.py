"""Report file names: readable in every script, safe on Windows, macOS and Linux, whatever is typed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from homeassess.domain.filenames import MAX_PART_BYTES, REPORT_KINDS, report_filename, safe_file_part

DAY = date(2024, 5, 2)
UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')


def assert_safe(name: str) -> None:
    assert name and not UNSAFE.search(name), name
    assert not name.startswith((".", " ", "-")) and not name.endswith((".", " ")), name
    assert len(name.encode("utf-8")) <= 255, name
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}, name


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_the_pattern_is_surname_given_date_kind(kind: str) -> None:
    assert report_filename("Smith", "Mary", DAY, kind) == f"Smith-Mary-2024-05-02-{kind}.pdf"


@pytest.mark.parametrize(("family", "given", "expected"), [
    ("Ångström-Nuñez", "Zoë", "Ångström-Nuñez-Zoë"),
    ("Wróbel", "Łukasz", "Wróbel-Łukasz"),
    ("כהן", "שרה", "כהן-שרה"),
    ("王", "小明", "王-小明"),
    ("Ivanova", "Анна", "Ivanova-Анна"),
    ("O'Brien", "Mary Ann", "O'Brien-Mary Ann"),
])
def test_letters_of_every_script_stay_readable(family: str, given: str, expected: str) -> None:
    assert report_filename(family, given, DAY, "family") == f"{expected}-2024-05-02-family.pdf"


def test_decomposed_accents_are_composed() -> None:
    assert safe_file_part("Zoe\u0308") == "Zoë"


@pytest.mark.parametrize("hostile", [
    "../../etc/passwd", "..\\..\\Windows\\System32", "C:\\Users\\x", 'a:b*c?d"e<f>g|h', "tab\there\nnew\rline",
    "nul\x00byte", "\x7fdel", "...", ". hidden", "trailing. . .", "trailing   ", "-rf", "/", "\\",
    "\u202etxt.exe", "\ufeffbom", "\ud800lone surrogate", "   ", "",
])
def test_hostile_input_gives_a_safe_name(hostile: str) -> None:
    name = report_filename(hostile, hostile, DAY, "clinical")
    assert_safe(name)
    assert name.endswith("-2024-05-02-clinical.pdf")
    assert_safe(safe_file_part(hostile))


def test_path_separators_never_survive() -> None:
    assert "/" not in report_filename("a/b", "c\\d", DAY, "family")
    assert safe_file_part("../../etc/passwd") == "etc_passwd"


def test_invisible_direction_overrides_are_removed() -> None:
    assert safe_file_part("Smith\u202egpj.exe") == "Smithgpj.exe"
    assert safe_file_part("Smith\u200f") == "Smith"


@pytest.mark.parametrize(("reserved", "expected"), [
    ("CON", "CON_"), ("nul", "nul_"), ("Com1", "Com1_"), ("LPT9", "LPT9_"), ("aux.txt", "aux_.txt"),
    ("PRN ", "PRN_"), ("COM²", "COM²_"),
])
def test_windows_device_names_are_not_used_alone(reserved: str, expected: str) -> None:
    assert safe_file_part(reserved) == expected


def test_names_that_merely_start_like_a_device_are_kept() -> None:
    assert safe_file_part("Connolly") == "Connolly"
    assert safe_file_part("Nuller") == "Nuller"


def test_empty_names_fall_back_to_client() -> None:
    assert report_filename("", "", DAY, "family") == "Client-2024-05-02-family.pdf"
    assert report_filename("  ..  ", "\x00", DAY, "orders") == "Client-2024-05-02-orders.pdf"
    assert report_filename("Smith", "", DAY, "family") == "Smith-2024-05-02-family.pdf"
    assert report_filename("", "Mary", DAY, "family") == "Mary-2024-05-02-family.pdf"
    assert safe_file_part("") == "Client"
    assert safe_file_part("", fallback="") == ""


def test_long_names_are_cut_without_splitting_a_letter() -> None:
    long_hebrew = "שׁ" * 200   # shin with a combining dot: two code points, four bytes
    name = report_filename("Ångström" * 50, long_hebrew, DAY, "progress-family")
    assert_safe(name)
    family, given = name.split("-")[:2]
    assert len(family.encode()) <= MAX_PART_BYTES and len(given.encode()) <= MAX_PART_BYTES
    assert given and all(given[i:i + 2] == "שׁ" for i in range(0, len(given), 2))
    emoji = safe_file_part("😀" * 100)
    assert emoji == "😀" * (MAX_PART_BYTES // 4)


def test_spaces_and_separators_are_tidied() -> None:
    assert safe_file_part("  van   der  Berg ") == "van der Berg"
    assert safe_file_part("Smith -- Jones") == "Smith-Jones"
    assert safe_file_part("a///b") == "a_b"


def test_dates_are_always_four_digit_years() -> None:
    assert report_filename("A", "B", date(987, 1, 9), "family") == "A-B-0987-01-09-family.pdf"


def test_an_odd_kind_is_made_safe_too() -> None:
    assert report_filename("A", "B", DAY, "../x") == "A-B-2024-05-02-x.pdf"
    assert report_filename("A", "B", DAY, "") == "A-B-2024-05-02-report.pdf"
