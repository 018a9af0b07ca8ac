from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.geo import services
from clearinghouse.geo.models import Country, CountryGroup, Region


def names_list(names: dict[str, str]) -> str:
    """The names in the six languages, each marked with its language for screen readers."""
    return format_html(
        "<dl>{}</dl>",
        format_html_join(
            "",
            '<dt>{}</dt><dd lang="{}">{}</dd>',
            ((label, code, names.get(code, "")) for code, label in LANGUAGE_CHOICES),
        ),
    )


class ReadOnly:
    """Reference data comes from `clearinghouse loadreference`, which would overwrite any edit
    made here at its next run: change geo/data/build_countries.py instead. Without the change
    permission the admin shows every field read only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartyFilter(admin.SimpleListFilter):
    title = _("Party to")
    parameter_name = "party"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(services.PARTY_CHOICES)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        return services.parties_to(queryset, value) if value in services.PARTY_FIELDS else queryset


class GroupFilter(admin.SimpleListFilter):
    title = _("group")
    parameter_name = "group"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(CountryGroup.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        return services.in_group(queryset, value) if value in CountryGroup.values else queryset


@admin.register(Country)
class CountryAdmin(ReadOnly, admin.ModelAdmin[Country]):
    list_display = [
        "code",
        "name",
        "alpha3",
        "m49",
        "regional_group",
        "cbd_party",
        "cartagena_party",
        "nagoya_party",
        "ldc",
        "sids",
    ]
    list_filter = [PartyFilter, GroupFilter, "regional_group", ("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region"]
    # Names are searched language by language: the JSON as a whole is stored escaped on SQLite.
    search_fields = ["code", "alpha3", "m49", *(f"names__{code}" for code, _label in LANGUAGE_CHOICES)]
    fields = [
        "code",
        "alpha3",
        "m49",
        "name_list",
        "region",
        "subregion",
        "intermediate_region",
        "regional_group",
        "cbd_party",
        "cartagena_party",
        "nagoya_party",
        "arab_league",
        "developing",
        "ldc",
        "sids",
        "economy_in_transition",
    ]
    readonly_fields = ["name_list"]

    @admin.display(description=_("name"))
    def name(self, country: Country) -> str:
        return country.name()

    @admin.display(description=_("names"))
    def name_list(self, country: Country) -> str:
        return names_list(country.names)


@admin.register(Region)
class RegionAdmin(ReadOnly, admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", *(f"names__{code}" for code, _label in LANGUAGE_CHOICES)]
    fields = ["code", "level", "parent", "name_list"]
    readonly_fields = ["name_list"]

    @admin.display(description=_("name"))
    def name(self, region: Region) -> str:
        return region.name()

    @admin.display(description=_("names"))
    def name_list(self, region: Region) -> str:
        return names_list(region.names)
