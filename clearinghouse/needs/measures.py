"""What monitoring counts of needs and requests besides their publication: the Parties that
register them, and needs' changes of status towards being addressed (from NeedStatusChange, dated
as they happen). Loaded from NeedsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.needs.models import Need, NeedsAssessment, NeedStatus, NeedStatusChange, Request
from clearinghouse.publishing.measures import owner_dimensions
from clearinghouse.publishing.registry import PARTY, Measure, register_measure

# A need's own dimensions, from a row that leads to it.
_NEED = {
    "priority": "need__priority",
    "language": "need__original_language",
    "subject": "need__subjects__code",
    "target": "need__gbf_targets__code",
    "support_type": "need__support_types__code",
    **owner_dimensions("need"),
}


def _published(model: type[Need] | type[Request]) -> QuerySet[Any]:
    # The Party is the owner's: the country itself or the owning organisation's country.
    return model.objects.filter(live=True).annotate(registering_party=PARTY)


register_measure(
    Measure(
        code="needs.parties_registering",
        label=_("Parties registering needs"),
        area="needs",
        rows=lambda: _published(Need),
        date="first_published_at",
        aggregate="distinct",
        of="registering_party",
        dimensions={
            **owner_dimensions(),
            "subject": "subjects__code",
            "target": "gbf_targets__code",
            "support_type": "support_types__code",
        },
        activities="plan_activities__number",
    )
)
register_measure(
    Measure(
        code="requests.parties",
        label=_("Parties publishing requests for assistance"),
        area="needs",
        rows=lambda: _published(Request),
        date="first_published_at",
        aggregate="distinct",
        of="registering_party",
        dimensions={**owner_dimensions(), "language": "original_language"},
        activities="plan_activities__number",
    )
)

# Activity 1: needs tied to the Party's NBSAP, and assessments tied to its national report.
register_measure(
    Measure(
        code="needs.naming_national_targets",
        label=_("Needs naming a national target"),
        area="needs",
        rows=lambda: Need.objects.filter(live=True, national_targets__isnull=False),
        date="first_published_at",
        aggregate="distinct",
        of="id",
        dimensions={**owner_dimensions(), "priority": "priority", "target": "gbf_targets__code"},
        activities="plan_activities__number",
    )
)
register_measure(
    Measure(
        code="assessments.citing_national_report",
        label=_("Needs assessments citing a national report"),
        area="needs",
        rows=lambda: NeedsAssessment.objects.filter(live=True, national_report__isnull=False),
        date="first_published_at",
        dimensions={**owner_dimensions(), "language": "original_language"},
        activities="plan_activities__number",
    )
)


def _changes_to(status: NeedStatus) -> Any:
    return lambda: NeedStatusChange.objects.filter(status=status)


for _code, _status, _label in (
    ("needs.matched", NeedStatus.MATCHED, _("Needs matched")),
    ("needs.under_way", NeedStatus.SUPPORT_UNDER_WAY, _("Needs with support under way")),
    ("needs.addressed", NeedStatus.ADDRESSED, _("Needs addressed")),
):
    # A need that reaches the status twice in the period counts once.
    register_measure(
        Measure(
            code=_code,
            label=_label,
            area="needs",
            rows=_changes_to(_status),
            date="changed_at",
            aggregate="distinct",
            of="need",
            dimensions=_NEED,
            activities="need__plan_activities__number",
        )
    )

register_measure(
    Measure(
        code="needs.days_to_match",
        label=_("Median days from publishing a need to its match"),
        area="needs",
        rows=_changes_to(NeedStatus.MATCHED),
        date="changed_at",
        aggregate="median_days",
        of="need__first_published_at",
        dimensions=_NEED,
        activities="need__plan_activities__number",
    )
)
