"""What monitoring counts of translation (action plan activities 31 and 94: materials in the six
UN languages). Loaded from TranslationConfig.ready().

- ``translation.requests``: translation requests made in the period, by their state now, target
  language and record type.
- ``translation.published``: translations published in the period, by language and record type.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.publishing.registry import Measure, register_measure
from clearinghouse.translation.models import RequestState, TranslationRequest

# Counted under the action plan's area of the statistics: the requests serve its activities 31
# and 94 across every record type, not one registry's.
AREA = "plan"
# The plan's activities that ask for materials in the six languages.
ACTIVITIES = frozenset({31, 94})


def _requests() -> QuerySet[Any]:
    return TranslationRequest.objects.all()


def _published() -> QuerySet[Any]:
    return TranslationRequest.objects.filter(state=RequestState.PUBLISHED, published_at__isnull=False)


def _serving(number: int) -> Q:
    return Q() if number in ACTIVITIES else Q(pk__in=[])


register_measure(
    Measure(
        code="translation.requests",
        label=_("Translation requests"),
        area=AREA,
        rows=_requests,
        date="created_at",
        dimensions={"status": "state", "language": "language", "record_type": "record_type"},
        serving=_serving,
    )
)
register_measure(
    Measure(
        code="translation.published",
        label=_("Translations published"),
        area=AREA,
        rows=_published,
        date="published_at",
        dimensions={"language": "language", "record_type": "record_type"},
        serving=_serving,
    )
)
