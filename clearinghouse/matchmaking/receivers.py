from __future__ import annotations

from collections.abc import Collection
from typing import Any

from clearinghouse.matching.models import Catalogue
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


def explain_changed_suggestions(
    sender: Any, catalogues: Collection[Catalogue], identifiers: list[str], **kwargs: Any
) -> None:
    """A catalogue changed: the suggestions of the needs and requests written, and of every open
    case when the support catalogue changed (a new offer may rank among them), are explained
    ahead of the console."""
    from clearinghouse.matchmaking import tasks

    tasks.explain_suggestions(list(identifiers), active_cases=Catalogue.SUPPORT in catalogues)
