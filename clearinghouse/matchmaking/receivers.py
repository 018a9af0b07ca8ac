from __future__ import annotations

from typing import Any

from clearinghouse.needs.models import Request
from clearinghouse.publishing.models import Record


def open_case_for_request(sender: type[Request], record: Request, **kwargs: Any) -> None:
    """Every published request for assistance reaches the help desk as a case."""
    from clearinghouse.matchmaking import services

    services.open_case(record, actor=None)


def forget_explanations(sender: type[Record], identifiers: list[str], **kwargs: Any) -> None:
    """A record published again or withdrawn: explanations of its earlier revisions go."""
    from clearinghouse.matchmaking.explanations import forget_other_revisions

    for record in sender._default_manager.filter(identifier__in=identifiers):
        forget_other_revisions(record)
