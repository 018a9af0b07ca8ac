from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from clearinghouse.api.filters import or_any
from clearinghouse.geo import services
from clearinghouse.geo.api.serializers import CountrySerializer
from clearinghouse.geo.models import Country, CountryGroup, RegionalGroup


class CountryFilter(filters.FilterSet):
    party = filters.ChoiceFilter(
        choices=or_any(services.PARTY_CHOICES),
        empty_label=None,
        method="filter_party",
        label=gettext_lazy("Party to"),
    )
    group = filters.ChoiceFilter(
        choices=or_any(CountryGroup.choices),
        empty_label=None,
        method="filter_group",
        label=gettext_lazy("Group"),
    )
    regional_group = filters.ChoiceFilter(
        choices=or_any(RegionalGroup.choices), empty_label=None, label=gettext_lazy("UN regional group")
    )
    region = filters.CharFilter(
        method="filter_region",
        label=gettext_lazy("M49 code of a region, subregion or intermediate region"),
    )

    class Meta:
        model = Country
        fields = ["party", "group", "regional_group", "region"]

    def filter_party(self, queryset: QuerySet[Country], name: str, value: str) -> QuerySet[Country]:
        return services.parties_to(queryset, value)

    def filter_group(self, queryset: QuerySet[Country], name: str, value: str) -> QuerySet[Country]:
        return services.in_group(queryset, value)

    def filter_region(self, queryset: QuerySet[Country], name: str, value: str) -> QuerySet[Country]:
        return services.in_region(queryset, value)


def countries() -> QuerySet[Country]:
    return Country.objects.select_related("region", "subregion", "intermediate_region").order_by("code")


class CountryList(generics.ListAPIView[Country]):
    """Countries and territories (ISO 3166-1), with their names in the six languages, their M49
    regions, UN regional group, groups and status under the Convention and its Protocols."""

    permission_classes = [AllowAny]
    serializer_class = CountrySerializer
    filterset_class = CountryFilter

    def get_queryset(self) -> QuerySet[Country]:
        return countries()


class CountryDetail(generics.RetrieveAPIView[Country]):
    """One country or territory, by its ISO 3166-1 alpha-2 code (in either case)."""

    permission_classes = [AllowAny]
    serializer_class = CountrySerializer

    def get_queryset(self) -> QuerySet[Country]:
        return countries()

    def get_object(self) -> Country:
        code = str(self.kwargs["code"])
        country = self.get_queryset().filter(code=code.upper()).first()
        if country is None:
            raise NotFound(_("There is no country or territory with the code “%(code)s”.") % {"code": code})
        return country
