"""What may be stored as text: one table of maximum lengths, and the clean-up every text field gets.

The services clean every text they store with these (the screens, the command line, the demo, scenarios
and importers all go through the services), and the widgets take their maximum lengths from the same
table, so a form never accepts what a service refuses. Reports print a name up to ``NAME_LIMIT`` and a
note up to ``NOTE_LIMIT`` characters (``reports/text.py`` imports them from here), so what is stored fits.
Too long is refused, never cut: a clinical note that lost its end silently is worse than a message.
"""

from __future__ import annotations

import unicodedata

from homeassess.domain.errors import FieldError, ValidationError

#: Kinds of text field and their maximum length in characters (after clean-up).
TEXT_LIMITS: dict[str, int] = {
    "name": 150,      # a person, room, organisation, product or supplier: one line of a report
    "code": 100,      # a registration, phone or approval number, an identifier, a relationship, a product code
    "title": 200,     # a recommendation or finding title, a profession, an email, a goal's activity, a label
    "line": 500,      # a one-line sentence: a goal, the referral reason, who was present, a size or setting
    "address": 1000,  # a postal address or delivery details; a file path
    "note": 3000,     # a note, reason, caption or recommendation wording
    "record": 5000,   # an addendum to a signed-off visit
}
#: Kinds whose text keeps its line breaks and tabs; every other kind is one line.
MULTILINE = frozenset({"address", "note", "record"})

NAME_LIMIT = TEXT_LIMITS["name"]
CODE_LIMIT = TEXT_LIMITS["code"]
TITLE_LIMIT = TEXT_LIMITS["title"]
LINE_LIMIT = TEXT_LIMITS["line"]
ADDRESS_LIMIT = TEXT_LIMITS["address"]
NOTE_LIMIT = TEXT_LIMITS["note"]
RECORD_LIMIT = TEXT_LIMITS["record"]

# Line and paragraph separators other than "\n" become "\n" (multi-line) or a space (one line).
_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
# Directional overrides and isolates reorder what follows them on screen (a name could show as another);
# a byte-order mark is debris from a file. The marks (U+200E/U+200F) and joiners stay: scripts need them.
_DROP = frozenset("\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What shows nothing: format characters (zero-width space and joiners, word joiner, BOM …), spaces and
# separators, controls, and letters that render blank (Hangul fillers, the blank Braille pattern). A name
# made only of these is empty; they are trimmed from a name's ends. A combining mark alone shows nothing
# either, but is never trimmed: many scripts end a word with one.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Cc"})
_MARKS = frozenset({"Mn", "Me"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def label_of(field: str) -> str:
    """A field's name in plain words: ``family_name`` → "Family name", ``therapist.email`` → "Therapist email"."""
    words = field.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "This field"


def _characters(text: str, multiline: bool) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").translate(_BREAKS)
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch if multiline else " ")
        elif ch in _DROP:
            continue
        elif unicodedata.category(ch) == "Cc":
            continue
        elif unicodedata.category(ch) == "Cs":  # half a UTF-16 pair cannot be stored; show that one was there
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def clean_text(value: object, *, field: str, max_len: int, multiline: bool = False, label: str | None = None) -> str:
    """``value`` as it will be stored: NFC, control characters removed (line breaks and tabs kept only when
    ``multiline``, CR LF as LF), spaces trimmed. ``None`` is "". Raises ValidationError naming the field
    when it is not text or is longer than ``max_len`` after clean-up."""
    if value is None:
        return ""
    what = label or label_of(field)
    if not isinstance(value, str):
        raise ValidationError([FieldError(field, f"{what} must be text")])
    text = _characters(value, multiline).strip()
    if len(text) > max_len:
        raise ValidationError([FieldError(field, f"{what} is too long: {len(text):,} characters "
                                                 f"(at most {max_len:,})")])
    return text


def clean_kind(value: object, *, field: str, kind: str, label: str | None = None) -> str:
    """``clean_text`` with the maximum length and line rule of a kind in ``TEXT_LIMITS``."""
    return clean_text(value, field=field, max_len=TEXT_LIMITS[kind], multiline=kind in MULTILINE, label=label)


def is_invisible(ch: str) -> bool:
    return ch in _BLANK_LETTERS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing: empty, spaces, or only zero-width and other invisible characters."""
    return all(is_invisible(ch) or unicodedata.category(ch) in _MARKS for ch in text)


def _trim_invisible(text: str) -> str:
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def clean_name(value: object, *, field: str, max_len: int = NAME_LIMIT, required: bool = True,
               label: str | None = None, empty_message: str | None = None, multiline: bool = False) -> str:
    """A name (or any text that must say something) as it will be stored: ``clean_text``, and invisible
    characters trimmed from both ends. A value that shows nothing (empty, spaces, U+200B, U+FEFF …) is
    refused when ``required``, else is ""."""
    text = _trim_invisible(clean_text(value, field=field, max_len=max_len, multiline=multiline, label=label))
    if is_blank(text):
        if required:
            raise ValidationError([FieldError(field, empty_message or f"{label or label_of(field)} is required")])
        return ""
    return text


def collect(errors: list[FieldError], clean: object, *args: object, **kwargs: object) -> object:
    """Call a clean-up function; on ValidationError add its errors to ``errors`` and return None, so a
    form's every problem is reported at once."""
    try:
        return clean(*args, **kwargs)  # type: ignore[operator]
    except ValidationError as exc:
        errors.extend(exc.errors)
        return None
