"""Closing one's own account: the person is gone from the platform, their work stays.

Records they wrote belong to their Party or organisation and stay, published or not, with the
account they came from shown as closed. Roles end (kept in the history, as every ended role),
API tokens, second factors and accounts connected at identity providers are removed, e-mail
addresses and name are wiped, and the password no longer opens anything, so every session the
person had ends with it.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts import personal_data, roles, tokens
from clearinghouse.accounts.data import forget_sign_ins
from clearinghouse.accounts.models import (
    CLOSED_EMAIL_DOMAIN,
    AccessRequest,
    Appointment,
    AppointmentLog,
    Invitation,
    User,
)


@transaction.atomic
def close_account(*, user: User, password: str) -> None:
    """Close ``user``'s account, confirmed with their password. All or nothing."""
    if not user.has_usable_password() or not user.check_password(password):
        raise ValidationError(_("The password is not correct."), code="wrong_password")
    user = User.objects.select_for_update().get(pk=user.pk)
    former_email = user.email
    closed_email = f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}"
    now = timezone.now()
    for appointment in Appointment.objects.filter(user=user, ended_at__isnull=True):
        appointment.ended_at = now
        appointment.ended_by = user
        appointment.save(update_fields=["ended_at", "ended_by"])
        AppointmentLog.objects.create(
            action=AppointmentLog.Action.REMOVED,
            actor=user,
            role=appointment.role,
            email=closed_email,
            user=user,
            country=appointment.country,
            organisation=appointment.organisation,
        )
    roles.forget_appointments(user)
    # The history stays; the address in it goes.
    AppointmentLog.objects.filter(email__iexact=former_email).update(email=closed_email)
    Invitation.objects.filter(
        email__iexact=former_email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    Invitation.objects.filter(email__iexact=former_email).update(email=closed_email)
    # Nobody is left to grant a pending request to; what the person wrote to the deciders goes.
    AccessRequest.objects.filter(requester=user, outcome="").delete()
    AccessRequest.objects.filter(requester=user).update(message="")
    tokens.revoke_all(user)
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    forget_sign_ins(user)
    for holding in personal_data.holdings():
        if holding.close is not None:
            holding.close(user)
    user.email = closed_email
    user.username = f"closed-{user.pk}"
    user.first_name = user.last_name = ""
    user.organisation = None
    user.country = None
    user.languages_spoken = []
    user.is_active = user.is_staff = user.is_superuser = False
    # A new password hash: every session signed with the old one is no longer valid.
    user.set_unusable_password()
    user.save()
    user.expertise.clear()
