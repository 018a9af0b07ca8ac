from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

# Closed accounts keep their row (records point to it) under an address that can receive nothing.
CLOSED_EMAIL_DOMAIN = "closed.invalid"

if TYPE_CHECKING:
    from clearinghouse.geo.models import Country
    from clearinghouse.organisations.models import Organisation


class User(AbstractUser):  # type: ignore[django-manager-missing]  # knox's untyped token model
    """A person who signs in. The e-mail address is unique: it is how people are invited."""

    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    country = models.ForeignKey(
        "geo.Country", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    # ISO 639-1 codes of any language, not only the six UN languages.
    languages_spoken = models.JSONField(_("languages spoken"), default=list, blank=True)
    expertise = models.ManyToManyField(
        "vocabularies.Term", blank=True, related_name="experts", verbose_name=_("areas of expertise")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.is_closed:
            return str(_("Closed account"))
        return self.get_full_name() or self.email or self.username

    @property
    def is_closed(self) -> bool:
        return not self.is_active and self.email.endswith(f"@{CLOSED_EMAIL_DOMAIN}")


class Role(models.TextChoices):
    """Roles that are appointed. Every signed-in person is also a registered user (learner,
    alumnus); anyone not signed in is the public."""

    SECRETARIAT = "secretariat", _("Secretariat administrator")
    FOCAL_POINT = "focal_point", _("National focal point")
    AUTHORISED_USER = "authorised_user", _("National authorised user")
    IPLC_REPRESENTATIVE = "iplc_representative", _("IPLC organisation representative")
    PARTNER_EDITOR = "partner_editor", _("Partner organisation editor")
    HELPDESK_AGENT = "helpdesk_agent", _("Help-desk agent")
    TRAINER = "trainer", _("Trainer or course author")
    TRANSLATOR = "translator", _("Translator")


# Which roles act for a Party (country) and which for an organisation.
COUNTRY_ROLES = frozenset({Role.FOCAL_POINT, Role.AUTHORISED_USER})
ORGANISATION_ROLES = frozenset({Role.IPLC_REPRESENTATIVE, Role.PARTNER_EDITOR})


def _scope_constraints(prefix: str) -> list[models.BaseConstraint]:
    country_roles = sorted(str(role) for role in COUNTRY_ROLES)
    organisation_roles = sorted(str(role) for role in ORGANISATION_ROLES)
    return [
        models.CheckConstraint(
            condition=Q(role__in=country_roles, country__isnull=False, organisation__isnull=True)
            | Q(role__in=organisation_roles, organisation__isnull=False, country__isnull=True)
            # A help desk is central (no organisation) or regional, hosted by a partner institution;
            # so is a translator.
            | Q(role__in=[Role.HELPDESK_AGENT, Role.TRANSLATOR], country__isnull=True)
            | Q(role__in=[Role.SECRETARIAT, Role.TRAINER], country__isnull=True, organisation__isnull=True),
            name=f"{prefix}_scope_fits_role",
        )
    ]


class Appointment(models.Model):
    """A person holding a role, for a Party or an organisation where the role needs one.

    Appointments are never deleted: removal sets ``ended_at``, so the history stays.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="appointments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    country = models.ForeignKey(
        "geo.Country",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("Party"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("organisation"),
    )
    appointed_at = models.DateTimeField(_("appointed"), default=timezone.now)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-appointed_at"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            *_scope_constraints("appointment"),
            # One active appointment per person, role and scope (three constraints, since
            # SQLite cannot treat NULLs as equal in one).
            models.UniqueConstraint(
                fields=["user", "role", "country"],
                condition=Q(ended_at__isnull=True, country__isnull=False),
                name="one_active_appointment_per_party",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(ended_at__isnull=True, organisation__isnull=False),
                name="one_active_appointment_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(ended_at__isnull=True, country__isnull=True, organisation__isnull=True),
                name="one_active_appointment_per_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.country or self.organisation
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An appointment offered by e-mail; the link in it works once, until it expires."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    country = models.ForeignKey("geo.Country", models.PROTECT, null=True, blank=True, verbose_name=_("Party"))
    organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, null=True, blank=True, verbose_name=_("organisation")
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = _scope_constraints("invitation")

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class AppointmentLog(models.Model):
    """Who appointed, invited or removed whom, and when. Written by the services only."""

    class Action(models.TextChoices):
        INVITED = "invited", _("invited")
        APPOINTED = "appointed", _("appointed")
        REMOVED = "removed", _("removed")
        INVITATION_REVOKED = "invitation_revoked", _("invitation revoked")
        ACCESS_REQUESTED = "access_requested", _("access requested")
        ACCESS_DECLINED = "access_declined", _("access request declined")

    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="appointment_history"
    )
    country = models.ForeignKey("geo.Country", models.PROTECT, null=True, blank=True, verbose_name=_("Party"))
    organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, null=True, blank=True, verbose_name=_("organisation")
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("appointment log entry")
        verbose_name_plural = _("appointment log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.email} {self.role}"


# The roles a person may ask for themselves: those held for one Party or one organisation, whose
# focal point or editor knows them. Other roles are only given by the Secretariat.
REQUESTABLE_ROLES = frozenset({Role.AUTHORISED_USER, Role.IPLC_REPRESENTATIVE, Role.PARTNER_EDITOR})


class AccessRequest(models.Model):
    """A registered person asking for a role for a Party or an organisation; the Party's focal
    point, the organisation's editor or the Secretariat grants it (an appointment) or declines it.

    Requests are kept once decided, with who decided and when.
    """

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        DECLINED = "declined", _("declined")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="access_requests", verbose_name=_("requester")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    country = models.ForeignKey(
        "geo.Country", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Party")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [
            *_scope_constraints("access_request"),
            models.CheckConstraint(
                condition=Q(role__in=sorted(str(role) for role in REQUESTABLE_ROLES)),
                name="access_request_role_requestable",
            ),
            # Decided requests carry their outcome and date; pending ones neither.
            models.CheckConstraint(
                condition=Q(outcome="", decided_at__isnull=True)
                | (~Q(outcome="") & Q(decided_at__isnull=False)),
                name="access_request_decision_complete",
            ),
            # At most one pending request per person and scope (two constraints: see Appointment).
            models.UniqueConstraint(
                fields=["requester", "country"],
                condition=Q(outcome="", country__isnull=False),
                name="one_pending_access_request_per_party",
            ),
            models.UniqueConstraint(
                fields=["requester", "organisation"],
                condition=Q(outcome="", organisation__isnull=False),
                name="one_pending_access_request_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self) -> Country | Organisation | None:
        """The Party or the organisation the role is asked for."""
        return self.country or self.organisation

    @property
    def is_pending(self) -> bool:
        return not self.outcome


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(AbstractAuthToken):
    """A personal API token. Only a hash of the key is stored (knox's ``digest``), with the
    key's first characters (``token_key``) to find it; the key itself is shown once, when the
    token is created."""

    # Annotated: knox's base model is untyped, so the fields' types are not inferred.
    name: models.CharField[str, str] = models.CharField(_("name"), max_length=100)
    scope: models.CharField[str, str] = models.CharField(
        _("scope"), max_length=5, choices=TokenScope.choices, default=TokenScope.READ
    )
    last_used_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("last used"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} · {self.user}"
