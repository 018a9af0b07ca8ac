"""What monitoring counts of the action plan itself: activities reported on, activities reported
completed, evidence added, partners' contributions accepted and the organisations that made them,
each dated when it was recorded (accepted). Loaded from PlanConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clearinghouse.plan.models import (
    ActivityProgress,
    Contribution,
    ContributionKind,
    ContributionState,
    Evidence,
    Status,
)
from clearinghouse.publishing.registry import Measure, register_measure

register_measure(
    Measure(
        code="plan.activities_reported",
        label=_("Activities with a progress report"),
        area="plan",
        rows=ActivityProgress.objects.all,
        date="recorded_at",
        aggregate="distinct",
        of="activity",
        dimensions={"status": "status", "section": "activity__section"},
        activities="activity__number",
    )
)
register_measure(
    Measure(
        code="plan.activities_completed",
        label=_("Activities reported completed"),
        area="plan",
        rows=lambda: ActivityProgress.objects.filter(status=Status.COMPLETED),
        date="recorded_at",
        aggregate="distinct",
        of="activity",
        dimensions={"section": "activity__section"},
        activities="activity__number",
    )
)
register_measure(
    Measure(
        code="plan.evidence",
        label=_("Evidence of progress added"),
        area="plan",
        rows=Evidence.objects.all,
        date="added_at",
        dimensions={"kind": "kind", "section": "activity__section"},
        activities="activity__number",
    )
)
register_measure(
    Measure(
        code="plan.contributions_accepted",
        label=_("Partners' contribution reports accepted"),
        area="plan",
        rows=lambda: Contribution.objects.filter(
            state=ContributionState.ACCEPTED, kind=ContributionKind.REPORT
        ),
        date="reviewed_at",
        dimensions={
            "kind": "kind",
            "section": "activity__section",
            "organisation_type": "organisation__type",
        },
        activities="activity__number",
    )
)
register_measure(
    Measure(
        code="plan.contributing_organisations",
        label=_("Organisations with an accepted contribution to the action plan"),
        area="plan",
        rows=lambda: Contribution.objects.filter(state=ContributionState.ACCEPTED),
        date="reviewed_at",
        aggregate="distinct",
        of="organisation",
        dimensions={
            "kind": "kind",
            "section": "activity__section",
            "organisation_type": "organisation__type",
        },
        activities="activity__number",
    )
)
