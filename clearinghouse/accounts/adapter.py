from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """allauth, fitted to the platform: e-mails in the person's language, and after signing in
    their dashboard (LOGIN_REDIRECT_URL) in the language they prefer."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        language = getattr(request.user, "preferred_language", None)
        if language:
            with translation.override(language):
                return reverse(settings.LOGIN_REDIRECT_URL)
        return str(super().get_login_redirect_url(request))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The sign-in name axes counts failures against: allauth passes the e-mail address as
    ``email``, Django's and the API's forms as ``username``, the sign-in form posts ``login``."""
    for source in (credentials or {}, getattr(request, "POST", {})):
        for key in ("email", "login", "username"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
