"""Filters of the needs list, the same on the page (/needs/) and in the API (/api/v1/needs/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from clearinghouse.needs.models import Need, NeedStatus, Priority
from clearinghouse.publishing.filtersets import PartyFilter, TermFilter


class NeedFilter(filters.FilterSet):
    party = PartyFilter(description="ISO code of the Party")
    # The empty choice is "any": forms (the browsable API's too) send empty fields.
    priority = filters.ChoiceFilter(
        label=_("Priority"), choices=[("", _("Any priority")), *Priority.choices], empty_label=None
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=[("", _("Any status")), *NeedStatus.choices], empty_label=None
    )
    subject = TermFilter(
        field_name="subjects",
        vocabulary="subjects",
        label=_("Subject"),
        empty_label=_("Any subject"),
        description="Subject code",
    )
    support_type = TermFilter(
        field_name="support_types",
        vocabulary="support-types",
        label=_("Type of support"),
        empty_label=_("Any type"),
        description="Support type code",
    )
    target = TermFilter(
        field_name="gbf_targets",
        vocabulary="gbf-targets",
        prefix="GBF-T",
        label=_("GBF target"),
        empty_label=_("Any target"),
        description="GBF target code, e.g. GBF-T3",
    )

    class Meta:
        model = Need
        fields = ["party", "priority", "status", "subject", "support_type", "target"]
