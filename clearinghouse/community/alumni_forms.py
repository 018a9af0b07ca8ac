"""Forms of the alumni part: the profile (what others see) and a message to a member."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.community import alumni_messages
from clearinghouse.community.alumni import PROFILE_FIELDS
from clearinghouse.community.models import Alumnus


class ProfileForm(forms.ModelForm[Alumnus]):
    """What the alumnus lets other signed-in people see. Being listed and receiving messages
    need consent: without it those two choices are not offered."""

    class Meta:
        model = Alumnus
        fields = list(PROFILE_FIELDS)
        widgets = {"about": forms.Textarea(attrs={"rows": 4, "dir": "auto", "maxlength": 1000})}
        help_texts = {
            "about": _("A few lines on your work, shown on your profile in the directory."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.consented or self.instance.person_id is None:
            del self.fields["in_directory"]
            del self.fields["accepts_messages"]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=alumni_messages.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("Sent by e-mail from the platform: your address is not shown."),
    )
