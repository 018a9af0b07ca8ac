"""Appointments: invite, accept, remove. Every change is permission-checked and logged."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clearinghouse.accounts import mfa_policy, roles
from clearinghouse.accounts.models import (
    COUNTRY_ROLES,
    ORGANISATION_ROLES,
    Appointment,
    AppointmentLog,
    Invitation,
    Role,
    User,
)
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation, OrganisationType

# The permission that allows appointing (and removing) each role.
_APPOINTING_PERMISSION = {
    Role.SECRETARIAT: "accounts.appoint_staff",
    Role.FOCAL_POINT: "accounts.appoint_focal_point",
    Role.AUTHORISED_USER: "accounts.appoint_authorised_user",
    Role.IPLC_REPRESENTATIVE: "accounts.appoint_organisation_user",
    Role.PARTNER_EDITOR: "accounts.appoint_organisation_user",
    Role.HELPDESK_AGENT: "accounts.appoint_staff",
    Role.TRAINER: "accounts.appoint_staff",
}


def _check_scope(role: Role, country: Country | None, organisation: Organisation | None) -> None:
    if role in COUNTRY_ROLES:
        if country is None or organisation is not None:
            raise ValidationError(_("Choose the Party for this role."), code="party_required")
        if not country.cbd_party:
            raise ValidationError(
                _("%(country)s is not a Party to the Convention.") % {"country": country.name()},
                code="not_a_party",
            )
    elif role in ORGANISATION_ROLES:
        if organisation is None or country is not None:
            raise ValidationError(_("Choose the organisation for this role."), code="organisation_required")
        if role == Role.IPLC_REPRESENTATIVE and organisation.type != OrganisationType.IPLC:
            raise ValidationError(
                _("%(organisation)s is not an organisation of indigenous peoples or local communities.")
                % {"organisation": organisation.display_name()},
                code="not_iplc",
            )
    elif country is not None or (organisation is not None and role != Role.HELPDESK_AGENT):
        raise ValidationError(_("This role is not held for a Party or an organisation."), code="no_scope")


def _check_may_appoint(actor: User | None, role: Role, country: Country | None, organisation: Any) -> None:
    """None as actor is the platform itself (console commands, demo data)."""
    if actor is None:
        return
    if not actor.has_perm(_APPOINTING_PERMISSION[role], country or organisation):
        if role == Role.AUTHORISED_USER:
            raise PermissionDenied(_("You can only appoint authorised users for your own Party."))
        raise PermissionDenied(_("You are not allowed to appoint people to this role."))


def _log(
    action: AppointmentLog.Action,
    *,
    actor: User | None,
    role: str,
    email: str,
    user: User | None,
    country: Country | None,
    organisation: Organisation | None,
) -> None:
    AppointmentLog.objects.create(
        action=action,
        actor=actor,
        role=role,
        email=email,
        user=user,
        country=country,
        organisation=organisation,
    )


def _already_holds(
    email: str, role: Role, country: Country | None, organisation: Organisation | None
) -> bool:
    return Appointment.objects.filter(
        user__email__iexact=email,
        role=role,
        country=country,
        organisation=organisation,
        ended_at__isnull=True,
    ).exists()


@transaction.atomic
def invite(
    *,
    actor: User | None,
    email: str,
    role: Role,
    country: Country | None = None,
    organisation: Organisation | None = None,
) -> Invitation:
    """Offer a role by e-mail. The link in the message works once, until it expires."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid_email") from None
    _check_scope(role, country, organisation)
    _check_may_appoint(actor, role, country, organisation)
    if _already_holds(email, role, country, organisation):
        raise ValidationError(
            _("%(email)s already holds this role.") % {"email": email}, code="already_appointed"
        )
    pending = Invitation.objects.filter(
        email__iexact=email,
        role=role,
        country=country,
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError(
            _("%(email)s has already been invited to this role; the invitation is still open.")
            % {"email": email},
            code="already_invited",
        )
    invitation = Invitation.objects.create(
        email=email, role=role, country=country, organisation=organisation, invited_by=actor
    )
    _log(
        AppointmentLog.Action.INVITED,
        actor=actor,
        role=role,
        email=email,
        user=None,
        country=country,
        organisation=organisation,
    )
    transaction.on_commit(lambda: _send_invitation(invitation))
    return invitation


def _invitation_context(invitation: Invitation) -> dict[str, Any]:
    return {
        "invitation": invitation,
        "role": invitation.get_role_display(),
        "scope": (invitation.country.name() if invitation.country else None)
        or (invitation.organisation.display_name() if invitation.organisation else ""),
        "inviter": invitation.invited_by,
        "url": site_url(reverse("accounts:invitation", args=[invitation.token])),
        "days": settings.INVITATION_VALID_DAYS,
        "second_factor": mfa_policy.role_requires_second_factor(invitation.role),
    }


def _send_invitation(invitation: Invitation) -> None:
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = (
        existing.preferred_language if existing else translation.get_language() or settings.LANGUAGE_CODE
    )
    send_templated(
        "accounts/email/invitation",
        partial(_invitation_context, invitation),
        to=invitation.email,
        language=language,
    )


@transaction.atomic
def accept_invitation(*, user: User, token: str) -> Appointment:
    """Turn an invitation into an appointment for the signed-in person it was sent to."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn."), code="revoked")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."), code="expired")
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Sign in with that address to accept it."),
            code="other_email",
        )
    role = Role(invitation.role)
    appointment = _appoint(
        actor=invitation.invited_by,
        user=user,
        role=role,
        country=invitation.country,
        organisation=invitation.organisation,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return appointment


def _appoint(
    *,
    actor: User | None,
    user: User,
    role: Role,
    country: Country | None,
    organisation: Organisation | None,
) -> Appointment:
    appointment, _created = Appointment.objects.get_or_create(
        user=user,
        role=role,
        country=country,
        organisation=organisation,
        ended_at__isnull=True,
        defaults={"appointed_by": actor},
    )
    _log(
        AppointmentLog.Action.APPOINTED,
        actor=actor,
        role=role,
        email=user.email,
        user=user,
        country=country,
        organisation=organisation,
    )
    roles.forget_appointments(user)
    return appointment


@transaction.atomic
def appoint(
    *,
    actor: User | None,
    user: User,
    role: Role,
    country: Country | None = None,
    organisation: Organisation | None = None,
) -> Appointment:
    """Appoint an existing account directly (the Secretariat in the admin, console, demo data)."""
    _check_scope(role, country, organisation)
    _check_may_appoint(actor, role, country, organisation)
    return _appoint(actor=actor, user=user, role=role, country=country, organisation=organisation)


@transaction.atomic
def remove(*, actor: User | None, appointment: Appointment) -> None:
    """End an appointment; it stays in the history."""
    if appointment.ended_at is not None:
        raise ValidationError(_("This appointment has already ended."), code="ended")
    role = Role(appointment.role)
    _check_may_appoint(actor, role, appointment.country, appointment.organisation)
    appointment.ended_at = timezone.now()
    appointment.ended_by = actor
    appointment.save(update_fields=["ended_at", "ended_by"])
    _log(
        AppointmentLog.Action.REMOVED,
        actor=actor,
        role=role,
        email=appointment.user.email,
        user=appointment.user,
        country=appointment.country,
        organisation=appointment.organisation,
    )
    roles.forget_appointments(appointment.user)


@transaction.atomic
def revoke_invitation(*, actor: User | None, invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer open."), code="closed")
    _check_may_appoint(actor, Role(invitation.role), invitation.country, invitation.organisation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _log(
        AppointmentLog.Action.INVITATION_REVOKED,
        actor=actor,
        role=invitation.role,
        email=invitation.email,
        user=None,
        country=invitation.country,
        organisation=invitation.organisation,
    )
