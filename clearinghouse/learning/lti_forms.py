"""Forms of the LTI pages: registering an external tool or another platform (the Secretariat),
and attaching a tool to a course (its owners)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.learning.models import LtiPlacement, LtiPlatform, LtiTool

_LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _secure(url: str) -> str:
    """Keys and tokens travel over these addresses: https only, except on this machine."""
    parts = urlsplit(url)
    if url and parts.scheme != "https" and not (settings.DEBUG and parts.hostname in _LOOPBACK):
        raise ValidationError(_("Give an https:// address."), code="https")
    return url


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ToolForm(forms.ModelForm[LtiTool]):
    redirect_uris_text = forms.CharField(
        label=gettext_lazy("Other redirect URLs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One address a line; the launch URL is always accepted."),
    )

    class Meta:
        model = LtiTool
        fields = [
            "name",
            "client_id",
            "deployment_id",
            "login_url",
            "launch_url",
            "jwks_url",
            "public_key",
            "active",
        ]
        widgets = {"public_key": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["redirect_uris_text"].initial = "\n".join(self.instance.redirect_uris or [])

    def clean_login_url(self) -> str:
        return _secure(self.cleaned_data["login_url"])

    def clean_launch_url(self) -> str:
        return _secure(self.cleaned_data["launch_url"])

    def clean_jwks_url(self) -> str:
        return _secure(self.cleaned_data["jwks_url"])

    def clean_redirect_uris_text(self) -> list[str]:
        uris = _lines(self.cleaned_data["redirect_uris_text"])
        validate = forms.URLField().clean
        return [_secure(validate(uri)) for uri in uris]

    def clean_public_key(self) -> str:
        pem = str(self.cleaned_data["public_key"]).strip()
        if pem:
            try:
                load_pem_public_key(pem.encode())
            except ValueError as error:
                raise ValidationError(_("This is not a public key in PEM format."), code="pem") from error
        return pem

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("jwks_url") and not cleaned.get("public_key") and not self.errors:
            raise ValidationError(_("Give the tool's key set URL or its public key."), code="no_key")
        return cleaned

    def save(self, commit: bool = True) -> LtiTool:
        self.instance.redirect_uris = self.cleaned_data["redirect_uris_text"]
        return super().save(commit=commit)


class PlatformForm(forms.ModelForm[LtiPlatform]):
    deployment_ids_text = forms.CharField(
        label=gettext_lazy("Deployment IDs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One a line, as the other platform shows them."),
    )

    class Meta:
        model = LtiPlatform
        fields = ["name", "issuer", "client_id", "auth_login_url", "auth_token_url", "key_set_url", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deployment_ids_text"].initial = "\n".join(self.instance.deployment_ids or [])

    def clean_issuer(self) -> str:
        return _secure(self.cleaned_data["issuer"])

    def clean_auth_login_url(self) -> str:
        return _secure(self.cleaned_data["auth_login_url"])

    def clean_auth_token_url(self) -> str:
        return _secure(self.cleaned_data["auth_token_url"])

    def clean_key_set_url(self) -> str:
        return _secure(self.cleaned_data["key_set_url"])

    def clean_deployment_ids_text(self) -> list[str]:
        ids = _lines(self.cleaned_data["deployment_ids_text"])
        if not ids:
            raise ValidationError(_("Give at least one deployment ID."), code="required")
        if any(len(i) > 255 for i in ids):
            raise ValidationError(_("A deployment ID has at most 255 characters."), code="long")
        return ids

    def save(self, commit: bool = True) -> LtiPlatform:
        self.instance.deployment_ids = self.cleaned_data["deployment_ids_text"]
        return super().save(commit=commit)


class PlacementForm(forms.Form):
    tool = forms.ModelChoiceField(label=gettext_lazy("Tool"), queryset=LtiTool.objects.filter(active=True))
    title = forms.CharField(label=gettext_lazy("Title of the link"), max_length=200)

    def __init__(self, *args: Any, course: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course

    def clean_tool(self) -> LtiTool:
        tool: LtiTool = self.cleaned_data["tool"]
        if LtiPlacement.objects.filter(course=self.course, tool=tool).exists():
            raise ValidationError(_("This tool is already attached to the course."), code="twice")
        return tool
