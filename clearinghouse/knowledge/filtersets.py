"""Filters of the knowledge products, the same on their list (/knowledge/) and in the API
(/api/v1/knowledge/): kind, subject, GBF target, Party (the owner's, or a Party the product
concerns) and a language it can be read in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES
from clearinghouse.events.filtersets import CodeFilter
from clearinghouse.knowledge.models import Kind, Knowledge
from clearinghouse.publishing.filtersets import UNLISTED, PartyFilter, subject_filter, target_filter

_KIND_HELP = "case_study, success_story, good_practice or lesson_learnt."
_LANGUAGE_HELP = "ISO 639-1 code of a language the product's title is written in (ar, zh, en, fr, ru, es)."


class KnowledgePartyFilter(PartyFilter):
    """Products of a Party (or of an organisation based there), and those that concern it."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is UNLISTED:
            return qs.none()
        if not value:
            return qs
        return qs.filter(
            Q(owner_country=value) | Q(owner_organisation__country=value) | Q(countries=value)
        ).distinct()


class KnowledgeFilter(filters.FilterSet):
    kind = CodeFilter(
        description=_KIND_HELP,
        label=_("Kind"),
        method="filter_kind",
        widget=forms.Select(choices=[("", _("Any kind")), *Kind.choices]),
    )
    subject = subject_filter()
    target = target_filter()
    party = KnowledgePartyFilter(description="ISO code of a Party: the owner's, or one the product concerns")
    language = CodeFilter(
        description=_LANGUAGE_HELP,
        label=_("Language"),
        method="filter_language",
        widget=forms.Select(choices=[("", _("Any language")), *LANGUAGE_CHOICES]),
    )

    class Meta:
        model = Knowledge
        fields = ["kind", "subject", "target", "party", "language"]

    def filter_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Products of this kind; a kind that does not exist finds nothing."""
        return queryset.filter(kind=value) if value in Kind.values else queryset.none()

    def filter_language(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Products with a title in this language (written in it, or translated into it)."""
        if value not in CONTENT_LANGUAGES:
            return queryset.none()
        return queryset.filter(title__has_key=value)
