"""The quality standards and checklist templates in force, read-only and public: what items are
reviewed against and the steps followed to prepare them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from rest_framework import generics
from rest_framework.permissions import AllowAny

from clearinghouse.api.filters import or_any
from clearinghouse.quality import standards
from clearinghouse.quality.api.standard_serializers import ChecklistTemplateSerializer, StandardSerializer
from clearinghouse.quality.models import AppliesTo, ChecklistTemplate, Criterion, Standard, TemplateStep


class AppliesToFilter(filters.FilterSet):
    applies_to = filters.ChoiceFilter(
        choices=or_any(AppliesTo.choices), empty_label=None, label=gettext_lazy("Applies to")
    )


class StandardFilter(AppliesToFilter):
    class Meta:
        model = Standard
        fields = ["applies_to"]


class TemplateFilter(AppliesToFilter):
    class Meta:
        model = ChecklistTemplate
        fields = ["applies_to"]


class StandardList(generics.ListAPIView[Standard]):
    """The quality standards in force, with their criteria (grouped, with guidance and a scale)
    in the six languages."""

    permission_classes = [AllowAny]
    serializer_class = StandardSerializer
    filterset_class = StandardFilter

    def get_queryset(self) -> QuerySet[Standard]:
        criteria = Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk"))
        return standards.standards_in_force().prefetch_related(criteria)


class ChecklistTemplateList(generics.ListAPIView[ChecklistTemplate]):
    """The checklist templates in force, with their steps in the six languages and whether a
    step needs evidence to be ticked done."""

    permission_classes = [AllowAny]
    serializer_class = ChecklistTemplateSerializer
    filterset_class = TemplateFilter

    def get_queryset(self) -> QuerySet[ChecklistTemplate]:
        steps = Prefetch("steps", queryset=TemplateStep.objects.order_by("position", "pk"))
        return standards.templates_in_force().prefetch_related(steps)
