"""Filters of the needs list, the same on the page (/needs/) and in the API (/api/v1/needs/)."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from clearinghouse.needs.models import Need, NeedStatus, Priority
from clearinghouse.publishing.filtersets import (
    PartyFilter,
    subject_filter,
    support_type_filter,
    target_filter,
)

# A target's identifier as the API gives it, or empty for "any" (forms send empty fields): the
# schema says exactly what is accepted, so anything else is refused with 400.
_UUID = r"^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": _UUID,
        "description": "Identifier of a national target (/api/v1/national/{party}/targets/).",
    }
)
class _IdentifierFilter(filters.CharFilter):
    pass


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
    # Reached from a Party's national targets page ("needs naming it"), not chosen in the form.
    national_target = _IdentifierFilter(
        field_name="national_targets__identifier",
        label=_("National target"),
        widget=forms.HiddenInput,
        validators=[RegexValidator(_UUID)],
    )

    class Meta:
        model = Need
        fields = ["party", "priority", "status", "subject", "support_type", "target", "national_target"]
