"""Forms of the communities of practice: the community record (in its original language, and a
translation), the list's filters, joining, topics, replies, reports and moderators' reasons."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.community import discussions
from clearinghouse.community.models import Access, ReportReason, TopicKind
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.geo.models import Region
from clearinghouse.plan.forms import activities_field
from clearinghouse.vocabularies.forms import TermChoiceField
from clearinghouse.vocabularies.models import Term


class RegionChoiceField(forms.ModelMultipleChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name()


def _terms(vocabulary: str, prefix: str = "") -> Any:
    terms = Term.objects.filter(vocabulary__name=vocabulary, is_active=True)
    if prefix:
        terms = terms.filter(code__startswith=prefix)
    return terms.order_by("position", "code")


def _text_direction(field: forms.Field, language: str) -> None:
    field.widget.attrs.update({"lang": language, "dir": "rtl" if language == "ar" else "auto"})


class CommunityForm(forms.Form):
    """A community's texts in its original language, its access and what it is about."""

    owner = forms.ChoiceField(label=_("On behalf of"))
    original_language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGE_CHOICES)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the community is for, and who it is for."),
    )
    code_of_conduct = forms.CharField(
        label=_("Code of conduct"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Every member accepts it on joining; moderators hide posts and ban members by it."),
    )
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices, widget=forms.RadioSelect)
    languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    subjects = TermChoiceField(
        _terms("subjects"),
        label=_("Subjects"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    gbf_targets = TermChoiceField(
        _terms("gbf-targets", "GBF-T"),
        label=_("GBF targets"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    regions = RegionChoiceField(
        Region.objects.all(),
        label=_("Regions"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    plan_activities = activities_field(_("Action-plan activities it serves"))

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Querysets evaluated per form, so that terms added later are offered.
        self.fields["subjects"].queryset = _terms("subjects")  # type: ignore[attr-defined]
        self.fields["gbf_targets"].queryset = _terms("gbf-targets", "GBF-T")  # type: ignore[attr-defined]
        if owners is None:
            # Editing: the owner and the language are the record's and do not change here.
            del self.fields["owner"]
            del self.fields["original_language"]
        else:
            self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        language = str(self.initial.get("original_language") or "")
        for name in ("name", "description", "code_of_conduct"):
            _text_direction(self.fields[name], language)


class CommunityTranslationForm(forms.Form):
    """For ``publishing.views.translation_page``: one field per multilingual text."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    code_of_conduct = forms.CharField(
        label=_("Code of conduct"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class CommunityFilterForm(forms.Form):
    """The list's filters; unknown values are ignored, never an error page."""

    subject = forms.ModelChoiceField(
        _terms("subjects"), label=_("Subject"), required=False, to_field_name="code"
    )
    target = forms.ModelChoiceField(
        _terms("gbf-targets", "GBF-T"), label=_("GBF target"), required=False, to_field_name="code"
    )
    region = forms.ModelChoiceField(
        Region.objects.all(), label=_("Region"), required=False, to_field_name="code"
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("", "—"), *LANGUAGE_CHOICES], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subject: Any = self.fields["subject"]
        target: Any = self.fields["target"]
        region: Any = self.fields["region"]
        subject.queryset = _terms("subjects")
        target.queryset = _terms("gbf-targets", "GBF-T")
        subject.label_from_instance = target.label_from_instance = lambda term: term.label()
        region.label_from_instance = lambda found: found.name()


class JoinForm(forms.Form):
    accepts_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and will keep to it."), required=True
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the posting service checks
    them by the upload rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class _PostFields(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=discussions.BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("Plain text: line breaks and web addresses are kept; HTML is shown as written."),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, Office documents, images, text or CSV files."),
    )
    records = forms.CharField(
        label=_("Link to records"),
        required=False,
        max_length=500,
        help_text=_("Identifiers of published records, separated by spaces or commas (CB-NEED-KE-000123)."),
    )

    def clean_records(self) -> list[str]:
        text = self.cleaned_data.get("records") or ""
        return [part for part in text.replace(",", " ").split() if part]


class ReplyForm(_PostFields):
    pass


class TopicForm(_PostFields):
    title = forms.CharField(label=_("Title"), max_length=discussions.TITLE_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=TopicKind.choices, initial=TopicKind.DISCUSSION)
    field_order = ["title", "kind", "body", "attachments", "records"]

    def __init__(self, *args: Any, may_announce: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_announce:
            del self.fields["kind"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), choices=ReportReason.choices)
    comment = forms.CharField(label=_("Anything the moderators should know"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
