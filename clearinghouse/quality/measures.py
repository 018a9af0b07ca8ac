"""What monitoring counts of quality assurance (activity 7). Loaded from QualityConfig.ready().

Reviews and checklists are counted by the item they are about: its record type, the kind of
standard or checklist (training events, courses, e-learning modules, guidance materials,
providers' offers) and its owner's Party (the Party itself, or the owning organisation's
country), looked up by identifier in the tables of the assessed record types. Ratings are
counted by the rater's Party when they rated (``Rating.country``), as the averages by region of
the statistics page are.

- ``quality.reviewed``: items whose review round was judged in the period (each item once);
  the plan's "activities, materials and tools reviewed against the quality standards" (7.1).
- ``quality.meets``: items judged to meet the standard.
- ``quality.improved``: items judged to meet the standard after an earlier round against the
  same standard was judged "needs changes": items improved on the reviewers' feedback (8.2).
- ``quality.checklists`` and ``quality.checklists_completed``: checklists started, completed.
- ``quality.ratings`` and ``quality.high_ratings`` (4 or 5 out of 5), by the day of the rating,
  and the same of guidance materials only (``quality.material_ratings``,
  ``quality.material_high_ratings``): the users' feedback on materials that activities 10, 13,
  14, 31, 72 and 84 ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clearinghouse.publishing import registry
from clearinghouse.publishing.measures import Dimensions, country_dimensions
from clearinghouse.publishing.registry import Measure, register_measure
from clearinghouse.quality.items import ASSESSED_TYPES, RATED_TYPES
from clearinghouse.quality.models import Checklist, Judgment, Rating, Review, ReviewStatus

AREA = "quality"
# A rating of 4 or 5 out of 5 is a high one (as events' ratings and mentoring's).
HIGH_RATING = 4
# What a rating of a cooperation counts under, in the record-type dimension.
COOPERATION = "COOPERATION"
# Guidance materials are published as resources.
MATERIAL = "RES"


def _models(codes: Collection[str]) -> list[Any]:
    return [record_type.model for record_type in registry.record_types() if record_type.code in codes]


def owner_value(field: str, codes: Collection[str] = ASSESSED_TYPES, at: str = "identifier") -> Any:
    """A field of the country owning the item named by the identifier at ``at`` (the Party, or
    the owning organisation's country), looked up in the tables of the record types ``codes``:
    one subquery per type, the first that finds the record wins."""
    found = [
        Subquery(
            model._default_manager.filter(identifier=OuterRef(at))
            .annotate(_value=Coalesce(f"owner_country__{field}", f"owner_organisation__country__{field}"))
            .values("_value")[:1]
        )
        for model in _models(codes)
    ]
    if len(found) == 1:
        return ExpressionWrapper(found[0], output_field=CharField())
    return Coalesce(*found, output_field=CharField())


def owner_dimensions(codes: Collection[str] = ASSESSED_TYPES) -> Dimensions:
    """The item owner's Party (ISO code), region (M49 code) and UN regional group."""
    return {
        "party": owner_value("code", codes),
        "region": owner_value("region__code", codes),
        "regional_group": owner_value("regional_group", codes),
    }


def serving(codes: Collection[str]) -> Callable[[int], Q]:
    """Rows about items (of the types ``codes``) that name activity ``number`` of the plan."""

    def condition(number: int) -> Q:
        found = Q(pk__in=[])
        for model in _models(codes):
            named = model._default_manager.filter(plan_activities__number=number)
            found |= Q(identifier__in=named.values("identifier"))
        return found

    return condition


# --- reviews ----------------------------------------------------------------------------------


def judged() -> QuerySet[Review]:
    return Review.objects.filter(status=ReviewStatus.JUDGED)


def improved() -> QuerySet[Review]:
    """Rounds judged to meet the standard after an earlier round of the same item against the
    same standard (any of its versions) was judged "needs changes"."""
    earlier = Review.objects.filter(
        identifier=OuterRef("identifier"),
        standard__code=OuterRef("standard__code"),
        round__lt=OuterRef("round"),
        status=ReviewStatus.JUDGED,
        judgment=Judgment.NEEDS_CHANGES,
    )
    return judged().filter(judgment=Judgment.MEETS).filter(Exists(earlier))


_REVIEW: Dimensions = {
    "record_type": "record_type",
    "kind": "standard__applies_to",
    "standard": "standard__code",
    "judgment": "judgment",
    **owner_dimensions(),
}

for _code, _label, _rows in (
    ("quality.reviewed", _("Activities, materials and tools reviewed against a quality standard"), judged),
    (
        "quality.meets",
        _("Activities, materials and tools judged to meet a quality standard"),
        lambda: judged().filter(judgment=Judgment.MEETS),
    ),
    (
        "quality.improved",
        _("Activities, materials and tools that met a quality standard after changes asked by reviewers"),
        improved,
    ),
):
    register_measure(
        Measure(
            code=_code,
            label=_label,
            area=AREA,
            rows=_rows,
            date="judged_at",
            aggregate="distinct",
            of="identifier",
            dimensions=_REVIEW,
            serving=serving(ASSESSED_TYPES),
        )
    )

# --- checklists -------------------------------------------------------------------------------

_CHECKLIST: Dimensions = {
    "record_type": "record_type",
    "kind": "template__applies_to",
    "template": "template__code",
    **owner_dimensions(),
}

register_measure(
    Measure(
        code="quality.checklists",
        label=_("Quality checklists started on events, courses and materials"),
        area=AREA,
        rows=Checklist.objects.all,
        date="created_at",
        dimensions=_CHECKLIST,
        serving=serving(ASSESSED_TYPES),
    )
)
register_measure(
    Measure(
        code="quality.checklists_completed",
        label=_("Quality checklists completed on events, courses and materials"),
        area=AREA,
        rows=lambda: Checklist.objects.filter(completed_at__isnull=False),
        date="completed_at",
        dimensions=_CHECKLIST,
        serving=serving(ASSESSED_TYPES),
    )
)

# --- ratings ----------------------------------------------------------------------------------

_RATING: Dimensions = {
    "record_type": Case(
        When(cooperation__isnull=False, then=Value(COOPERATION)),
        default=F("record_type"),
        output_field=CharField(),
    ),
    "stars": "stars",
    "language": "language",
    **country_dimensions("country"),
}


def _materials() -> QuerySet[Rating]:
    return Rating.objects.filter(record_type=MATERIAL)


for _code, _label, _ratings, _types in (
    ("quality.ratings", _("Participants' and users' ratings"), Rating.objects.all, RATED_TYPES),
    (
        "quality.high_ratings",
        _("Participants' and users' ratings of 4 or 5 out of 5"),
        lambda: Rating.objects.filter(stars__gte=HIGH_RATING),
        RATED_TYPES,
    ),
    ("quality.material_ratings", _("Users' ratings of guidance materials"), _materials, {MATERIAL}),
    (
        "quality.material_high_ratings",
        _("Users' ratings of guidance materials of 4 or 5 out of 5"),
        lambda: _materials().filter(stars__gte=HIGH_RATING),
        {MATERIAL},
    ),
):
    register_measure(
        Measure(
            code=_code,
            label=_label,
            area=AREA,
            rows=_ratings,
            date="created_at",
            dimensions=_RATING,
            serving=serving(_types),
        )
    )
