"""What the command line prints: tab-separated rows and one-line ``error:`` messages, escaped.

Every field printed goes through ``escape_field``, so a tab or newline inside a client's name, a
file name or a product name cannot break a row into two, and no control character reaches the
terminal (an ESC from a hostile file could recolour or retitle it). Backslash, tab, newline and
carriage return become ``\\\\``, ``\\t``, ``\\n``, ``\\r``; other control characters, line
separators and bytes that are not UTF-8 become ``\\xNN`` or ``\\uNNNN``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TextIO

MAX_MESSAGE = 400  # characters of an error message; a hostile file can make one very long
_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# C0 and C1 controls and DEL, U+2028/U+2029 (str.splitlines breaks there), lone surrogates.
_SPECIAL = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Names our own temporary files have: the photo store's ".tmp-XXXX.part", a report's
# ".<stem>-XXXXXXXX.pdf" (tempfile.mkstemp); an error about one names its folder instead.
_TEMPORARY = re.compile(r"\.tmp-[^/\\]*|.*\.part|\.[^/\\]+-[a-z0-9_]{8}(\.[A-Za-z0-9]{1,5})?")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python reads file names and arguments
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_field(value: object) -> str:
    """One output field as a single line with no control characters (see the module docstring)."""
    return _SPECIAL.sub(_escape_char, str(value))


def print_row(*fields: object, file: TextIO | None = None) -> None:
    """Print fields separated by tabs, each escaped: the one way a command prints a row."""
    print("\t".join(escape_field(f) for f in fields), file=file or sys.stdout)


def short(message: str, limit: int = MAX_MESSAGE) -> str:
    """``message`` escaped and cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = escape_field(message)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def print_error(message: object) -> None:
    """The one ``error: ...`` line on stderr: escaped, single-line, short."""
    print(f"error: {short(str(message))}", file=sys.stderr)


def print_warning(message: object) -> None:
    print(f"warning: {short(str(message))}", file=sys.stderr)


def looks_temporary(filename: str | bytes | None) -> bool:
    """True for the hidden temporary files the app writes beside its outputs."""
    if filename is None:
        return False
    name = Path(filename.decode(errors="replace") if isinstance(filename, bytes) else str(filename)).name
    return bool(_TEMPORARY.fullmatch(name))


def os_error_text(exc: OSError) -> str:
    """An OSError in words, naming the file the person gave, or the folder of a temporary file."""
    what = exc.strerror or type(exc).__name__
    if exc.filename is None:
        return what
    where = Path(str(exc.filename))
    return f"{what} (in {where.parent})" if looks_temporary(exc.filename) else f"{what} ({where})"
