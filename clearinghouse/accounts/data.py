"""accounts' own part of a person's data (see personal_data): the account, its e-mail addresses,
roles, second factors, API tokens, accounts connected at identity providers and sign-in records."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q

from clearinghouse.accounts.models import (
    AccessRequest,
    ApiToken,
    Appointment,
    AppointmentLog,
    Invitation,
    User,
)


def account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "organisation": user.organisation.display_name() if user.organisation else None,
        "country": user.country.code if user.country else None,
        "languages_spoken": user.languages_spoken,
        "expertise": [str(term) for term in user.expertise.all()],
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def email_addresses(user: User) -> list[Any]:
    return list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))


def appointments(user: User) -> list[Any]:
    return [
        {
            "role": appointment.role,
            "party": appointment.country.code if appointment.country else None,
            "organisation": appointment.organisation.display_name() if appointment.organisation else None,
            "appointed_at": appointment.appointed_at,
            "ended_at": appointment.ended_at,
        }
        for appointment in Appointment.objects.filter(user=user).select_related("country", "organisation")
    ]


def appointment_history(user: User) -> list[Any]:
    """Log entries about the person, and those they wrote appointing others."""
    entries = AppointmentLog.objects.filter(Q(user=user) | Q(actor=user) | Q(email__iexact=user.email))
    return list(entries.values("action", "role", "email", "at"))


def invitations(user: User) -> list[Any]:
    sent_to = Invitation.objects.filter(Q(email__iexact=user.email) | Q(invited_by=user))
    return list(sent_to.values("email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"))


def access_requests(user: User) -> list[Any]:
    """The roles the person asked for, with their message and the answer."""
    asked = AccessRequest.objects.filter(requester=user).select_related("country", "organisation")
    return [
        {
            "role": request.role,
            "party": request.country.code if request.country else None,
            "organisation": request.organisation.display_name() if request.organisation else None,
            "message": request.message,
            "asked_at": request.created_at,
            "decided_at": request.decided_at,
            "outcome": request.outcome,
        }
        for request in asked
    ]


def second_factors(user: User) -> list[Any]:
    # Their kind and dates only: the secrets stay on the platform.
    return list(Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at"))


def api_tokens(user: User) -> list[Any]:
    # The key itself is not stored (only a hash): name, scope and dates say which token it is.
    return list(
        ApiToken.objects.filter(user=user).values("name", "scope", "created", "expiry", "last_used_at")
    )


def connected_accounts(user: User) -> list[Any]:
    """Accounts at identity providers connected to this one, with what each sent about the
    person (its claims). Their tokens are not kept (SOCIALACCOUNT_STORE_TOKENS)."""
    return list(
        SocialAccount.objects.filter(user=user).values(
            "provider", "uid", "date_joined", "last_login", "extra_data"
        )
    )


def sign_ins(user: User) -> list[Any]:
    """The sign-in records kept against the person's address (django-axes)."""
    fields = ("attempt_time", "ip_address", "user_agent")
    records = []
    for model, kind in (
        (AccessLog, "sign_in"),
        (AccessFailureLog, "failed"),
        (AccessAttempt, "lockout_count"),
    ):
        for values in model.objects.filter(username__iexact=user.email).values(*fields):
            records.append({"kind": kind, **values})
    return records


def forget_sign_ins(user: User) -> None:
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username__iexact=user.email).delete()
