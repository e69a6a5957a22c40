"""The input rules every service and widget share (issue 14): numbers, counts, dates and text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from homeassess.domain.checklist import Quantity
from homeassess.domain.errors import UnusualValueError, ValidationError
from homeassess.domain.input_rules import (
    COUNT_LIMIT, NUMBERS, as_number, check_date, check_number, check_optional, parse_amount, quantity_rule,
)
from homeassess.domain.plausibility import COUNT_LIMIT as PLAUSIBILITY_COUNT_LIMIT
from homeassess.domain.text_rules import (
    NAME_LIMIT, NOTE_LIMIT, TEXT_LIMITS, clean_kind, clean_name, clean_text, is_blank,
)
from homeassess.domain.validation import clean_client_fields, validate_client_fields
from homeassess.reports import text as report_text

TODAY = date(2026, 3, 10)


def refusal(call, *args, **kwargs) -> str:  # noqa: ANN001
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert type(caught.value) is ValidationError, "a refusal, not a question"
    return caught.value.errors[0].message


# -- numbers ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("sNaN"),
                                   Decimal("Infinity"), 10 ** 400, "1e999"])
def test_nan_and_infinities_are_refused_in_plain_words(value: object) -> None:
    assert "ordinary number" in refusal(as_number, value, field="width", label="The width")


@pytest.mark.parametrize("value", ["abc", "", "nan", "inf", "Infinity", "1_000", "0x10", "12 mm", "--5", [1], None,
                                   object()])
def test_what_is_not_a_number_is_refused_never_a_raw_type_error(value: object) -> None:
    message = refusal(as_number, value, field="width", label="The width")
    assert "not a number" in message or "must be a number" in message


def test_yes_or_no_is_not_a_number() -> None:
    assert "not yes or no" in refusal(as_number, True, field="count", label="A count")
    assert "not yes or no" in refusal(check_number, False, field="count", rule="count")


@pytest.mark.parametrize(("value", "number"), [(850, 850.0), (850.5, 850.5), (Decimal("850.25"), 850.25),
                                               ("850", 850.0), (" 850.5 ", 850.5), ("+12", 12.0), (".5", 0.5),
                                               ("1e3", 1000.0)])
def test_ints_floats_decimals_and_numeric_strings_are_numbers(value: object, number: float) -> None:
    assert as_number(value, field="width") == number


def test_hard_limits_refuse_1e308_and_a_negative_width() -> None:
    assert refusal(check_number, 1e308, field="w", quantity=Quantity.LENGTH) == \
        "A measurement must be between 0 and 30000 mm"
    assert "between 0 and 30000 mm" in refusal(check_number, -5, field="w", quantity=Quantity.LENGTH)
    assert "1e+308" not in refusal(check_number, 1e308, field="w", rule="aid_width_mm")   # no 300-digit echo


def test_soft_limits_ask_unless_confirmed() -> None:
    with pytest.raises(UnusualValueError) as caught:
        check_number(20000, field="w", quantity=Quantity.LENGTH)
    assert caught.value.errors[0].message.endswith("Keep it?")
    assert check_number(20000, field="w", quantity=Quantity.LENGTH, confirm_unusual=True) == 20000.0
    assert quantity_rule(Quantity.LENGTH).usual == (5.0, 12000.0)


def test_counts_are_whole_numbers_up_to_the_count_limit() -> None:
    assert COUNT_LIMIT == PLAUSIBILITY_COUNT_LIMIT == NUMBERS["count"].high == 10000
    assert check_number("12", field="steps", rule="count") == 12 and isinstance(check_number(12.0, field="s",
                                                                                             rule="count"), int)
    assert refusal(check_number, 20000, field="steps", rule="count") == \
        "A count must be a whole number from 0 to 10000"
    assert "whole number" in refusal(check_number, 2.5, field="steps", rule="count")
    assert "whole number" in refusal(check_number, -1, field="steps", rule="count")
    with pytest.raises(UnusualValueError):
        check_number(80, field="steps", rule="count")


def test_money_is_finite_not_negative_and_has_a_ceiling() -> None:
    assert check_optional(None, field="cost_estimate", rule="cost_estimate") is None
    assert check_optional("", field="cost_estimate", rule="cost_estimate") is None
    assert check_optional(Decimal("80.50"), field="cost_estimate", rule="cost_estimate") == 80.5
    assert "between 0 and 1,000,000" in refusal(check_optional, -1, field="c", rule="cost_estimate")
    assert "between 0 and 1,000,000" in refusal(check_optional, 1e7, field="c", rule="cost_estimate")
    assert "ordinary number" in refusal(check_optional, float("nan"), field="c", rule="budget_cap")


@pytest.mark.parametrize(("typed", "amount"), [("£1,250.50", 1250.5), ("1250", 1250.0), ("A$89", 89.0),
                                               ("  ", None), ("", None), ("80 GBP", 80.0)])
def test_typed_amounts_allow_a_currency_sign_and_thousands(typed: str, amount: float | None) -> None:
    assert parse_amount(typed, field="cost_estimate", rule="cost_estimate") == amount


def test_typed_amounts_refuse_words_and_nan_with_what_was_typed() -> None:
    assert refusal(parse_amount, "twelve", field="c", rule="cost_estimate") == "“twelve” is not a number"
    assert refusal(parse_amount, "nan", field="c", rule="cost_estimate") == "“nan” is not a number"
    assert parse_amount("900 mm", field="fit_height_mm", rule="fit_height_mm") == 900.0


# -- dates ------------------------------------------------------------------------------------------------
def test_dates_have_sane_bounds() -> None:
    assert check_date("2026-03-01", field="visit_date", rule="visit_date", today=TODAY) == date(2026, 3, 1)
    assert check_date(datetime(2026, 3, 1, 9), field="visit_date", rule="visit_date", today=TODAY) == date(2026, 3, 1)
    assert refusal(check_date, date(2028, 1, 1), field="visit_date", rule="visit_date", today=TODAY) == \
        "The visit date cannot be more than a year ahead"
    assert check_date(date(2027, 3, 1), field="visit_date", rule="visit_date", today=TODAY) == date(2027, 3, 1)
    assert refusal(check_date, date(1899, 12, 31), field="visit_date", rule="visit_date", today=TODAY) == \
        "The visit date cannot be before 1900"
    assert refusal(check_date, date(2026, 3, 11), field="date_of_birth", rule="date_of_birth", today=TODAY) == \
        "Date of birth cannot be in the future"
    assert "120 years" in refusal(check_date, date(1900, 1, 1), field="d", rule="date_of_birth", today=TODAY)
    assert "is not a date" in refusal(check_date, "31/02/2026", field="d", rule="visit_date", today=TODAY)
    assert "must be a date" in refusal(check_date, 20260310, field="d", rule="visit_date", today=TODAY)


# -- text -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u200b \u3000\u00a0",
                                  "\t\n", "\u180e", "\u3164", "\u0301", "\x00\x07"])
def test_names_that_show_nothing_are_refused(name: str) -> None:
    assert is_blank(name.replace("\x00", "").replace("\x07", ""))
    assert refusal(clean_name, name, field="family_name") == "Family name is required"


def test_names_keep_their_joiners_inside_and_lose_invisible_ends() -> None:
    assert clean_name("\u200bZoë\u200d ", field="given_name") == "Zoë"
    assert clean_name("क्\u200dष", field="given_name") == "क्\u200dष"   # ZWJ inside a Devanagari name stays
    assert clean_name("हिं", field="given_name") == "हिं"                 # a final vowel sign is never trimmed
    assert clean_name(" ", field="preferred_name", required=False) == ""


def test_control_characters_are_removed_and_text_is_nfc() -> None:
    assert clean_text("Sam\x00 Pat\x1bel\x7f", field="therapist_name", max_len=NAME_LIMIT) == "Sam Patel"
    assert clean_text("Zoe\u0308", field="given_name", max_len=NAME_LIMIT) == "Zoë"
    assert clean_text("\u202eevil", field="given_name", max_len=NAME_LIMIT) == "evil"   # no reordering trick
    assert clean_text("half \ud800 pair", field="note", max_len=NOTE_LIMIT) == "half \ufffd pair"
    assert clean_text("one\nline\tonly", field="room", max_len=NAME_LIMIT) == "one line only"


def test_notes_keep_line_breaks_and_tabs_with_crlf_as_lf() -> None:
    assert clean_kind("first\r\nsecond\rthird\u2028fourth\tend\x0c", field="notes", kind="note") == \
        "first\nsecond\nthird\nfourth\tend"


def test_over_long_text_is_refused_never_cut() -> None:
    assert clean_kind("x" * NAME_LIMIT, field="given_name", kind="name") == "x" * NAME_LIMIT
    assert refusal(clean_kind, "x" * (NAME_LIMIT + 1), field="given_name", kind="name") == \
        "Given name is too long: 151 characters (at most 150)"
    assert "3,001 characters (at most 3,000)" in refusal(clean_kind, "n" * 3001, field="notes", kind="note")
    assert clean_kind("\x00" * 10 + "x" * NAME_LIMIT, field="given_name", kind="name") == "x" * NAME_LIMIT


def test_text_must_be_text() -> None:
    assert clean_text(None, field="notes", max_len=10) == ""
    assert refusal(clean_text, 12, field="phone", max_len=10) == "Phone must be text"


def test_one_table_of_lengths_and_the_reports_print_what_is_stored() -> None:
    assert TEXT_LIMITS == {"name": 150, "code": 100, "title": 200, "line": 500, "address": 1000, "note": 3000,
                           "record": 5000}
    assert report_text.NAME_LIMIT == NAME_LIMIT and report_text.NOTE_LIMIT == NOTE_LIMIT
    stored = clean_kind("Ångström-Nuñez " * 9, field="family_name", kind="name")
    assert report_text.SHORTENED not in report_text.esc(stored, report_text.NAME_LIMIT)


# -- the client's fields ----------------------------------------------------------------------------------
def test_client_fields_are_cleaned_and_every_problem_is_listed() -> None:
    cleaned = clean_client_fields({"given_name": " Zoë\x00 ", "aid_width_mm": "650", "notes": "a\r\nb",
                                   "contacts": [{"name": "Ann\u200b", "relationship": "daughter", "phone": ""}],
                                   "date_of_birth": "1946-05-02"}, today=TODAY)
    assert cleaned["given_name"] == "Zoë" and cleaned["aid_width_mm"] == 650.0 and cleaned["notes"] == "a\nb"
    assert cleaned["contacts"][0]["name"] == "Ann\u200b" and cleaned["date_of_birth"] == date(1946, 5, 2)
    with pytest.raises(ValidationError) as caught:
        clean_client_fields({"family_name": "\u200b", "weight_kg": float("nan"), "knee_height_mm": "abc",
                             "falls_last_12_months": 2.5, "lives_alone": "yes",
                             "equipment": [{"name": "Bed", "swl_kg": float("inf")}]}, today=TODAY)
    fields = [e.field for e in caught.value.errors]
    assert fields == ["lives_alone", "family_name", "equipment", "knee_height_mm", "weight_kg",
                      "falls_last_12_months"]
    assert caught.value.errors[2].message.startswith("Bed: ")


def test_validate_client_fields_never_raises_on_junk() -> None:
    errors = validate_client_fields({"given_name": "\u200b", "family_name": "B", "weight_kg": "heavy",
                                     "date_of_birth": "soon", "equipment": [{"name": "", "swl_kg": "x"}]},
                                    today=TODAY)
    assert [e.field for e in errors] == ["given_name", "date_of_birth", "equipment", "equipment", "weight_kg"]
    assert validate_client_fields({"weight_kg": 900}, today=TODAY)[0].message == \
        "Weight must be between 10 and 400 kg"


def test_photo_mark_up_refuses_nan_points_and_widths_and_long_labels() -> None:
    from homeassess.domain.annotations import parse_shapes

    good = {"kind": "text", "points": [[0.5, 0.5]], "text": "step\x00 190 mm", "width": 0.006}
    assert parse_shapes([good])[0].text == "step 190 mm"
    for bad in ({**good, "points": [[float("nan"), 0.5]]}, {**good, "points": [["abc", 0.5]]},
                {**good, "width": float("inf")}, {**good, "width": -1}, {**good, "text": "x" * 201}):
        with pytest.raises(ValidationError):
            parse_shapes([bad])
