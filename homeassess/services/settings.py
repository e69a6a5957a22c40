"""Settings held once for every visit: the therapist, the organisation and the defaults of a new visit.

They live in the database's ``setting`` key/value table, so backups and bundles carry them. Every
key is typed and validated here (the Settings screen and ``homeassess settings set`` share it).
A few internal keys (``app.*`` for the last and recent visits, ``archived.*`` for archived clients
and visits) use the same table but are not settings a person edits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.domain.errors import FieldError, ValidationError
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.text_rules import TEXT_LIMITS, clean_text
from homeassess.services.changes import Changes
from homeassess.reports.model import Letterhead
from homeassess.services.context import AppContext

PAPER_SIZES = ("A4", "Letter")
COUNTRIES = {"UK": ("UK", "metric", "A4"), "US": ("US", "imperial", "Letter"), "AU": ("AU", "metric", "A4")}
COUNTRY_LABELS = {"UK": "United Kingdom", "US": "United States", "AU": "Australia"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^[0-9+()\-. /]*(?:ext\.? ?[0-9]+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SettingKey:
    key: str
    label: str
    kind: str                    # text | multiline | email | phone | image | choice
    choices: tuple[str, ...] = ()
    default: str = ""
    max_length: int = TEXT_LIMITS["title"]   # lengths come from the one table (text_rules.TEXT_LIMITS)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]


KEYS: dict[str, SettingKey] = {k.key: k for k in (
    SettingKey("therapist.name", "Name", "text", max_length=TEXT_LIMITS["name"]),
    SettingKey("therapist.profession", "Profession", "text", default="Occupational Therapist"),
    SettingKey("therapist.registration", "Registration number", "text", max_length=TEXT_LIMITS["code"]),
    SettingKey("therapist.phone", "Phone", "phone", max_length=TEXT_LIMITS["code"]),
    SettingKey("therapist.email", "Email", "email"),
    SettingKey("therapist.signature", "Signature image", "image", max_length=TEXT_LIMITS["address"]),
    SettingKey("organisation.name", "Name", "text", max_length=TEXT_LIMITS["name"]),
    SettingKey("organisation.address", "Address", "multiline", max_length=TEXT_LIMITS["address"]),
    SettingKey("organisation.phone", "Phone", "phone", max_length=TEXT_LIMITS["code"]),
    SettingKey("organisation.email", "Email", "email"),
    SettingKey("organisation.logo", "Logo image", "image", max_length=TEXT_LIMITS["address"]),
    SettingKey("defaults.standard", "Standards", "choice", tuple(s.value for s in StandardProfile), "UK"),
    SettingKey("defaults.units", "Display units", "choice", tuple(u.value for u in DisplayUnits), "metric"),
    SettingKey("defaults.paper", "Paper size", "choice", PAPER_SIZES, "A4"),
)}
SECTIONS = {"therapist": "Therapist", "organisation": "Organisation", "defaults": "Defaults for a new visit"}
LAST_VISIT = "app.last_visit"
RECENT_VISITS = "app.recent_visits"
RECENT_LIMIT = 8


@dataclass(frozen=True, slots=True)
class Settings:
    """Every typed setting, with its default where nothing was stored."""

    values: dict[str, str]
    stored: frozenset[str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    @property
    def standard(self) -> StandardProfile:
        return StandardProfile(self.values["defaults.standard"])

    @property
    def units(self) -> DisplayUnits:
        return DisplayUnits(self.values["defaults.units"])

    @property
    def paper(self) -> str:
        return self.values["defaults.paper"]

    @property
    def country_chosen(self) -> bool:
        return "defaults.standard" in self.stored


# -- reading ----------------------------------------------------------------------------------
def _rows(session: Session, keys: Iterable[str]) -> dict[str, str]:
    return {r.key: r.value for r in session.scalars(select(m.Setting).where(m.Setting.key.in_(list(keys))))}


def settings_from_session(session: Session) -> Settings:
    """The settings read inside a unit of work that is already open (reports, visit creation)."""
    stored = _rows(session, KEYS)
    return Settings({k: stored.get(k, spec.default) for k, spec in KEYS.items()}, frozenset(stored))


def get_settings(ctx: AppContext) -> Settings:
    with ctx.uow(read_only=True) as uow:
        return settings_from_session(uow.session)


def visit_defaults(settings: Settings) -> dict[str, str]:
    """What a new visit takes from Settings (assessment fields), leaving out what is not set."""
    values = {"standard": settings["defaults.standard"], "units": settings["defaults.units"],
              "therapist_name": settings["therapist.name"], "therapist_profession": settings["therapist.profession"],
              "therapist_registration": settings["therapist.registration"],
              "organisation": settings["organisation.name"]}
    return {k: v for k, v in values.items() if v}


def signatory(settings: Settings, *, name: str, profession: str, registration: str,
              organisation: str) -> tuple[str, str]:
    """'Name, Profession (registration …)' and the organisation for a report: the visit's own values,
    and Settings where the visit says nothing."""
    if not name.strip() and settings["therapist.name"]:
        name, profession = settings["therapist.name"], settings["therapist.profession"] or profession
        registration = registration or settings["therapist.registration"]
    therapist = ", ".join(x for x in (name.strip(), profession.strip()) if x)
    if registration:
        therapist += f" (registration {registration})"
    return therapist, organisation.strip() or settings["organisation.name"]


def letterhead_for(session: Session, organisation: str = "") -> Letterhead:
    """The report's letterhead: the visit's organisation (else Settings'), the logo and the paper size."""
    settings = settings_from_session(session)
    return Letterhead(organisation=organisation.strip() or settings["organisation.name"],
                      logo_path=settings["organisation.logo"], paper=settings.paper)


# -- validation and writing -------------------------------------------------------------------
def spec_of(key: str) -> SettingKey:
    if key not in KEYS:
        raise ValidationError([FieldError(key, "is not a setting; known settings: " + ", ".join(KEYS))])
    return KEYS[key]


def _check_image(key: str, text: str) -> str:
    from PIL import Image, UnidentifiedImageError

    path = Path(text).expanduser()
    if not path.is_file():
        raise ValidationError([FieldError(key, f"no image file at {path}")])
    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError([FieldError(key, f"{path.name} is not an image that can be opened ({exc})")]) from exc
    return str(path.resolve())


def validate(key: str, value: str) -> str:
    """The value as it will be stored, or ValidationError naming what is wrong."""
    spec = spec_of(key)
    text = clean_text(value, field=key, max_len=spec.max_length, multiline=spec.kind == "multiline",
                      label=f"{SECTIONS[spec.section]}: {spec.label}")
    if spec.kind == "choice":
        by_lower = {c.lower(): c for c in spec.choices}
        if text.lower() not in by_lower:
            raise ValidationError([FieldError(key, f"must be one of {', '.join(spec.choices)}")])
        return by_lower[text.lower()]
    if not text:
        return ""
    if spec.kind == "email" and not _EMAIL.match(text):
        raise ValidationError([FieldError(key, f"{text!r} is not an email address")])
    if spec.kind == "phone" and not _PHONE.match(text):
        raise ValidationError([FieldError(key, "a phone number has digits, spaces and + ( ) - only")])
    if spec.kind == "image":
        return _check_image(key, text)
    return text


def _put(session: Session, key: str, value: str) -> None:
    row = session.get(m.Setting, key)
    if row is None:
        session.add(m.Setting(key=key, value=value))
    else:
        row.value = value


def set_setting(ctx: AppContext, key: str, value: str) -> tuple[str, Changes]:
    """Validate and store one setting; returns the stored value."""
    stored = validate(key, value)
    with ctx.uow() as uow:
        _put(uow.session, key, stored)
    return stored, Changes()


def apply_country(ctx: AppContext, country: str) -> tuple[Settings, Changes]:
    """First run: UK → UK standards, metric, A4; US → US, imperial, Letter; AU → AU, metric, A4."""
    code = country.strip().upper()
    code = {"GB": "UK", "AUSTRALIA": "AU", "USA": "US"}.get(code, code)
    if code not in COUNTRIES:
        raise ValidationError([FieldError("country", "must be UK, US or AU")])
    standard, units, paper = COUNTRIES[code]
    with ctx.uow() as uow:
        for key, value in (("defaults.standard", standard), ("defaults.units", units), ("defaults.paper", paper)):
            _put(uow.session, key, value)
    return get_settings(ctx), Changes()


# -- internal keys: last and recent visits, archived records --------------------------------
def _get_raw(ctx: AppContext, key: str) -> str | None:
    with ctx.uow(read_only=True) as uow:
        row = uow.session.get(m.Setting, key)
        return None if row is None else row.value


def remember_visit(ctx: AppContext, assessment_id: str) -> None:
    """The visit just opened becomes the last visit (reopened on start) and heads the recent list."""
    recent = [assessment_id] + [v for v in recent_visit_ids(ctx) if v != assessment_id]
    with ctx.uow() as uow:
        _put(uow.session, LAST_VISIT, assessment_id)
        _put(uow.session, RECENT_VISITS, json.dumps(recent[:RECENT_LIMIT]))


def last_visit_id(ctx: AppContext) -> str | None:
    return _get_raw(ctx, LAST_VISIT) or None


def recent_visit_ids(ctx: AppContext) -> list[str]:
    try:
        value = json.loads(_get_raw(ctx, RECENT_VISITS) or "[]")
    except json.JSONDecodeError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def archived_ids(session: Session, kind: str) -> set[str]:
    """Ids of archived clients (``kind="client"``) or visits (``"assessment"``)."""
    prefix = f"archived.{kind}."
    rows = session.scalars(select(m.Setting.key).where(m.Setting.key.like(prefix + "%")))
    return {key[len(prefix):] for key in rows}


def set_archived(session: Session, kind: str, record_id: str, archived: bool, when: str) -> None:
    key = f"archived.{kind}.{record_id}"
    row = session.get(m.Setting, key)
    if archived and row is None:
        session.add(m.Setting(key=key, value=when))
    elif not archived and row is not None:
        session.delete(row)
