"""Validation of what a therapist types about a client; messages are shown beside the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from homeassess.domain.errors import FieldError

# Plausible ranges; values outside them are typing mistakes (REFERENCE §3.10 typical heights).
RANGES = {
    "knee_height_mm": (250.0, 750.0, "Knee height is usually between 250 and 750 mm"),
    "weight_kg": (10.0, 400.0, "Weight must be between 10 and 400 kg"),
    "height_mm": (500.0, 2500.0, "Height must be between 500 and 2500 mm"),
    "aid_width_mm": (250.0, 1200.0, "Aid width is usually between 250 and 1200 mm"),
    "aid_length_mm": (250.0, 2000.0, "Aid length is usually between 250 and 2000 mm"),
    "aid_swl_kg": (20.0, 500.0, "A rated load (safe working load) is usually between 20 and 500 kg"),
    "falls_last_12_months": (0, 365, "Falls must be a whole number from 0 to 365"),
}


def validate_client_fields(fields: dict[str, Any], *, today: date, creating: bool = False) -> list[FieldError]:
    """Check the fields being set; ``creating`` also requires a name."""
    errors: list[FieldError] = []
    for name in ("given_name", "family_name"):
        if (creating or name in fields) and not str(fields.get(name, "")).strip():
            errors.append(FieldError(name, "A name is required"))
    dob = fields.get("date_of_birth")
    if dob is not None:
        if dob > today:
            errors.append(FieldError("date_of_birth", "Date of birth cannot be in the future"))
        elif today.year - dob.year > 120:
            errors.append(FieldError("date_of_birth", "Date of birth is more than 120 years ago"))
    for n, item in enumerate(fields.get("equipment") or ()):
        if not str(item.get("name", "")).strip():
            errors.append(FieldError("equipment", f"Equipment {n + 1} needs a name (for example 'Profiling bed')"))
        swl = item.get("swl_kg")
        low, high, message = RANGES["aid_swl_kg"]
        if swl is not None and not (isinstance(swl, (int, float)) and low <= swl <= high):
            errors.append(FieldError("equipment", f"{item.get('name') or 'Equipment'}: {message}"))
    for name, (low, high, message) in RANGES.items():
        value = fields.get(name)
        if value is not None and not low <= value <= high:
            errors.append(FieldError(name, message))
    return errors
