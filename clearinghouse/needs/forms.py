"""Web forms generated from the common format's definition, one per step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.core.forms import (
    FilterableSelect,
    FilterableSelectMultiple,
    currency_choices,
    require_for_submission,
)
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.national.models import NationalReport, NationalTarget
from clearinghouse.needs.formats import Step
from clearinghouse.needs.models import (
    FormatRecord,
    Need,
    national_report_refusal,
    national_targets_refusal,
    owner_party,
)
from clearinghouse.plan.forms import activities_field
from clearinghouse.vocabularies.forms import TermChoiceField
from clearinghouse.vocabularies.models import Term


def vocabulary_terms(definition: FieldDefinition) -> QuerySet[Term]:
    terms = Term.objects.filter(vocabulary__name=definition.vocabulary, is_active=True)
    if definition.only:
        terms = terms.filter(code__startswith=definition.only)
    return terms.order_by("position", "code")


def form_field(definition: FieldDefinition, language: str) -> forms.Field:
    """The Django form field for one field of the format, labelled in the reader's language."""
    common: dict[str, Any] = {
        "label": definition.label(language),
        "help_text": definition.help(language),
        "required": definition.required,
    }
    kind = definition.type
    if kind in {"text", "multilingual_text"}:
        return forms.CharField(max_length=definition.max_length, **common)
    if kind == "multilingual_long_text":
        return forms.CharField(
            max_length=definition.max_length, widget=forms.Textarea(attrs={"rows": 5}), **common
        )
    if kind == "email":
        return forms.EmailField(**common)
    if kind in {"integer", "year"}:
        return forms.IntegerField(
            min_value=int(definition.min) if definition.min is not None else None,
            max_value=int(definition.max) if definition.max is not None else None,
            **common,
        )
    if kind == "decimal":
        return forms.DecimalField(
            max_digits=16,
            decimal_places=2,
            min_value=Decimal(str(definition.min)) if definition.min is not None else None,
            max_value=Decimal(str(definition.max)) if definition.max is not None else None,
            **common,
        )
    if kind == "boolean":
        # A required yes/no must be answered, so it is a choice, not a box left unticked.
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            **common,
        )
    if kind == "currency":
        return forms.ChoiceField(choices=currency_choices, widget=FilterableSelect, **common)
    if kind == "language_list":
        return forms.MultipleChoiceField(
            choices=spoken_language_choices, widget=FilterableSelectMultiple(attrs={"size": 6}), **common
        )
    if kind == "choice":
        choices = [(choice.value, choice.label(language)) for choice in definition.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "multi_choice" and definition.vocabulary:
        return TermChoiceField(vocabulary_terms(definition), widget=forms.CheckboxSelectMultiple, **common)
    if kind == "multi_choice":
        choices = [(choice.value, choice.label(language)) for choice in definition.choices]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    raise ValueError(f"no form field for type {kind}")


class StepForm(forms.Form):
    """One step of a format's form. ``strict`` (Next, Submit) enforces required fields; saving
    a draft keeps whatever valid values were given."""

    def __init__(self, *args: Any, step: Step, language: str, strict: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        for definition in step.fields:
            field = form_field(definition, language)
            if not strict and field.required:
                field.required = False
                require_for_submission(field)
            self.fields[definition.name] = field


class NeedChoiceField(forms.ModelMultipleChoiceField[Need]):
    def label_from_instance(self, obj: Need) -> str:
        return f"{obj.identifier} · {obj.title.get(obj.original_language, '')}"


class RequestNeedsForm(forms.Form):
    """Which of the owner's needs a request for assistance turns into a request."""

    needs = NeedChoiceField(
        label=_("Needs this request is for"),
        queryset=Need.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, needs: QuerySet[Need], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(NeedChoiceField, self.fields["needs"]).queryset = needs


class PlanActivitiesForm(forms.Form):
    """The action-plan activities a need, request or assessment serves: asked on the last step,
    beside the common format (they are the platform's, not the format's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_activities"] = activities_field(_("Action-plan activities this record serves"))


class TranslationForm(forms.Form):
    """The multilingual texts of a record in one more language."""

    def __init__(self, *args: Any, definitions: list[FieldDefinition], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for definition in definitions:
            field = form_field(definition, language)
            field.required = False
            self.fields[definition.name] = field


class NationalLinksForm(forms.Form):
    """What a need or an assessment names of its Party's NBSAP and reports: a need the national
    targets it serves, an assessment the national report it draws on. Asked on the last step,
    beside the common format; the choices are the Party's targets in force (and those already
    named), and anything else is refused with the reason."""

    def __init__(self, *args: Any, record: FormatRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.party = owner_party(record)
        self.is_need = isinstance(record, Need)
        named = self.initial.get("national_targets" if self.is_need else "national_report") or []
        named = named if isinstance(named, list) else [named]
        in_force = Q(retired_at__isnull=True) | Q(pk__in=named)
        field: forms.ModelChoiceField[Any]
        if self.is_need:
            field = forms.ModelMultipleChoiceField(
                label=_("National targets this need serves"),
                queryset=NationalTarget.objects.filter(in_force),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Targets of the Party's NBSAP, kept on the Party's national targets page."),
            )
            self.fields["national_targets"] = field
        else:
            field = forms.ModelChoiceField(
                label=_("National report this assessment draws on"),
                queryset=NationalReport.objects.filter(in_force),
                required=False,
            )
            self.fields["national_report"] = field
        # Only the Party's own are offered; the queryset stays wider so that another Party's,
        # sent anyway, is refused with the reason rather than as an unknown choice.
        own = field.queryset.filter(party=self.party) if self.party is not None else field.queryset.none()  # type: ignore[union-attr]
        choices = [(item.pk, str(item)) for item in own.order_by("code" if self.is_need else "-year")]
        field.widget.choices = choices if self.is_need else [("", "---------"), *choices]

    def clean_national_targets(self) -> list[NationalTarget]:
        targets = list(self.cleaned_data["national_targets"])
        if any(self.party is None or target.party_id != self.party.pk for target in targets):
            raise ValidationError(national_targets_refusal(self.party), code="other_party")
        return targets

    def clean_national_report(self) -> NationalReport | None:
        report: NationalReport | None = self.cleaned_data["national_report"]
        if report is not None and (self.party is None or report.party_id != self.party.pk):
            raise ValidationError(national_report_refusal(self.party), code="other_party")
        return report

    def values(self) -> dict[str, Any]:
        """The record values to save."""
        if self.is_need:
            return {"national_targets": list(self.cleaned_data["national_targets"])}
        report = self.cleaned_data["national_report"]
        return {"national_report": report}
