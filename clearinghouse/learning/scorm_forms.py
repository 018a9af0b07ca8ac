"""The form a course author uploads a SCORM package with."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.core.multilingual import show
from clearinghouse.learning import outline as outlines


class ImportForm(forms.Form):
    package = forms.FileField(
        label=_("SCORM package"),
        help_text=_("A zip file with imsmanifest.xml at its root (SCORM 1.2 or SCORM 2004)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    module = forms.ChoiceField(label=_("Add it to the module"), required=False)
    module_title = forms.CharField(
        label=_("Title of the new module"),
        max_length=300,
        required=False,
        help_text=_("Only when you add the package to a new module."),
    )
    title = forms.CharField(
        label=_("Title of the SCORM module"),
        max_length=300,
        required=False,
        help_text=_("Leave it empty to use the title the package gives itself."),
    )
    language = forms.ChoiceField(label=_("Language of these titles"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, outline: Any, original_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        module_field = cast(forms.ChoiceField, self.fields["module"])
        module_field.choices = [
            *(
                (str(module.get("key")), show(module.get("title") or {}, original_language).text)
                for module in outlines.modules(outline)
            ),
            ("", gettext("A new module")),
        ]
        self.fields["package"].help_text = _(
            "A zip file with imsmanifest.xml at its root (SCORM 1.2 or SCORM 2004), at most %(limit)s."
        ) % {"limit": filesizeformat(settings.SCORM_MAX_UPLOAD_BYTES)}
        if original_language:
            self.initial.setdefault("language", original_language)

    def clean_package(self) -> Any:
        upload = self.cleaned_data["package"]
        if upload.size > settings.SCORM_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The package takes %(size)s; at most %(limit)s is accepted.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.SCORM_MAX_UPLOAD_BYTES),
                },
                code="too_big",
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("module") and not (cleaned.get("module_title") or "").strip():
            self.add_error("module_title", _("Give the new module a title."))
        return cleaned
