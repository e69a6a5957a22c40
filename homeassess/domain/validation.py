"""Validation of what a therapist types about a client; messages are shown beside the field.

The limits are the input rules' (``input_rules.NUMBERS``, ``input_rules.DATES``, ``text_rules.TEXT_LIMITS``):
the client editor takes its field lengths from ``CLIENT_TEXT`` and the services refuse with the same words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from homeassess.domain.errors import FieldError, ValidationError
from homeassess.domain.input_rules import NUMBERS, check_date, check_number, check_optional
from homeassess.domain.text_rules import clean_kind, clean_name, collect, label_of

#: Each free-text client field and its kind in ``TEXT_LIMITS``.
CLIENT_TEXT: dict[str, str] = {
    "given_name": "name", "family_name": "name", "preferred_name": "name", "address": "address",
    "phone": "code", "other_conditions": "note", "precaution_notes": "note", "notes": "note",
}
CONTACT_TEXT: dict[str, str] = {"name": "name", "relationship": "code", "phone": "code"}
REQUIRED_NAMES = ("given_name", "family_name")
#: Client numbers, each checked against its ``NUMBERS`` rule.
CLIENT_NUMBERS = ("knee_height_mm", "weight_kg", "height_mm", "aid_width_mm", "aid_length_mm", "aid_swl_kg",
                  "falls_last_12_months")
CLIENT_FLAGS = ("lives_alone", "has_carers", "home_oxygen", "household_smoker")
NAME_REQUIRED = "A name is required"


def _problem(check: Any, *args: Any, **kwargs: Any) -> FieldError | None:
    try:
        check(*args, **kwargs)
    except ValidationError as exc:
        return exc.errors[0]
    return None


def _clean_name_field(errors: list[FieldError], name: str, value: Any) -> Any:
    return collect(errors, clean_name, value, field=name, required=name in REQUIRED_NAMES,
                   empty_message=NAME_REQUIRED)


def _clean_contacts(errors: list[FieldError], contacts: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for n, contact in enumerate(contacts):
        row = {key: collect(errors, clean_kind, contact.get(key, ""), field="contacts", kind=kind,
                            label=f"Contact {n + 1}'s {key}") for key, kind in CONTACT_TEXT.items()}
        out.append({k: v or "" for k, v in row.items()})
    return out


def _clean_equipment(errors: list[FieldError], equipment: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(equipment):
        name = collect(errors, clean_name, item.get("name", ""), field="equipment", label=f"Equipment {n + 1}",
                       empty_message=f"Equipment {n + 1} needs a name (for example 'Profiling bed')")
        swl = None
        if (problem := _problem(check_optional, item.get("swl_kg"), field="equipment", rule="aid_swl_kg")):
            errors.append(FieldError("equipment", f"{name or f'Equipment {n + 1}'}: {problem.message}"))
        else:
            swl = check_optional(item.get("swl_kg"), field="equipment", rule="aid_swl_kg")
        out.append({"name": name or "", "swl_kg": swl})
    return out


def clean_client_fields(fields: dict[str, Any], *, today: date) -> dict[str, Any]:
    """The fields as they will be stored: text cleaned (control characters removed, names that show nothing
    refused, lengths checked), numbers as numbers, the date of birth a date. Raises ValidationError listing
    every problem."""
    errors: list[FieldError] = []
    out = dict(fields)
    for name in CLIENT_FLAGS:
        if name in out and not isinstance(out[name], bool):
            errors.append(FieldError(name, f"{label_of(name)} must be yes or no"))
    if out.get("date_of_birth") is not None:
        out["date_of_birth"] = collect(errors, check_date, out["date_of_birth"], field="date_of_birth",
                                       rule="date_of_birth", today=today)
    for name, kind in CLIENT_TEXT.items():
        if name in out:
            out[name] = (_clean_name_field(errors, name, out[name]) if kind == "name"
                         else collect(errors, clean_kind, out[name], field=name, kind=kind))
    if "identifiers" in out:
        out["identifiers"] = {collect(errors, clean_kind, k, field="identifier", kind="code", label="The scheme"):
                              collect(errors, clean_kind, v, field="identifier", kind="code", label="The number")
                              for k, v in dict(out["identifiers"] or {}).items()}
    if "contacts" in out:
        out["contacts"] = _clean_contacts(errors, list(out["contacts"] or ()))
    if "equipment" in out:
        out["equipment"] = _clean_equipment(errors, list(out["equipment"] or ()))
    for name in CLIENT_NUMBERS:
        if out.get(name) is not None:
            out[name] = collect(errors, check_number, out[name], field=name, rule=name, confirm_unusual=True)
    if errors:
        raise ValidationError(errors)
    return out


def validate_client_fields(fields: dict[str, Any], *, today: date, creating: bool = False) -> list[FieldError]:
    """Check the fields being set; ``creating`` also requires a name."""
    errors: list[FieldError] = []
    for name in REQUIRED_NAMES:
        if creating or name in fields:
            errors += [e for e in [_problem(clean_name, fields.get(name, ""), field=name,
                                            empty_message=NAME_REQUIRED)] if e]
    dob = fields.get("date_of_birth")
    if dob is not None:
        errors += [e for e in [_problem(check_date, dob, field="date_of_birth", rule="date_of_birth",
                                        today=today)] if e]
    for n, item in enumerate(fields.get("equipment") or ()):
        if (problem := _problem(clean_name, item.get("name", ""), field="equipment",
                                empty_message=f"Equipment {n + 1} needs a name (for example 'Profiling bed')")):
            errors.append(problem)
        if (problem := _problem(check_optional, item.get("swl_kg"), field="equipment", rule="aid_swl_kg")):
            errors.append(FieldError("equipment", f"{item.get('name') or 'Equipment'}: {problem.message}"))
    for name in CLIENT_NUMBERS:
        if fields.get(name) is not None and (problem := _problem(check_number, fields[name], field=name,
                                                                 rule=NUMBERS[name], confirm_unusual=True)):
            errors.append(problem)
    return errors
