"""Filters of the list of events, the same on its page (/events/) and in the API
(/api/v1/events/): kind, attendance, Party or region invited, language, subject, GBF target,
and whether it is to come or past."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.api.filters import or_any
from clearinghouse.core.forms import FilterableSelect
from clearinghouse.events.models import Attendance, Event, EventKind
from clearinghouse.events.services import upcoming_condition
from clearinghouse.geo.models import Country
from clearinghouse.publishing.filtersets import subject_filter, target_filter
from clearinghouse.support.forms import eligibility_choices
from clearinghouse.support.models.common import eligibility_labels

UPCOMING, PAST = "upcoming", "past"
_INVITED_HELP = (
    "Events open to this country (ISO code) or group: naming it, its region or group, or everyone."
)
_LANGUAGE_HELP = "ISO 639-1 code of a language the event is held or interpreted in."


def _listed(code: str) -> Q:
    # A JSON list holds the code as a quoted string; the text search works on every database.
    return Q(invited__icontains=f'"{code}"')


class CodeFilter(filters.CharFilter):
    """A code from a long list: a pick list on the page, a string in the API's schema."""

    def __init__(self, *args: Any, description: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_override(self, "field", {"type": "string", "description": description})


def _invited_choices() -> list[tuple[str, Any]]:
    return [("", _("Everyone")), *eligibility_choices()]


def _language_choices() -> list[tuple[str, Any]]:
    return [("", _("Any language")), *spoken_language_choices()]


class EventFilter(filters.FilterSet):
    when = filters.ChoiceFilter(
        label=_("When"),
        choices=or_any([(UPCOMING, _("Upcoming")), (PAST, _("Past"))], _("Upcoming and past")),
        empty_label=None,
        method="filter_when",
    )
    # The empty choice is listed (not added by django-filter), so the API's schema names it.
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=or_any(EventKind.choices, _("Any kind")), empty_label=None
    )
    attendance = filters.ChoiceFilter(
        label=_("Attendance"),
        choices=or_any(Attendance.choices, _("In person or online")),
        empty_label=None,
    )
    # Codes, offered as a list on the page; a code that names nothing finds nothing.
    invited = CodeFilter(
        description=_INVITED_HELP,
        label=_("Open to"),
        method="filter_invited",
        widget=FilterableSelect(choices=CallableChoiceIterator(_invited_choices)),
    )
    language = CodeFilter(
        description=_LANGUAGE_HELP,
        label=_("Language"),
        method="filter_language",
        widget=FilterableSelect(choices=CallableChoiceIterator(_language_choices)),
    )
    subject = subject_filter()
    target = target_filter()

    class Meta:
        model = Event
        fields = ["when", "kind", "attendance", "invited", "language", "subject", "target"]

    def filter_when(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == PAST:
            return queryset.exclude(upcoming_condition())
        if value == UPCOMING:
            return queryset.filter(upcoming_condition())
        return queryset

    def filter_invited(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Events open to this country or group: inviting it, its region or group, or everyone."""
        admitted = Q(invited=[]) | _listed("global") | _listed(value)
        if value not in eligibility_labels():
            country = Country.objects.filter(code=value).first()
            if country is not None:
                for label in (country.regional_group, *country.groups):
                    admitted |= _listed(str(label))
        return queryset.filter(admitted)

    def filter_language(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(languages__icontains=f'"{value}"') | Q(interpretation__icontains=f'"{value}"')
        )
