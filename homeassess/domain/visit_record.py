"""The vocabulary of a visit's record: its status, how consent was given and how it was signed off."""

from __future__ import annotations

from enum import StrEnum


class VisitStatus(StrEnum):
    """The visit's lifecycle (DESIGN §2): capture, then signed off with only addenda after."""

    IN_PROGRESS = "in_progress"
    FINALISED = "finalised"

    @property
    def label(self) -> str:
        return {"in_progress": "In progress", "finalised": "Signed off"}[self.value]


class ConsentMethod(StrEnum):
    SIGNED = "signed"     # on the signature pad
    VERBAL = "verbal"     # said aloud, witnessed by the therapist

    @property
    def label(self) -> str:
        return {"signed": "Signed", "verbal": "Verbal, witnessed"}[self.value]


class SignOffMethod(StrEnum):
    SIGNATURE = "signature"   # drawn on the signature pad
    TYPED = "typed"           # typed name with registration number and date

    @property
    def label(self) -> str:
        return {"signature": "Signed", "typed": "Typed name and registration"}[self.value]
