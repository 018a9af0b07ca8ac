"""What the needs readers hand to the import: the assessment and the needs read, with where each
was found, or every problem of the file (``exchange.problems``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearinghouse.exchange.problems import Place, Problem


@dataclass
class ReadResult:
    """Record values ready for the publishing workflow (each with ``original_language`` and
    ``format_version``), or the problems that stop the import. Nothing is saved by reading."""

    assessment: dict[str, Any]
    needs: list[dict[str, Any]]
    problems: list[Problem]
    assessment_place: Place | None = None
    need_places: list[Place] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems
