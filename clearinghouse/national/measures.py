"""What monitoring counts of national targets: how many each Party has entered, and how many
Parties have entered any (docs/monitoring.md). Needs and assessments that name them are counted
by the needs app. Loaded from NationalConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clearinghouse.national.models import NationalTarget
from clearinghouse.publishing.measures import country_dimensions
from clearinghouse.publishing.registry import Measure, register_measure

register_measure(
    Measure(
        code="national.targets",
        label=_("National targets entered"),
        area="needs",
        rows=lambda: NationalTarget.objects.filter(retired_at__isnull=True),
        date="created_at",
        dimensions=country_dimensions("party"),
    )
)
register_measure(
    Measure(
        code="national.parties_with_targets",
        label=_("Parties with national targets entered"),
        area="needs",
        rows=lambda: NationalTarget.objects.filter(retired_at__isnull=True),
        date="created_at",
        aggregate="distinct",
        of="party",
        dimensions=country_dimensions("party"),
    )
)
