"""Any text a user can type, made safe for the PDF reports. No Qt, no SQLAlchemy.

``esc(text, limit)`` turns user text into ReportLab paragraph mini-markup and ``plain(text, font, size,
max_width)`` into one line for ``canvas.drawString``. Both:

- drop control characters and the invisible characters that hide or reorder text (zero-width characters,
  directional marks, embeddings, overrides and isolates, the byte-order mark); tabs become spaces and
  ``\\r\\n`` or ``\\r`` a line break; markup the user typed (``<b>&</b>``) prints as typed;
- shorten an over-long field with a visible mark (``SHORTENED``), so one field is never taller than a page;
- put right-to-left text (Hebrew, Arabic) in display order and join Arabic letters;
- keep every character printable: one DejaVu Sans lacks is set in the bundled Noto Emoji when that has it,
  and anything neither font has becomes U+FFFD, never an empty box.

Why the display order is worked out here: ReportLab 5.1 applies the bidirectional algorithm only to a
paragraph that is one run of one font (``bidiSort = False #doBidi`` in ``Paragraph.breakLines``), and its
harfbuzz shaping turns on discretionary ligatures for every word, Latin included. Report paragraphs mix
fonts and markup, so each line of user text is reordered here (UAX #9 for one paragraph; once cleaned, text
from a form has no explicit embeddings), and only Arabic words are shaped, with uharfbuzz (ReportLab's
``shaping`` extra), into the presentation forms DejaVu Sans maps. A right-to-left passage of up to
``KEEP_TOGETHER`` characters is kept on one line, so wrapping cannot reorder it; a longer one wraps in
display order, so its lines read from the last line up.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from xml.sax.saxutils import escape as _xml_escape

from reportlab.pdfbase import pdfmetrics

from homeassess.domain.text_rules import NAME_LIMIT, NOTE_LIMIT  # noqa: F401 - the reports' limits too
from homeassess.reports import styles

try:  # optional at run time: without it Arabic prints in display order with its letters unjoined
    import uharfbuzz
except ImportError:  # pragma: no cover
    uharfbuzz = None

# -- the bidirectional algorithm (UAX #9) --------------------------------------------------------------------

_STRONG = {"L": "L", "R": "R", "AL": "R"}
_EXPLICIT = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
_NEUTRAL = {"B", "S", "WS", "ON", "BN"} | _EXPLICIT
_MIRRORS = dict(zip("()[]{}<>«»‹›⁅⁆⁽⁾₍₎≤≥≦≧≪≫⟨⟩⟪⟫", ")(][}{><»«›‹⁆⁅⁾⁽₎₍≥≤≧≦≫≪⟩⟨⟫⟪"))


def _base_level(types_: list[str], direction: str | None) -> int:
    if direction in ("LTR", "RTL"):
        return 0 if direction == "LTR" else 1
    strong = next((t for t in types_ if t in _STRONG), "L")   # P2, P3: the first strong character
    return 0 if strong == "L" else 1


def _resolve_weak(t: list[str], sos: str) -> None:
    """Rules W1-W7, in place."""
    prev = sos
    for i, x in enumerate(t):                                   # W1: a mark takes its base's type
        t[i] = prev if x == "NSM" else x
        prev = t[i]
    last_strong = sos
    for i, x in enumerate(t):                                   # W2, W3
        if x in ("L", "R", "AL"):
            last_strong = x
        elif x == "EN" and last_strong == "AL":
            t[i] = "AN"
    t[:] = ["R" if x == "AL" else x for x in t]
    for i in range(1, len(t) - 1):                              # W4: 1,5 or 1.5 stay one number
        if t[i] == "ES" and t[i - 1] == t[i + 1] == "EN" or t[i] == "CS" and t[i - 1] == t[i + 1] in ("EN", "AN"):
            t[i] = t[i - 1]
    for i, x in enumerate(t):                                   # W5: $ and % next to a number
        if x == "EN":
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(t) and t[j] == "ET":
                    t[j] = "EN"
                    j += step
    t[:] = ["ON" if x in ("ES", "ET", "CS") else x for x in t]  # W6
    last_strong = sos
    for i, x in enumerate(t):                                   # W7
        if x in ("L", "R"):
            last_strong = x
        elif x == "EN" and last_strong == "L":
            t[i] = "L"


def _resolve_neutral(t: list[str], sos: str) -> None:
    """Rules N1-N2: a run of neutrals between two of one direction takes it, otherwise the base's."""
    i, n = 0, len(t)
    while i < n:
        if t[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and t[j] in _NEUTRAL:
            j += 1
        before = sos if i == 0 else ("L" if t[i - 1] == "L" else "R")
        after = sos if j == n else ("L" if t[j] == "L" else "R")
        t[i:j] = [before if before == after else sos] * (j - i)
        i = j


def embedding_levels(text: str, direction: str | None = None) -> list[int]:
    """Resolved level of each character of one paragraph (even: left to right, odd: right to left)."""
    original = [unicodedata.bidirectional(c) or "L" for c in text]
    base = _base_level(original, direction)
    sos = "L" if base == 0 else "R"
    t = list(original)
    _resolve_weak(t, sos)
    _resolve_neutral(t, sos)
    levels = []
    for x in t:                                                 # I1, I2
        if base == 0:
            levels.append(1 if x == "R" else 2 if x in ("AN", "EN") else 0)
        else:
            levels.append(2 if x in ("L", "AN", "EN") else 1)
    trailing = True                                             # L1: separators and trailing spaces
    for i in range(len(text) - 1, -1, -1):
        kind = original[i]
        if kind in ("S", "B"):
            levels[i], trailing = base, True
        elif kind in ("WS", "BN") or kind in _EXPLICIT:
            if trailing:
                levels[i] = base
        else:
            trailing = False
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """Rule L2: logical index of each visual position."""
    order = list(range(len(levels)))
    if not levels:
        return order
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return order
    for level in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


KEEP_TOGETHER = 30   # a name or a short phrase; a column narrower than this breaks it anyway
_NBSP = "\u00a0"


@lru_cache(maxsize=1)
def _arabic_shaper() -> tuple[object, dict[int, list[int]]] | None:
    if uharfbuzz is None:
        return None
    fonts = resources.files("homeassess.resources") / "fonts"
    data = (fonts / "DejaVuSans.ttf").read_bytes()
    styles.register_fonts()
    return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(data))), pdfmetrics.getFont(styles.FONT).face.glyphToChar


@lru_cache(maxsize=4096)
def shape_arabic(run: str) -> str | None:
    """An Arabic run (logical order) as DejaVu Sans presentation forms in display order; None if it cannot."""
    shaper = _arabic_shaper()
    if shaper is None:
        return None
    font, glyph_to_char = shaper
    buf = uharfbuzz.Buffer()
    buf.add_str(run)
    buf.direction, buf.script, buf.language = "rtl", "Arab", "ar"
    uharfbuzz.shape(font, buf, {"kern": False})
    chars = [glyph_to_char.get(info.codepoint) for info in buf.glyph_infos]
    if not all(chars):
        return None   # a glyph with no character of its own (a mark placed by GPOS): print unjoined
    return "".join(chr(c[0]) for c in chars)


def _arabic_runs(line: str, levels: list[int]) -> dict[int, tuple[int, str]]:
    """Runs of Arabic letters and their marks at one odd level: start -> (end, shaped display text)."""
    found: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(line):
        if unicodedata.bidirectional(line[i]) == "AL" and levels[i] % 2:
            j = i + 1
            while j < len(line) and levels[j] == levels[i] and (
                    unicodedata.bidirectional(line[j]) == "AL" or _is_mark(line[j])):
                j += 1
            shaped = shape_arabic(line[i:j])
            if shaped:
                found[i] = (j, shaped)
            i = j
        else:
            i += 1
    return found


def display_line(line: str) -> str:
    """One line of logical text in display (left-to-right drawing) order, Arabic joined."""
    if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in line):
        return line   # nothing to reorder: most text takes this path
    levels = embedding_levels(line)
    shaped = _arabic_runs(line, levels)
    owner = {k: start for start, (end, _) in shaped.items() for k in range(start, end)}
    out: list[tuple[str, bool]] = []          # (text, right-to-left?) in display order
    marks: list[str] = []
    done: set[int] = set()
    for index in visual_order(levels):
        if index in owner:
            start = owner[index]
            if start not in done:
                done.add(start)
                out.append((shaped[start][1], True))
            continue
        ch, rtl = line[index], levels[index] > 0    # inside right-to-left text, numbers included
        if levels[index] % 2 and _is_mark(ch):
            marks.append(ch)                  # reversed: a mark arrives before its letter
            continue
        out.append(((_MIRRORS.get(ch, ch) if levels[index] % 2 else ch) + "".join(reversed(marks)), rtl))
        marks = []
    out += [(m, True) for m in reversed(marks)]
    return _keep_rtl_together(out)


def _keep_rtl_together(pieces: list[tuple[str, bool]]) -> str:
    """Join the display pieces; a right-to-left stretch short enough for a line gets no-break spaces."""
    text, i = [], 0
    while i < len(pieces):
        if not pieces[i][1]:
            text.append(pieces[i][0])
            i += 1
            continue
        j = i
        while j < len(pieces) and pieces[j][1]:
            j += 1
        stretch = "".join(p for p, _ in pieces[i:j])
        core = stretch.strip(" ")
        if len(core) <= KEEP_TOGETHER:
            lead = stretch[:len(stretch) - len(stretch.lstrip(" "))]
            stretch = lead + core.replace(" ", _NBSP) + stretch[len(lead) + len(core):]
        text.append(stretch)
        i = j
    return "".join(text)


def display_text(text: str) -> str:
    return "\n".join(display_line(line) for line in text.split("\n"))


# -- cleaning and shortening ---------------------------------------------------------------------------------

# C0 except tab and newline, DEL and C1; zero-width and directional controls; BOM; noncharacters.
_REMOVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                     "\ufeff\ufff9-\ufffb\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"

#: Default for a paragraph or a table cell: a cell this long still fits on one page in the narrow columns of
#: the reports, and text the reports write themselves stays whole. Pass a smaller limit for a name or a
#: field beside others, a larger one (or None) for a paragraph that may run across pages.
DEFAULT_LIMIT = 1000
#: NAME_LIMIT is for a name, a title or a one-line field (cover table, band, footer); NOTE_LIMIT for a free-text
#: note in a wide column or in a paragraph of its own. Both are the input rules' own limits (domain/text_rules.py),
#: so whatever a service stores prints whole.
#: For each value in a block of several fields side by side (the order list's client and delivery blocks).
BLOCK_LIMIT = 200


def caption_limit(width: float, font_size: float, lines: int = 6) -> int:
    """Characters that fill about ``lines`` lines of ``width`` points (an average letter is half an em)."""
    return max(40, int(width / (font_size * 0.5)) * lines)


def clean(text: object) -> str:
    """Printable text: line breaks as newlines, tabs as spaces, no control or invisible characters."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    s = s.replace("\t", " ").replace("\x0b", " ").replace("\x0c", "\n").replace("\x85", "\n")
    s = _SURROGATE.sub(REPLACEMENT, s)   # half a UTF-16 pair cannot be encoded
    return _REMOVE.sub("", s)


SHORTENED = "[shortened:"   # what every shortened field shows


def shortened_mark(length: int) -> str:
    return f"… [shortened: {length:,} characters in the record]"


#: A line break counts as this many characters: a note of 1,000 one-letter lines is as tall as it looks.
LINE_BREAK_COST = 40
_AVERAGE_EM = 0.634   # the advance of DejaVu Sans "n": a lowercase letter counts one or less


@lru_cache(maxsize=None)
def _cost(ch: str) -> float:
    """How many average letters ``ch`` is wide (an emoji about two, a combining accent nothing)."""
    if ch == "\n":
        return LINE_BREAK_COST
    kind = font_class(ch)
    font = styles.FONT_FALLBACK if kind == FALLBACK else styles.FONT
    return pdfmetrics.stringWidth(ch, font, 1) / _AVERAGE_EM if kind else 1.0


def shorten(text: str, limit: int | None) -> str:
    """``text`` itself when it is no longer than ``limit`` average letters (a line break counts as
    ``LINE_BREAK_COST``, an emoji as about two), else its start and ``shortened_mark``."""
    if limit is None or len(text) * 2.5 <= limit and text.count("\n") * LINE_BREAK_COST <= limit // 2:
        return text   # short enough whatever its letters: no need to measure
    total, end = 0.0, len(text)
    for i, ch in enumerate(text):
        total += _cost(ch)
        if total > limit:
            end = i
            break
    else:
        return text
    cut = text[:max(end, 1)]
    space = cut.rfind(" ", int(len(cut) * 0.8))    # end on a word when one ends near the limit
    if space > 0:
        cut = cut[:space]
    while cut and unicodedata.combining(cut[-1]):   # never strand an accent from its letter
        cut = cut[:-1]
    return cut.rstrip() + " " + shortened_mark(len(text))


# -- fonts: which characters each face can print -------------------------------------------------------------

MAIN, UPRIGHT, FALLBACK = "main", "upright", "fallback"
_IGNORABLE = re.compile("[\u034f\ufe00-\ufe0f\U000e0000-\U000e0fff]")
_SKIN_TONE = re.compile("[\U0001f3fb-\U0001f3ff]")
_RUN_FONT = {UPRIGHT: styles.FONT_UPRIGHT, FALLBACK: styles.FONT_FALLBACK}


@lru_cache(maxsize=None)
def coverage(font_name: str) -> frozenset[int]:
    """Code points the registered TrueType font ``font_name`` has a glyph for."""
    styles.register_fonts()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


@lru_cache(maxsize=1)
def _covers() -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    every_face = coverage(styles.FONT)
    for face in styles.FONT_FACES[1:]:
        every_face &= coverage(face)
    return every_face, coverage(styles.FONT), coverage(styles.FONT_FALLBACK)


def font_class(ch: str) -> str | None:
    """MAIN (every DejaVu face), UPRIGHT (regular DejaVu only: most of Arabic), FALLBACK (Noto Emoji) or None."""
    every_face, regular, fallback = _covers()
    cp = ord(ch)
    if cp in every_face or ch in " \n":
        return MAIN
    if cp in regular:
        return UPRIGHT
    if cp in fallback:
        return FALLBACK
    return None


def font_runs(text: str) -> list[tuple[str, str]]:
    """``(class, text)`` runs. A mark or variation selector stays in its letter's font when that has it;
    a variation selector no font has is dropped, and so is a skin tone after an emoji (one-colour glyphs
    cannot show it). Any other character no font has becomes U+FFFD."""
    runs: list[list[str]] = []
    for ch in text:
        kind = font_class(ch)
        previous = runs[-1][0] if runs else None
        attached = _IGNORABLE.match(ch) or _is_mark(ch) or _SKIN_TONE.match(ch)
        if attached and previous is not None:
            if _SKIN_TONE.match(ch) and previous == FALLBACK:
                continue
            if ord(ch) in (_covers()[2] if previous == FALLBACK else _covers()[1]):
                kind = previous
        if kind is None:
            if _IGNORABLE.match(ch):
                continue
            ch, kind = REPLACEMENT, MAIN
        if runs and runs[-1][0] == kind:
            runs[-1][1] += ch
        else:
            runs.append([kind, ch])
    return _bridge_spaces(runs)


def _bridge_spaces(runs: list[list[str]]) -> list[tuple[str, str]]:
    """Spaces between two runs of one font join them: an Arabic phrase is one run in one font, fewer font
    changes for the PDF and one piece of text for a PDF reader to reorder."""
    merged: list[list[str]] = []
    for i, (kind, run) in enumerate(runs):
        between = 0 < i < len(runs) - 1 and kind == MAIN and not run.strip(" " + _NBSP)
        if between and merged[-1][0] == runs[i + 1][0] != MAIN and "\n" not in run:
            merged[-1][1] += run
        elif merged and merged[-1][0] == kind:
            merged[-1][1] += run
        else:
            merged.append([kind, run])
    return [(k, t) for k, t in merged]


# -- the two ways into a PDF ---------------------------------------------------------------------------------

def esc(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """User text as safe ReportLab paragraph markup: cleaned, shortened past ``limit`` characters (None:
    never), in display order, markup escaped, line breaks kept, each character in a font that has it."""
    out = []
    for kind, run in font_runs(display_text(shorten(clean(text), limit))):
        piece = _xml_escape(run).replace("\n", "<br/>")
        out.append(piece if kind == MAIN else f'<font name="{_RUN_FONT[kind]}">{piece}</font>')
    return "".join(out)


def line_font(text: str, font: str, regular: str = styles.FONT) -> str:
    """``font``, or the regular face when ``text`` has letters ``font`` lacks and it has them (drawString
    uses one font per line: an Arabic organisation name is set upright rather than lost)."""
    have, other = coverage(font), coverage(regular)
    shown = display_line(" ".join(clean(text).split()))
    return regular if any(ord(c) not in have and ord(c) in other for c in shown) else font


def plain(text: object, font: str, size: float, max_width: float | None = None, limit: int = NAME_LIMIT) -> str:
    """User text for ``canvas.drawString`` in ``font``: one cleaned line in display order, characters the
    font lacks as U+FFFD (drawString cannot change font), shortened with "…" to fit ``max_width`` points."""
    s = " ".join(clean(text).split())
    if len(s) > limit:
        s = s[:limit].rstrip() + "…"
    have = coverage(font)
    s = display_line(s).replace(_NBSP, " ")
    s = "".join(c if ord(c) in have else ("" if _IGNORABLE.match(c) else REPLACEMENT) for c in s)
    if max_width is None or pdfmetrics.stringWidth(s, font, size) <= max_width:
        return s
    lo, hi = 0, len(s)
    while lo < hi:                      # the longest start that fits with its "…"
        mid = (lo + hi + 1) // 2
        if pdfmetrics.stringWidth(s[:mid].rstrip() + "…", font, size) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return s[:lo].rstrip() + "…" if lo else ""


def text_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)
