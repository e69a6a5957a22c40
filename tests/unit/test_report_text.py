"""User text into the PDF reports (homeassess.reports.text), and the bundled resources it needs."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from homeassess.reports import styles, text
from homeassess.reports.pdf import esc as pdf_esc

ROOT = Path(__file__).resolve().parents[2]
HEBREW = "שלום עולם"          # "hello world"
ARABIC = "مرحبا بالعالم"       # "hello world"
NBSP = "\u00a0"


def pdf_of(*markup: str, style: str = "body", tmp: Path) -> str:
    """Build a one-page PDF of paragraphs and return what pypdf extracts from it."""
    sheet = styles.stylesheet()
    out = tmp / "t.pdf"
    SimpleDocTemplate(str(out)).build([Paragraph(m, sheet[style]) for m in markup])
    return "\n".join(page.extract_text() for page in PdfReader(out).pages)


# -- cleaning ----------------------------------------------------------------------------------------------

def test_control_and_invisible_characters_are_removed() -> None:
    typed = ("a\x00b\x07c\x1bd\x7fe\x85f\x9fg\u200bh\u200ei\u200fj\u202ak\u202el\u2066m\u2069n\ufeffo")
    assert text.clean(typed) == "abcde\nfghijklmno"


def test_tabs_become_spaces_and_every_line_break_a_newline() -> None:
    assert text.clean("a\tb\r\nc\rd\ne\u2028f") == "a b\nc\nd\ne\nf"
    assert text.esc("one\r\ntwo") == "one<br/>two"


def test_half_a_surrogate_pair_becomes_the_replacement_character() -> None:
    assert text.clean("a\ud800b") == "a\ufffdb"


def test_markup_the_user_typed_prints_as_typed(tmp_path: Path) -> None:
    assert text.esc("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert "<b>&</b> & <i>x</i>" in pdf_of(text.esc("<b>&</b> & <i>x</i>"), tmp=tmp_path)


def test_pdf_module_keeps_its_esc_name() -> None:
    assert pdf_esc is text.esc


# -- shortening --------------------------------------------------------------------------------------------

def test_an_over_long_field_is_shortened_with_a_visible_mark() -> None:
    out = text.esc("word " * 2000, limit=100)       # a limit counts letters as wide as "n", a space as half
    assert out.endswith("… [shortened: 10,000 characters in the record]")
    assert 100 <= len(out) - len(text.shortened_mark(10_000)) < 200
    assert text.SHORTENED in out


def test_a_field_within_its_limit_or_with_no_limit_is_whole() -> None:
    assert text.esc("x" * 100, limit=100) == "x" * 100
    assert text.esc("x" * 50_000, limit=None) == "x" * 50_000


def test_the_default_limit_applies_when_the_caller_names_none() -> None:
    assert text.SHORTENED in text.esc("n" * (text.DEFAULT_LIMIT + 10))
    assert text.SHORTENED not in text.esc("n" * (text.DEFAULT_LIMIT - 10))


def test_many_line_breaks_or_wide_characters_count_towards_the_limit() -> None:
    lines = text.esc("line\n" * 2000, limit=1000)
    assert text.SHORTENED in lines and lines.count("<br/>") <= 1000 // text.LINE_BREAK_COST
    emoji = text.font_runs(text.shorten("👍" * 1000, 1000))[0][1]
    assert text.SHORTENED in text.shorten("👍" * 1000, 1000) and len(emoji) < 600
    assert text.shorten("plain words " * 80, 1000) == "plain words " * 80      # 960 letters and spaces


def test_shortening_never_strands_an_accent() -> None:
    out = text.shorten("e\u0301" * 20, 11)
    assert not unicodedata.combining(out.split(" ")[0][-1])


def test_a_long_unbroken_word_wraps_in_a_narrow_table_cell(tmp_path: Path) -> None:
    sheet = styles.stylesheet()
    width = 28 * 2.835                                       # 28 mm, the narrowest report column
    cell = Paragraph(text.esc("a" * 400), sheet["cell"])
    Table([[cell]], colWidths=[width]).wrap(width, 800)
    assert len(cell.blPara.lines) > 20 and max(cell.getActualLineWidths0()) <= width


# -- fonts -------------------------------------------------------------------------------------------------

def test_dejavu_sans_has_the_hebrew_and_arabic_letters_tested() -> None:
    regular = text.coverage(styles.FONT)
    assert all(ord(c) in regular for c in HEBREW + ARABIC if c != " ")
    assert all(ord(c) in regular for c in text.display_line(ARABIC) if c not in " " + NBSP)


def test_emoji_the_main_font_lacks_are_set_in_the_fallback_font() -> None:
    out = text.esc("shower 🚿 ok 👍")
    assert f'<font name="{styles.FONT_FALLBACK}">🚿</font>' in out
    assert f'<font name="{styles.FONT_FALLBACK}">👍</font>' in out
    assert text.esc("♿ ☺") == "♿ ☺"                        # DejaVu has these: no font change


def test_a_skin_tone_after_an_emoji_is_dropped_not_boxed() -> None:
    assert text.font_runs("👍🏽") == [(text.FALLBACK, "👍")]


def test_characters_no_bundled_font_has_become_a_visible_replacement() -> None:
    assert text.esc("漢字") == "\ufffd\ufffd"
    assert text.esc("a\U000f0001b") == "a\ufffdb"


def test_arabic_is_set_upright_because_the_bold_and_oblique_faces_lack_it() -> None:
    out = text.esc(f"Name {ARABIC}")
    assert out.startswith("Name ") and f'<font name="{styles.FONT_UPRIGHT}">' in out


def test_every_character_in_the_output_is_in_the_font_it_is_set_in() -> None:
    sample = f"Zoë {HEBREW} {ARABIC} 👍🏽 🚿 ♿ ✅ № ½ “q” — ok"
    fonts = {text.MAIN: styles.FONT, text.UPRIGHT: styles.FONT_UPRIGHT, text.FALLBACK: styles.FONT_FALLBACK}
    for kind, run in text.font_runs(text.display_text(sample)):
        have = text.coverage(fonts[kind])
        assert all(ord(c) in have or c in " \n" for c in run), (kind, run)


# -- right-to-left -----------------------------------------------------------------------------------------

def test_hebrew_is_drawn_in_display_order_inside_english() -> None:
    # Drawn left to right: each Hebrew word reversed, the two words swapped, kept on one line.
    assert text.display_line(f"Mr {HEBREW} visits") == f"Mr םלוע{NBSP}םולש visits"


def test_numbers_inside_hebrew_keep_their_own_order() -> None:
    assert text.display_line("רחוב הרצל 12") == f"12{NBSP}לצרה{NBSP}בוחר"
    assert text.display_line("ab 12 cd") == "ab 12 cd"


def test_brackets_in_right_to_left_text_are_mirrored() -> None:
    assert text.display_line("(שלום)") == "(םולש)"


def test_hebrew_marks_stay_after_their_letter() -> None:
    shown = text.display_line("שָׁלוֹם")
    assert shown[0] == "ם" and shown[-3:] == "שָׁ"


def test_arabic_letters_are_joined_and_words_in_display_order() -> None:
    shown = text.display_line(ARABIC)
    assert all(0xFE70 <= ord(c) <= 0xFEFF or c in "ا" + NBSP for c in shown)   # presentation forms
    words = shown.split(NBSP)
    assert [unicodedata.normalize("NFKC", w)[::-1] for w in reversed(words)] == ARABIC.split()


def test_pypdf_extracts_hebrew_and_arabic_in_logical_order(tmp_path: Path) -> None:
    """The page draws display order; pypdf (5.x) reverses each right-to-left piece of text it finds, so the
    words come back as typed. Arabic comes back as the presentation forms drawn: NFKC gives the letters."""
    extracted = pdf_of(text.esc(f"He {HEBREW}."), text.esc(f"Ar {ARABIC}."), tmp=tmp_path)
    lines = [" ".join(unicodedata.normalize("NFKC", line).split()) for line in extracted.splitlines()]
    assert HEBREW in lines[0] and lines[0].startswith("He ")
    assert ARABIC in lines[1] and lines[1].startswith("Ar ")


def test_embedding_levels_follow_uax9_for_a_mixed_line() -> None:
    #                     A   sp  ש   ל   sp  1   2   sp  B
    assert text.embedding_levels("A של 12 B") == [0, 0, 1, 1, 1, 2, 2, 0, 0]
    assert text.visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]


# -- drawString --------------------------------------------------------------------------------------------

def test_plain_fits_the_width_with_an_ellipsis() -> None:
    line = text.plain("Organisation " * 200, styles.FONT_BOLD, 8, 120)
    assert line.endswith("…") and stringWidth(line, styles.FONT_BOLD, 8) <= 120
    assert text.plain("Short", styles.FONT, 8, 120) == "Short"


def test_plain_is_one_clean_line_in_display_order_with_replacements() -> None:
    assert text.plain(f"a\x00b\nc\t{HEBREW} 🚿", styles.FONT, 8) == "ab c םלוע םולש \ufffd"


def test_a_line_the_face_cannot_print_is_drawn_in_the_regular_face() -> None:
    assert text.line_font(ARABIC, styles.FONT_ITALIC) == styles.FONT      # DejaVu Oblique has no Arabic
    assert text.line_font(ARABIC, styles.FONT_BOLD) == styles.FONT_BOLD   # DejaVu Bold has it
    assert text.line_font("Oxford", styles.FONT_ITALIC) == styles.FONT_ITALIC


# -- resources ---------------------------------------------------------------------------------------------

def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """pyproject.toml lists the packages (resources/ is mapped to homeassess.resources)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "homeassess").rglob("__init__.py")}
    assert found | {"homeassess.resources"} == set(config["packages"])
    assert config["package-dir"] == {"homeassess.resources": "resources"}


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "NotoEmoji-Regular.ttf"])
def test_bundled_fonts_have_their_licence_beside_them(font: str) -> None:
    from importlib import resources

    fonts = resources.files("homeassess.resources") / "fonts"
    assert (fonts / font).is_file()
    licence = "LICENSE-DejaVu.txt" if font.startswith("DejaVu") else "LICENSE-NotoEmoji.txt"
    assert (fonts / licence).is_file()


def test_the_homeassess_mark_is_bundled_at_both_sizes() -> None:
    from PIL import Image

    from homeassess.resources import icon_path

    for size in (64, 256):
        with Image.open(icon_path(size)) as image:
            assert image.size == (size, size) and image.mode == "RGBA"
    with pytest.raises(ValueError):
        icon_path(100)
