"""The ``.homeassess`` bundle file: a zip (manifest, data, photos, checklist definitions), optionally
encrypted as a whole with a passphrase (the age format: scrypt + ChaCha20-Poly1305, via ``pyrage``),
so that not even the entry names of an encrypted bundle can be read.

Reading treats the file as hostile: it is size-limited before it is read, every entry name is
checked (no absolute paths, no ``..``, no links, only the names a bundle has), sizes and
compression ratios are capped (zip bombs), the manifest's format version must be one this
installation reads, and every entry must match the SHA-256 the manifest gives it, with nothing
unlisted. Only then does the caller see the contents. Pure file work: no database, no Qt.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeassess.domain.errors import HomeAssessError

FORMAT = "homeassess-bundle"
FORMAT_VERSION = 1
SUFFIX = ".homeassess"
MANIFEST = "manifest.json"
DATA = "data.json"
AGE_MAGIC = b"age-encryption.org/v1\n"
ZIP_MAGIC = b"PK\x03\x04"

MAX_FILE_BYTES = 2_000_000_000          # the bundle file itself
MAX_ENTRIES = 20_000
MAX_ENTRY_BYTES = {DATA: 200_000_000, MANIFEST: 20_000_000}
MAX_PHOTO_BYTES = 40_000_000
MAX_CHECKLIST_BYTES = 2_000_000
MAX_TOTAL_BYTES = 4_000_000_000         # everything unpacked
MAX_RATIO = 200                         # unpacked ÷ packed, for entries over 1 MB unpacked

_NAME = re.compile(r"(manifest\.json|data\.json|photos/[0-9a-f]{64}\.jpg|checklists/[a-z0-9_]+\.v[0-9]+\.toml)")


class BundleError(HomeAssessError):
    """A bundle that cannot be read or is not safe: refused as a whole, nothing changed."""


class PassphraseError(BundleError):
    """The bundle is encrypted and the passphrase is missing or wrong."""


@dataclass(frozen=True)
class BundleContents:
    manifest: dict[str, Any]
    entries: dict[str, bytes]           # every entry but the manifest, by name, verified


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(AGE_MAGIC)) == AGE_MAGIC


def pack(manifest: dict[str, Any], entries: dict[str, bytes], passphrase: str | None) -> bytes:
    """The bundle's bytes. The manifest gets the SHA-256 of every entry."""
    manifest = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION,
                "entries": {name: sha256(data) for name, data in sorted(entries.items())}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in sorted(entries.items()):
            # Photos are JPEGs already: storing them is as small and much faster than deflating.
            kind = zipfile.ZIP_STORED if name.endswith(".jpg") else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data, compress_type=kind)
    packed = buffer.getvalue()
    if passphrase:
        from pyrage import passphrase as age

        return age.encrypt(packed, passphrase)
    return packed


def _read_limited(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BundleError(f"{path.name} is {size / 1e9:.1f} GB, larger than any visit bundle can be.")
        return path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{path} cannot be read ({exc.strerror or exc}).") from exc


def _decrypt(data: bytes, passphrase: str | None, name: str) -> bytes:
    from pyrage import DecryptError
    from pyrage import passphrase as age

    if not passphrase:
        raise PassphraseError(f"{name} is encrypted: the passphrase it was exported with is needed.")
    try:
        return age.decrypt(data, passphrase)
    except DecryptError:
        raise PassphraseError(f"The passphrase does not open {name} (or the file is damaged).") from None
    except Exception as exc:  # noqa: BLE001 - a malformed header is the file's fault, not ours
        raise BundleError(f"{name} is damaged: it cannot be decrypted ({type(exc).__name__}).") from None


def _check_entry(info: zipfile.ZipInfo, seen: set[str], total: int) -> int:
    name = info.filename
    if name in seen:
        raise BundleError(f"the bundle holds {name!r} twice")
    seen.add(name)
    if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name or ":" in name:
        raise BundleError(f"the bundle holds a file outside its own folder ({name!r})")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BundleError(f"the bundle holds a link ({name!r}), which a bundle never does")
    if not _NAME.fullmatch(name):
        raise BundleError(f"the bundle holds an unexpected file ({name[:80]!r})")
    limit = MAX_ENTRY_BYTES.get(name) or (MAX_PHOTO_BYTES if name.startswith("photos/") else MAX_CHECKLIST_BYTES)
    if info.file_size > limit:
        raise BundleError(f"{name} in the bundle is too large ({info.file_size:,} bytes)")
    if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise BundleError(f"{name} in the bundle unpacks {info.file_size // max(info.compress_size, 1)} times "
                          "larger than it is packed (a zip bomb)")
    if total + info.file_size > MAX_TOTAL_BYTES:
        raise BundleError("the bundle unpacks to more than any visit can hold")
    return total + info.file_size


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # Never trust the declared size: read at most one byte more than it says.
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise BundleError(f"{info.filename} in the bundle is not the size it claims")
    return data


def unpack(path: Path, passphrase: str | None = None) -> BundleContents:
    """Read and verify a bundle; BundleError (PassphraseError) says why it is refused."""
    raw = _read_limited(path)
    if raw.startswith(AGE_MAGIC):
        raw = _decrypt(raw, passphrase, path.name)
    if not raw.startswith(ZIP_MAGIC):
        raise BundleError(f"{path.name} is not a HomeAssess bundle.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise BundleError(f"{path.name} is damaged or incomplete ({exc}).") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise BundleError(f"{path.name} holds {len(infos):,} files, more than any visit has.")
        seen: set[str] = set()
        total = 0
        for info in infos:
            total = _check_entry(info, seen, total)
        if MANIFEST not in seen or DATA not in seen:
            raise BundleError(f"{path.name} has no manifest or no data: it is not a complete bundle.")
        try:
            entries = {info.filename: _read_entry(zf, info) for info in infos}
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise BundleError(f"{path.name} is damaged ({exc}).") from None
    try:
        manifest = json.loads(entries.pop(MANIFEST))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError(f"the bundle's manifest is not valid ({exc}).") from None
    _check_manifest(manifest, entries)
    return BundleContents(manifest, entries)


def _check_manifest(manifest: Any, entries: dict[str, bytes]) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError("the file is a zip but not a HomeAssess bundle (its manifest is missing or foreign).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BundleError("the bundle's manifest has no format version.")
    if version > FORMAT_VERSION:
        raise BundleError(f"the bundle was made by a newer HomeAssess (bundle format {version}); "
                          "install the newer version to import it.")
    listed = manifest.get("entries")
    if not isinstance(listed, dict):
        raise BundleError("the bundle's manifest does not list its files.")
    if set(listed) != set(entries):
        missing = sorted(set(listed) - set(entries))
        extra = sorted(set(entries) - set(listed))
        raise BundleError(f"the bundle's files do not match its manifest (missing: {', '.join(missing[:3]) or 'none'}; "
                          f"unlisted: {', '.join(extra[:3]) or 'none'}).")
    for name, data in entries.items():
        if listed[name] != sha256(data):
            raise BundleError(f"{name} in the bundle has been changed or damaged (its SHA-256 does not match).")
