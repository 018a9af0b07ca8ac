from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.forms import ContentLanguageField
from clearinghouse.core.languages import content_language
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.models import RecordReport
from clearinghouse.publishing.owners import owner_from_choice


class StartForm(forms.Form):
    """Before a new record of any type: for whom (``owners``, from ``owners.owner_choices``),
    and in which language its texts are written."""

    owner = forms.ChoiceField(label=_("For"))
    original_language = ContentLanguageField(
        label=_("Language you write in"),
        help_text=_(
            "One of the six languages of the United Nations, or any other language: a local or "
            "indigenous language too. Texts can be translated later."
        ),
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = owners
        self.fields["original_language"].initial = content_language()

    def clean_owner(self) -> Country | Organisation:
        return owner_from_choice(self.cleaned_data["owner"])


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the authors change?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ReportForm(forms.ModelForm[RecordReport]):
    class Meta:
        model = RecordReport
        fields = ["reason", "comment"]
        widgets = {"reason": forms.RadioSelect, "comment": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radio buttons need no empty "---------" choice.
        cast(forms.ChoiceField, self.fields["reason"]).choices = RecordReport.Reason.choices


class ShareForm(forms.Form):
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=14)


class DraftCommentForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)


class ResolveReportForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
