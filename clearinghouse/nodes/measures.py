"""What monitoring counts of the register of national clearing-house mechanisms (docs/monitoring.md):
the Parties whose national CHM was functional at the end of the period (indicator 72.1), from the
dated history of statuses, so that any past period is counted as it was. Loaded from
NodesConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clearinghouse.nodes.models import Status, StatusChange
from clearinghouse.publishing.measures import country_dimensions
from clearinghouse.publishing.registry import Measure, register_measure

register_measure(
    Measure(
        code="nodes.functional_parties",
        label=_("Parties with a functional national clearing-house mechanism"),
        area="support",
        rows=lambda: StatusChange.objects.filter(status=Status.FUNCTIONAL, chm__party__cbd_party=True),
        date="since",
        until="until",
        aggregate="distinct",
        of="chm__party",
        dimensions=country_dimensions("chm__party"),
    )
)
