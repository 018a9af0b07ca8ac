from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import url_str_to_user_pk
from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from clearinghouse.accounts.models import User
from clearinghouse.core.mail import compose, site_host, site_name


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's e-mails call ``current_site``: the platform's name and address, not the
    host the request happened to reach (without this a mail says "Hello from 127.0.0.1:8100!")."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """allauth, fitted to the platform: e-mails in the person's language and the platform's dress,
    and after signing in their dashboard (LOGIN_REDIRECT_URL) in the language they prefer."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        language = getattr(request.user, "preferred_language", None)
        if language:
            with translation.override(language):
                return reverse(settings.LOGIN_REDIRECT_URL)
        return str(super().get_login_redirect_url(request))

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """A new account prefers the language it was created in: its first e-mail, the address
        confirmation, is written in it."""
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return super().save_user(request, user, form, commit)

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link opens in the language its e-mail is written in: the person's."""
        uid = key.split("-", 1)[0]
        try:
            person = User.objects.filter(pk=url_str_to_user_pk(uid)).first()
        except (TypeError, ValueError):
            person = None
        with translation.override(person.preferred_language if person else translation.get_language()):
            return str(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        """The confirmation link opens in the person's language, as its e-mail is written."""
        language = emailconfirmation.email_address.user.preferred_language
        with translation.override(language or translation.get_language()):
            return str(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, {**context, "current_site": self.site_identity()})

    @staticmethod
    def site_identity() -> SiteIdentity:
        return SiteIdentity(name=site_name(), domain=site_host())

    def format_email_subject(self, subject: str) -> str:
        return f"[{site_name()}] {subject}"

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's message, signed and dressed as every message of the platform (core.mail)."""
        message = super().render_mail(template_prefix, email, context, headers)
        composed = compose(message.subject, message.body, message.to)
        composed.extra_headers = message.extra_headers
        return composed


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The sign-in name axes counts failures against: allauth passes the e-mail address as
    ``email``, Django's and the API's forms as ``username``, the sign-in form posts ``login``."""
    for source in (credentials or {}, getattr(request, "POST", {})):
        for key in ("email", "login", "username"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
