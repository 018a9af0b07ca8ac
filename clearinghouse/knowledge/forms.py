"""Forms of knowledge products: the record in its original language, and a translation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.core.multilingual import show
from clearinghouse.events.models import Event
from clearinghouse.geo.models import Country
from clearinghouse.knowledge.models import Kind
from clearinghouse.learning.models import Course
from clearinghouse.plan.forms import activities_field
from clearinghouse.vocabularies.forms import TermChoiceField
from clearinghouse.vocabularies.models import Term

TEXT_LENGTH = 8000


def _terms(vocabulary: str, prefix: str = "") -> Any:
    return Term.objects.filter(vocabulary__name=vocabulary, is_active=True, code__startswith=prefix).order_by(
        "position", "code"
    )


class RecordChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Published events or courses, by their title in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return show(obj.title or {}, obj.original_language).text or str(obj.identifier)


class CountryChoiceField(forms.ModelMultipleChoiceField[Country]):
    def label_from_instance(self, obj: Country) -> str:
        return obj.name()


def _long_text(label: Any, help_text: Any = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_LENGTH,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class TextsForm(forms.Form):
    """The texts, in one language (a translation page's form as it is)."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    summary = _long_text(_("Summary"), _("Two or three sentences: what happened, and why it matters."))
    problem = _long_text(_("The problem"), _("The situation or need the work answered."))
    actions = _long_text(_("What was done"), _("Who did what, when and with whom."))
    results = _long_text(_("Results"), _("What changed: figures where you have them."))
    advice = _long_text(
        _("What others should know"), _("Lessons learnt, conditions of success, what to avoid.")
    )


class KnowledgeForm(TextsForm):
    """A knowledge product in its original language, and what it is linked to."""

    owner = forms.ChoiceField(label=_("On behalf of"))
    original_language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGE_CHOICES)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    events = RecordChoiceField(
        Event.objects.none(),
        label=_("Events"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    courses = RecordChoiceField(
        Course.objects.none(),
        label=_("Courses"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    countries = CountryChoiceField(
        Country.objects.none(),
        label=_("Parties concerned"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    subjects = TermChoiceField(
        Term.objects.none(),
        label=_("Subjects"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    gbf_targets = TermChoiceField(
        Term.objects.none(),
        label=_("GBF targets"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    plan_activities = activities_field(_("Action-plan activities it serves"))

    field_order = ["owner", "original_language", "kind", "title", "summary", "problem", "actions", "results"]

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        # Querysets evaluated per form, so that records and terms added later are offered.
        choices: dict[str, Any] = {
            "events": Event.objects.filter(live=True).order_by("-starts_at"),
            "courses": Course.objects.filter(live=True).order_by("-first_published_at"),
            "countries": Country.objects.filter(cbd_party=True),
            "subjects": _terms("subjects"),
            "gbf_targets": _terms("gbf-targets", "GBF-T"),
        }
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        if owners is None:
            # Editing: the owner and the language are the record's and do not change here.
            del self.fields["owner"]
            del self.fields["original_language"]
        else:
            self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        language = str(self.initial.get("original_language") or "")
        for name in ("title", "summary", "problem", "actions", "results", "advice"):
            self.fields[name].widget.attrs.update(
                {"lang": language, "dir": "rtl" if language == "ar" else "auto"}
                if language
                else {"dir": "auto"}
            )


class ImportForm(forms.Form):
    """A workbook, CSV or JSON file of knowledge products, for one of the person's owners."""

    owner = forms.ChoiceField(label=_("For"))
    file = forms.FileField(
        label=_("File"), help_text=_("Excel (.xlsx), CSV or JSON, with the columns of an export.")
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
