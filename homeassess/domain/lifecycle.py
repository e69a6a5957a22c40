"""A recommendation's life after the visit (REFERENCE §6.3 'hazard resolution rate').

proposed → agreed / declined → ordered → installed → in use / not used / removed.
Only the moves in ``MOVES`` are allowed; each is dated and says who made it and why.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from homeassess.domain.errors import ConflictError, FieldError, ValidationError
from homeassess.domain.text_rules import is_blank


class Status(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    DECLINED = "declined"
    ORDERED = "ordered"
    INSTALLED = "installed"
    IN_USE = "in_use"
    NOT_USED = "not_used"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {Status.PROPOSED: "Proposed", Status.AGREED: "Agreed", Status.DECLINED: "Declined",
          Status.ORDERED: "Ordered", Status.INSTALLED: "Installed", Status.IN_USE: "In use",
          Status.NOT_USED: "Not used", Status.REMOVED: "Removed"}

MOVES: dict[Status, frozenset[Status]] = {
    Status.PROPOSED: frozenset({Status.AGREED, Status.DECLINED}),
    # Advice and small jobs the family does are never ordered: agreed → installed (done) directly.
    Status.AGREED: frozenset({Status.ORDERED, Status.INSTALLED, Status.DECLINED, Status.PROPOSED}),
    Status.DECLINED: frozenset({Status.PROPOSED, Status.AGREED}),
    Status.ORDERED: frozenset({Status.INSTALLED, Status.AGREED}),  # back to agreed = order cancelled
    Status.INSTALLED: frozenset({Status.IN_USE, Status.NOT_USED, Status.REMOVED}),
    Status.IN_USE: frozenset({Status.NOT_USED, Status.REMOVED}),
    Status.NOT_USED: frozenset({Status.IN_USE, Status.REMOVED}),
    Status.REMOVED: frozenset(),
}
class Decider(StrEnum):
    """Who made a decision about a recommendation: the clinical report says whose choice it was."""

    CLIENT = "client"
    CARER = "carer"
    THERAPIST = "therapist"

    @property
    def label(self) -> str:
        return {"client": "the client", "carer": "a carer or family member",
                "therapist": "the therapist (clinical decision)"}[self.value]


# Statuses that are somebody's decision (the rest are facts: ordered, installed, in use …).
DECISIONS = frozenset({Status.AGREED, Status.DECLINED})
NEEDS_REASON = frozenset({Status.DECLINED, Status.NOT_USED, Status.REMOVED})
DONE = frozenset({Status.INSTALLED, Status.IN_USE, Status.NOT_USED, Status.REMOVED})
WAITING = frozenset({Status.AGREED, Status.ORDERED})


def check_move(old: Status, new: Status, *, why: str, on: date, today: date, visit_date: date) -> None:
    """Refuse a move the lifecycle does not allow, with a message that says what to do instead."""
    if new == old:
        raise ConflictError(f"It is already {old.label.lower()}.")
    if new not in MOVES[old]:
        allowed = ", ".join(s.label.lower() for s in sorted(MOVES[old], key=list(Status).index)) or "nothing"
        raise ConflictError(f"A recommendation that is {old.label.lower()} cannot become {new.label.lower()}; "
                            f"from {old.label.lower()} it can become: {allowed}.")
    errors = []
    if new in NEEDS_REASON and is_blank(why):   # spaces or zero-width characters say nothing
        errors.append(FieldError("why", f"Say why it is {new.label.lower()}."))
    if on > today:
        errors.append(FieldError("on", "The date cannot be in the future."))
    if on < visit_date:
        errors.append(FieldError("on", "The date cannot be before the visit."))
    if errors:
        raise ValidationError(errors)


def weeks_waiting(since: date, today: date) -> int:
    return max(0, (today - since).days // 7)
