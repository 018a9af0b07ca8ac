"""Filters of the alumni directory: country, subject (an area of expertise), language spoken,
an event or course taken part in, and a name. Each looks only at what the alumnus chose to show:
filtering by a hidden fact finds nobody through it, so nothing hidden can be guessed."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.community.models import Activity, Alumnus, Consent, Participation
from clearinghouse.core.forms import FilterableSelect
from clearinghouse.core.multilingual import show
from clearinghouse.geo.models import Country
from clearinghouse.publishing.filtersets import UNLISTED, CodeFilter, CountryField, TermFilter


def _language_choices() -> list[tuple[str, Any]]:
    return [("", _("Any language")), *spoken_language_choices()]


def _activity_choices() -> list[tuple[str, Any]]:
    """The events and courses that listed alumni show they took part in."""
    shown = Participation.objects.filter(
        alumnus__consent=Consent.GIVEN, alumnus__in_directory=True, alumnus__shows_activities=True
    )
    choices: list[tuple[str, Any]] = [("", _("Any event or course"))]
    seen: set[str] = set()
    for participation in shown.select_related("event", "course").order_by("-took_part_on"):
        record: Any = (
            participation.event if participation.activity == Activity.EVENT else participation.course
        )
        value = f"{participation.activity}-{record.pk}"
        if value not in seen:
            seen.add(value)
            choices.append(
                (value, show(record.title or {}, record.original_language).text or record.identifier)
            )
    return choices


class CountryCodeFilter(CodeFilter):
    field_class = CountryField


class AlumnusFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), method="filter_name", max_length=100)
    country = CountryCodeFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        method="filter_country",
        empty_label=_("Any country"),
        description="ISO code of a country",
    )
    subject = TermFilter(
        vocabulary="subjects",
        label=_("Subject"),
        empty_label=_("Any subject"),
        method="filter_subject",
        description="Subject code",
    )
    language = django_filters.CharFilter(
        label=_("Language spoken"),
        method="filter_language",
        max_length=2,
        widget=FilterableSelect(choices=CallableChoiceIterator(_language_choices)),
    )
    activity = django_filters.CharFilter(
        label=_("Event or course taken part in"),
        method="filter_activity",
        max_length=30,
        widget=FilterableSelect(choices=CallableChoiceIterator(_activity_choices)),
    )

    class Meta:
        model = Alumnus
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet[Alumnus], name: str, value: str) -> QuerySet[Alumnus]:
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
            )
        return queryset.filter(shows_name=True) if words else queryset

    def filter_country(self, queryset: QuerySet[Alumnus], name: str, value: Any) -> QuerySet[Alumnus]:
        if value is UNLISTED:
            return queryset.none()
        return queryset.filter(shows_country=True).filter(
            Q(person__country=value) | Q(person__country__isnull=True, country=value)
        )

    def filter_subject(self, queryset: QuerySet[Alumnus], name: str, value: Any) -> QuerySet[Alumnus]:
        if value is UNLISTED:
            return queryset.none()
        return queryset.filter(shows_expertise=True, person__expertise=value)

    def filter_language(self, queryset: QuerySet[Alumnus], name: str, value: str) -> QuerySet[Alumnus]:
        # A JSON list holds the code as a quoted string; the text search works on every database.
        return queryset.filter(shows_languages=True, person__languages_spoken__icontains=f'"{value.lower()}"')

    def filter_activity(self, queryset: QuerySet[Alumnus], name: str, value: str) -> QuerySet[Alumnus]:
        kind, _dash, pk = value.partition("-")
        if not pk.isdigit() or kind not in Activity.values:
            return queryset.none()
        field = "participations__event" if kind == Activity.EVENT else "participations__course"
        return queryset.filter(shows_activities=True, **{field: int(pk)})
