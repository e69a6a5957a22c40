"""File names for the reports a therapist saves and emails: readable, and safe on every system.

``report_filename("Ångström-Nuñez", "Zoë", date(2024, 5, 2), "family")`` gives
``Ångström-Nuñez-Zoë-2024-05-02-family.pdf``. Letters of any script are kept (accents, Hebrew,
Chinese); what Windows, macOS or Linux refuse or misread in a name is replaced: path separators,
``:*?"<>|``, control and invisible direction characters, leading dots (hidden files), trailing dots
and spaces, reserved device names (CON, NUL, COM1…), and names too long for the file system.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

REPORT_KINDS = ("family", "clinical", "orders", "progress", "progress-family")
FALLBACK_NAME = "Client"
# Most file systems allow 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS) in one name. Two name
# parts of 64 UTF-8 bytes, the date, the kind and ".pdf" stay well under that, and leave room in a
# Windows path of 260 characters for the folders above.
MAX_PART_BYTES = 64

_UNSAFE = set('/\\:*?"<>|')
_KEEP_FORMAT = {"\u200c", "\u200d"}  # zero-width (non-)joiners shape Persian, Indic and emoji text
_EDGES = " ._-"
_RESERVED = ({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
             | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")})


def _clean_char(ch: str) -> str:
    if ch in _UNSAFE:
        return "_"
    category = unicodedata.category(ch)
    if category in ("Zs", "Zl", "Zp") or ch in "\t\n\r\v\f":
        return " "
    if category in ("Cc", "Cs"):   # control characters; lone surrogates cannot even be written
        return "_"
    if category == "Cf" and ch not in _KEEP_FORMAT:
        return ""   # invisible: bidi overrides (U+202E spoofs "fdp.exe" as "exe.pdf"), BOM, soft hyphen
    return ch


def _cut(text: str, max_bytes: int) -> str:
    """At most ``max_bytes`` of UTF-8, never splitting a character or leaving a lone accent."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    out, used = [], 0
    for ch in text:
        size = len(ch.encode("utf-8"))
        if used + size > max_bytes:
            break
        out.append(ch)
        used += size
    while out and unicodedata.combining(text[len(out)]):
        out.pop()   # the cut falls among a letter's accents: drop the letter rather than bare it
    return "".join(out)


def safe_file_part(text: str, *, fallback: str = FALLBACK_NAME, max_bytes: int = MAX_PART_BYTES) -> str:
    """``text`` made safe as (part of) a file name on Windows, macOS and Linux; ``fallback`` when
    nothing readable is left (pass ``fallback=""`` to get an empty string instead)."""
    text = unicodedata.normalize("NFC", text or "")
    cleaned = "".join(_clean_char(ch) for ch in text)
    cleaned = re.sub(r" +", " ", cleaned)
    cleaned = re.sub(r"_+", "_", cleaned)
    cleaned = re.sub(r"[ _]*-[ _]*", "-", cleaned)   # "Smith _ - Jones" -> "Smith-Jones"
    cleaned = re.sub(r"-{2,}", "-", cleaned)   # one dash: it separates the parts of a report's name
    cleaned = _cut(cleaned.strip(_EDGES), max_bytes).strip(_EDGES)
    if not cleaned:
        return fallback
    base, dot, rest = cleaned.partition(".")
    if base.rstrip(" ").upper() in _RESERVED:
        cleaned = f"{base.rstrip(' ')}_{dot}{rest}"   # "CON" and "con.txt" are devices on Windows; "CON_.txt" is a file
    return cleaned


def date_part(day: date) -> str:
    """YYYY-MM-DD, zero-padded for every year (strftime does not pad years before 1000 everywhere)."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def report_filename(family_name: str, given_name: str, visit_date: date, kind: str) -> str:
    """``Surname-Given-YYYY-MM-DD-<kind>.pdf``; "Client" stands in when the client has no usable name."""
    names = [p for p in (safe_file_part(family_name, fallback=""), safe_file_part(given_name, fallback="")) if p]
    kind_part = safe_file_part(kind, fallback="report")
    return "-".join([*(names or [FALLBACK_NAME]), date_part(visit_date), kind_part]) + ".pdf"
