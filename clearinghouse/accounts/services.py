"""Appointments: invite, accept, remove; access asked for, granted, declined. Every change is
permission-checked and logged."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clearinghouse.accounts import mfa_policy, roles
from clearinghouse.accounts.models import (
    COUNTRY_ROLES,
    ORGANISATION_ROLES,
    AccessRequest,
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
    Role.TRANSLATOR: "accounts.appoint_staff",
}
# Roles held centrally or for the partner organisation that hosts them.
_HOSTED_ROLES = frozenset({Role.HELPDESK_AGENT, Role.TRANSLATOR})


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
    elif country is not None or (organisation is not None and role not in _HOSTED_ROLES):
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


# Access requests: a registered person asks the people who act for a Party or an organisation
# for a role there; they grant it (an appointment, logged as one) or decline it.

DECIDE_ACCESS = "accounts.decide_access_request"


def requested_role(scope: Country | Organisation) -> Role:
    """The role asked for: a Party's authorised user, or an organisation's representative (IPLC
    organisations) or editor (every other)."""
    if isinstance(scope, Country):
        return Role.AUTHORISED_USER
    if scope.type == OrganisationType.IPLC:
        return Role.IPLC_REPRESENTATIVE
    return Role.PARTNER_EDITOR


def may_decide(user: Any, access_request: AccessRequest) -> bool:
    return bool(user.has_perm(DECIDE_ACCESS, access_request.scope))


def deciders(access_request: AccessRequest) -> list[User]:
    """Who is told of a request: the Party's focal points or the organisation's editors; the
    Secretariat when nobody acts for it yet."""
    if access_request.country is not None:
        scoped = Q(role=Role.FOCAL_POINT, country=access_request.country)
    else:
        scoped = Q(role=access_request.role, organisation=access_request.organisation)
    people = User.objects.filter(scoped_appointments(scoped), is_active=True).distinct()
    if not people.exists():
        people = User.objects.filter(scoped_appointments(Q(role=Role.SECRETARIAT)), is_active=True).distinct()
    return [person for person in people.order_by("pk") if may_decide(person, access_request)]


def scoped_appointments(condition: Q) -> Q:
    """People with an active appointment that meets ``condition``."""
    return Q(pk__in=Appointment.objects.filter(condition, ended_at__isnull=True).values("user"))


def to_decide(user: Any) -> QuerySet[AccessRequest]:
    """The pending requests this person may decide: every one for the Secretariat, their Parties'
    for a focal point, their organisations' for its editors (the DECIDE_ACCESS rule's scopes)."""
    pending = AccessRequest.objects.filter(outcome="").select_related("requester", "country", "organisation")
    if roles.is_secretariat(user):
        return pending
    organisations = roles.organisations_for(user, Role.PARTNER_EDITOR) | set(
        Organisation.objects.filter(
            pk__in=roles.organisations_for(user, Role.IPLC_REPRESENTATIVE), type=OrganisationType.IPLC
        ).values_list("pk", flat=True)
    )
    return pending.filter(
        Q(country__in=roles.countries_for(user, Role.FOCAL_POINT)) | Q(organisation__in=organisations)
    )


@transaction.atomic
def request_access(*, requester: User, scope: Country | Organisation, message: str = "") -> AccessRequest:
    """Ask for the role ``requested_role(scope)``; the people who decide are told by e-mail."""
    country = scope if isinstance(scope, Country) else None
    organisation = scope if isinstance(scope, Organisation) else None
    role = requested_role(scope)
    _check_scope(role, country, organisation)
    if _already_holds(requester.email, role, country, organisation):
        raise ValidationError(_("You already hold this role."), code="already_appointed")
    if AccessRequest.objects.filter(
        requester=requester, country=country, organisation=organisation, outcome=""
    ).exists():
        raise ValidationError(
            _("You have already asked for access here; your request is waiting for a decision."),
            code="already_requested",
        )
    access_request = AccessRequest.objects.create(
        requester=requester, role=role, country=country, organisation=organisation, message=message.strip()
    )
    _log(
        AppointmentLog.Action.ACCESS_REQUESTED,
        actor=requester,
        role=role,
        email=requester.email,
        user=requester,
        country=country,
        organisation=organisation,
    )
    transaction.on_commit(lambda: _tell_deciders(access_request))
    return access_request


def _decide(actor: User, pk: int) -> AccessRequest:
    # Only the request's own row is locked (its Party or organisation may be absent: an outer join).
    access_request = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("requester", "country", "organisation")
        .get(pk=pk)
    )
    if not may_decide(actor, access_request):
        raise PermissionDenied(
            _("Only the focal point of this Party or an editor of this organisation may decide.")
        )
    if not access_request.is_pending:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return access_request


@transaction.atomic
def grant_access(*, actor: User, access_request: AccessRequest) -> Appointment:
    """Appoint the requester to the role asked for, as an accepted invitation does."""
    access_request = _decide(actor, access_request.pk)
    role = Role(access_request.role)
    _check_scope(role, access_request.country, access_request.organisation)
    appointment = _appoint(
        actor=actor,
        user=access_request.requester,
        role=role,
        country=access_request.country,
        organisation=access_request.organisation,
    )
    _close(access_request, actor, AccessRequest.Outcome.GRANTED)
    return appointment


@transaction.atomic
def decline_access(*, actor: User, access_request: AccessRequest) -> None:
    """Refuse the request; the requester is told and may ask again."""
    access_request = _decide(actor, access_request.pk)
    _close(access_request, actor, AccessRequest.Outcome.DECLINED)
    _log(
        AppointmentLog.Action.ACCESS_DECLINED,
        actor=actor,
        role=access_request.role,
        email=access_request.requester.email,
        user=access_request.requester,
        country=access_request.country,
        organisation=access_request.organisation,
    )


def _close(access_request: AccessRequest, actor: User, outcome: AccessRequest.Outcome) -> None:
    access_request.outcome = outcome
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["outcome", "decided_by", "decided_at"])
    transaction.on_commit(lambda: _tell_requester(access_request))


def _access_context(access_request: AccessRequest, path: str) -> dict[str, Any]:
    scope = access_request.scope
    return {
        "access_request": access_request,
        "requester": access_request.requester,
        "role": access_request.get_role_display(),
        "scope": scope.name() if isinstance(scope, Country) else scope.display_name() if scope else "",
        "granted": access_request.outcome == AccessRequest.Outcome.GRANTED,
        "decider": access_request.decided_by,
        "url": site_url(reverse(path)),
    }


def _tell_deciders(access_request: AccessRequest) -> None:
    for person in deciders(access_request):
        send_templated(
            "accounts/email/access_request",
            partial(_access_context, access_request, "workspace:dashboard"),
            to=person.email,
            language=person.preferred_language,
        )


def _tell_requester(access_request: AccessRequest) -> None:
    requester = access_request.requester
    send_templated(
        "accounts/email/access_decision",
        partial(_access_context, access_request, "workspace:dashboard"),
        to=requester.email,
        language=requester.preferred_language,
    )
