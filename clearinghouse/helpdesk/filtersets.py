"""Filters of the published FAQ entries in the API (/api/v1/faq/): help topic and original
language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.events.filtersets import CodeFilter
from clearinghouse.helpdesk.models import FaqEntry


class FaqEntryFilter(filters.FilterSet):
    topic = CodeFilter(
        label=_("Help topic"),
        field_name="topic__code",
        max_length=40,
        description="The code of a help topic, e.g. needs-assessment.",
    )
    language = filters.ChoiceFilter(
        label=_("Original language"), field_name="original_language", choices=LANGUAGE_CHOICES
    )

    class Meta:
        model = FaqEntry
        fields: list[str] = []
