"""Background jobs of the help desk: explanations of suggestions made ahead of the pages that
show them (see ``ranking.explain_ahead``), and the e-mails to providers of a circulated need."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from clearinghouse.matchmaking import notifications, ranking
from clearinghouse.matchmaking.models import Case


@db_task(retries=2, retry_delay=30)
def explain_suggestions(identifiers: list[str], active_cases: bool = False) -> int:
    """Make and store the explanations of these needs' and requests' suggestions (and of every
    open case's, with ``active_cases``); what is stored already is only read."""
    return ranking.explain_ahead(identifiers, active_cases=active_cases)


# Not run again after its worker died: nothing records who was told (core/jobs.py).
@db_task(retries=2, retry_delay=30, idempotent=False)
def tell_providers(case_id: int) -> int:
    """E-mail the providers nearest to a need the help desk circulated (``notifications.circulated``),
    while its case is still active."""
    case = Case.objects.select_related("request", "need").filter(pk=case_id).first()
    if case is None or case.circulated_at is None or not case.is_active:
        return 0
    return notifications.circulated(case)
