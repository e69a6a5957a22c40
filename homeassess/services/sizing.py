"""Equipment sizing for a visit, from its answers and the client (see domain/room_sizing.py).

Which answers feed which calculation is declared in the checklists (``sizing = …`` on items) and
which recommendation a calculation sizes in the library (``sized_by = …``), so nothing here names
a checklist item or a recommendation.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from homeassess.checklists.registry import Registry
from homeassess.db import models as m
from homeassess.domain.errors import NotFoundError
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.sizing import Sizing, toilet_grab_rail
from homeassess.services.context import AppContext
from homeassess.services.findings import sizings_of_room
from homeassess.services.lookup import get_live

def visit_sizings(session: Session, assessment: m.Assessment, registry: Registry) -> list[tuple[str, Sizing]]:
    """(room name, sizing) for every calculation the recorded measurements allow."""
    return [(room.name, s) for room in assessment.rooms if room.deleted_at is None
            for s in sizings_of_room(registry, assessment, room)]


def room_sizings(ctx: AppContext, room_id: str) -> list[Sizing]:
    """Sizings for one room, for the room editor."""
    with ctx.uow(read_only=True) as uow:
        room = get_live(uow.session, m.Room, room_id, "room")
        return sizings_of_room(ctx.registry, room.assessment, room)


def sizing_for(sizings: list[tuple[str, Sizing]], sized_by: str, room_name: str | None,
               standard: StandardProfile | None = None, units: DisplayUnits = DisplayUnits.METRIC) -> Sizing | None:
    """The sizing that sets a recommendation's size or height: same room first, then anywhere in the visit.

    ``sized_by`` is the recommendation template's sizing key (empty: nothing sizes it)."""
    if not sized_by:
        return None
    matches = [(name, s) for name, s in sizings if s.key == sized_by]
    same_room = [s for name, s in matches if name == room_name]
    found = (same_room or [s for _, s in matches] or [None])[0]
    if found is None and standard is not None and sized_by == "toilet_rail":
        return toilet_grab_rail(profile=standard, units=units)  # needs no measurement, only the standard
    return found


def sized_by(registry: Registry, template_id: str | None) -> str:
    """The sizing key of a recommendation's template ('' for custom ones or unknown templates)."""
    if not template_id:
        return ""
    try:
        return registry.recommendation(template_id).sized_by
    except NotFoundError:  # a template retired from the library sizes nothing
        return ""
