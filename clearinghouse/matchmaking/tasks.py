"""Background jobs of the help desk: explanations of suggestions made ahead of the pages that
show them (see ``ranking.explain_ahead``)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from clearinghouse.matchmaking import ranking


@db_task(retries=2, retry_delay=30)
def explain_suggestions(identifiers: list[str], active_cases: bool = False) -> int:
    """Make and store the explanations of these needs' and requests' suggestions (and of every
    open case's, with ``active_cases``); what is stored already is only read."""
    return ranking.explain_ahead(identifiers, active_cases=active_cases)
