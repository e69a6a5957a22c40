"""What a service call changed, so screens refresh only what they must (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    clients: bool = False
    goals: bool = False
    assessment_meta: bool = False
    rooms: bool = False
    answers: frozenset[str] = field(default_factory=frozenset)
    findings: bool = False
    recommendations: bool = False
    photos: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            clients=self.clients or other.clients, goals=self.goals or other.goals,
            assessment_meta=self.assessment_meta or other.assessment_meta,
            rooms=self.rooms or other.rooms, answers=self.answers | other.answers,
            findings=self.findings or other.findings,
            recommendations=self.recommendations or other.recommendations,
            photos=self.photos or other.photos,
        )
