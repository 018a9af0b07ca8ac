from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from clearinghouse.api.filters import or_any
from clearinghouse.core.auth import signed_in
from clearinghouse.organisations import services
from clearinghouse.organisations.api.serializers import OrganisationSerializer
from clearinghouse.organisations.models import Organisation, OrganisationType


class OrganisationFilter(filters.FilterSet):
    type = filters.ChoiceFilter(choices=or_any(OrganisationType.choices), empty_label=None)
    country = filters.CharFilter(field_name="country__code", lookup_expr="iexact")
    q = filters.CharFilter(method="search", label="Name or acronym")

    class Meta:
        model = Organisation
        fields = ["type", "country"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(acronym__iexact=value))


class OrganisationViewSet(viewsets.ModelViewSet[Organisation]):
    """Organisations: public to read; registered and changed by the people the rules allow."""

    queryset = Organisation.objects.select_related("country").order_by("name", "pk")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _save(self, serializer: serializers.BaseSerializer[Organisation], create: bool) -> None:
        actor = signed_in(self.request)
        instance = serializer.instance or Organisation()
        for field, value in serializer.validated_data.items():
            setattr(instance, field, value)
        try:
            if create:
                serializer.instance = services.register(actor=actor, organisation=instance)
            else:
                serializer.instance = services.change(actor=actor, organisation=instance)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error

    def perform_create(self, serializer: serializers.BaseSerializer[Organisation]) -> None:
        self._save(serializer, create=True)

    def perform_update(self, serializer: serializers.BaseSerializer[Organisation]) -> None:
        self._save(serializer, create=False)
