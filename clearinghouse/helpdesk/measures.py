"""What monitoring counts of the help desk: tickets opened and resolved, the Parties assisted
and the median time to resolve. Merged tickets are left out, as in the help desk's own
statistics (statistics.py): their questions live on in the ticket they went into. Loaded from
HelpdeskConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.helpdesk.models import Status, Ticket
from clearinghouse.publishing.measures import Dimensions, country_dimensions
from clearinghouse.publishing.registry import Measure, register_measure

# The Party a ticket is about (its requester's, as the help desk recorded it).
_TICKET: Dimensions = {
    **country_dimensions("country"),
    "channel": "channel",
    "language": "language",
    "status": "status",
    "desk": "desk__code",
    "topic": "topic__code",
}


def _tickets() -> QuerySet[Any]:
    return Ticket.objects.exclude(status=Status.MERGED)


def _resolved() -> QuerySet[Any]:
    return _tickets().filter(closed_at__isnull=False)


register_measure(
    Measure(
        code="helpdesk.tickets",
        label=_("Help-desk tickets opened"),
        area="helpdesk",
        rows=_tickets,
        date="created_at",
        dimensions=_TICKET,
    )
)
register_measure(
    Measure(
        code="helpdesk.resolved",
        label=_("Help-desk tickets resolved"),
        area="helpdesk",
        rows=_resolved,
        date="closed_at",
        dimensions=_TICKET,
    )
)
register_measure(
    Measure(
        code="helpdesk.parties_assisted",
        label=_("Parties assisted through the help desk"),
        area="helpdesk",
        rows=_tickets,
        date="created_at",
        aggregate="distinct",
        of="country",
        dimensions={key: path for key, path in _TICKET.items() if key != "status"},
    )
)
register_measure(
    Measure(
        code="helpdesk.days_to_resolve",
        label=_("Median days to resolve a help-desk ticket"),
        area="helpdesk",
        rows=_resolved,
        date="closed_at",
        aggregate="median_days",
        of="created_at",
        dimensions=_TICKET,
    )
)
