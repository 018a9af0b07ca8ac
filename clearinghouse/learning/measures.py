"""What monitoring counts of e-learning besides courses published: enrolments, completions and
the countries of the learners who completed. The learner's country, gender, sector and whether
they represent an IPLC are counted only with their consent (``Enrolment.consents_to_statistics``,
as in the learning statistics): without it they count under the unknown key "". Loaded from
LearningConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Expression, F, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clearinghouse.learning.models import Enrolment
from clearinghouse.publishing.measures import Dimensions, country_dimensions, yes_no
from clearinghouse.publishing.registry import Measure, register_measure


def _consented(path: str | Expression | F) -> Case:
    """The learner's own fact, counted only with their consent (else under the unknown key)."""
    value = F(path) if isinstance(path, str) else path
    # One unknown key: a fact not given ("" or none) and a fact withheld both count under "".
    known = Coalesce(value, Value(""), output_field=CharField())
    return Case(When(consents_to_statistics=True, then=known), default=Value(""), output_field=CharField())


_LEARNER: Dimensions = {
    **{name: _consented(path) for name, path in country_dimensions("country").items()},
    "gender": _consented("gender"),
    "iplc": _consented(yes_no("represents_iplc")),
    "sector": _consented("sector"),
    "language": "language",
    "level": "course__level",
}


def _completed() -> QuerySet[Any]:
    return Enrolment.objects.filter(completed_at__isnull=False)


register_measure(
    Measure(
        code="learning.enrolments",
        label=_("Enrolments in courses"),
        area="learning",
        rows=Enrolment.objects.all,
        date="enrolled_at",
        dimensions=_LEARNER,
        activities="course__plan_activities__number",
        people=True,
    )
)
register_measure(
    Measure(
        code="learning.completions",
        label=_("Courses completed"),
        area="learning",
        rows=_completed,
        date="completed_at",
        dimensions=_LEARNER,
        activities="course__plan_activities__number",
        people=True,
    )
)
register_measure(
    Measure(
        code="learning.parties_learning",
        label=_("Countries of the learners who completed courses"),
        area="learning",
        rows=lambda: _completed().annotate(
            learner_country=Case(When(consents_to_statistics=True, then=F("country")))
        ),
        date="completed_at",
        aggregate="distinct",
        of="learner_country",
        dimensions={key: path for key, path in _LEARNER.items() if key not in {"gender", "iplc"}},
        activities="course__plan_activities__number",
    )
)
