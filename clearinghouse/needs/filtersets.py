"""Filters of the needs list, the same on the page (/needs/) and in the API (/api/v1/needs/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from clearinghouse.needs.models import Need, NeedStatus, Priority
from clearinghouse.publishing.filtersets import (
    PartyFilter,
    subject_filter,
    support_type_filter,
    target_filter,
)


class NeedFilter(filters.FilterSet):
    party = PartyFilter(description="ISO code of the Party")
    # The empty choice is "any": forms (the browsable API's too) send empty fields.
    priority = filters.ChoiceFilter(
        label=_("Priority"), choices=[("", _("Any priority")), *Priority.choices], empty_label=None
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=[("", _("Any status")), *NeedStatus.choices], empty_label=None
    )
    subject = subject_filter()
    support_type = support_type_filter()
    target = target_filter()

    class Meta:
        model = Need
        fields = ["party", "priority", "status", "subject", "support_type", "target"]
