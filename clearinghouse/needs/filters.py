from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.geo.forms import CountryChoiceField
from clearinghouse.needs.models import Need, NeedStatus, Priority
from clearinghouse.vocabularies.models import Term


class _TermChoice(forms.ModelChoiceField[Term]):
    def label_from_instance(self, obj: Term) -> str:
        return obj.label()


def _terms(vocabulary: str, prefix: str = "") -> QuerySet[Term]:
    terms = Term.objects.filter(vocabulary__name=vocabulary, is_active=True)
    return terms.filter(code__startswith=prefix) if prefix else terms


class NeedFilterForm(forms.Form):
    party = CountryChoiceField(
        label=_("Party"), required=False, parties_only=True, empty_label=_("All Parties")
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any priority")), *Priority.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *NeedStatus.choices]
    )
    subject = _TermChoice(
        queryset=_terms("subjects"), label=_("Subject"), required=False, empty_label=_("Any subject")
    )
    support_type = _TermChoice(
        queryset=_terms("support-types"),
        label=_("Type of support"),
        required=False,
        empty_label=_("Any type"),
    )
    target = _TermChoice(
        queryset=_terms("gbf-targets", "GBF-T"),
        label=_("GBF target"),
        required=False,
        empty_label=_("Any target"),
    )

    def apply(self, needs: QuerySet[Need]) -> QuerySet[Need]:
        data: dict[str, Any] = self.cleaned_data
        if data.get("party"):
            needs = needs.filter(
                Q(owner_country=data["party"]) | Q(owner_organisation__country=data["party"])
            )
        if data.get("priority"):
            needs = needs.filter(priority=data["priority"])
        if data.get("status"):
            needs = needs.filter(status=data["status"])
        for field, relation in (
            ("subject", "subjects"),
            ("support_type", "support_types"),
            ("target", "gbf_targets"),
        ):
            if data.get(field):
                needs = needs.filter(**{relation: data[field]})
        # One term per filter: these joins cannot repeat a need, so no DISTINCT is needed.
        return needs
