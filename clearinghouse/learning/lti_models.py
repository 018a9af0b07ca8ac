"""Registrations for LTI 1.3 in both directions, the platform's signing keys, and the
pseudonyms that stand for learners outside the platform.

- ``LtiTool``: an external tool the Secretariat registered; ``LtiPlacement`` attaches it to a
  course, and enrolled learners launch it from the course page (we are the platform).
- ``LtiPlatform``: another learning platform (Moodle) that launches our courses; ``LtiLink``
  ties a person of that platform (issuer, subject) to an account here (we are the tool).
- ``LtiKey``: our RSA keys. The private key is kept in the database as PEM: the project has no
  store for secrets, so whoever can read the database can sign launches (docs/learning.md).
- ``Pseudonym``: a random, stable identifier for a person, given to learning record stores (the
  xAPI actor's account name) and to external tools (the LTI ``sub``) instead of their e-mail.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.learning.models import Course


def _client_id() -> str:
    return secrets.token_urlsafe(18)


def _kid() -> str:
    return secrets.token_hex(8)


class Pseudonym(models.Model):
    """The identifier other systems know a learner by: random, never their e-mail or name."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="learning_pseudonym")
    value = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonyms")

    def __str__(self) -> str:
        return str(self.value)


class LtiKey(models.Model):
    """One of the platform's RSA key pairs; launches are signed with the newest, and every key
    not retired is published in the key set (so a key can be rolled over without breaking
    tokens already issued)."""

    kid = models.CharField(max_length=32, unique=True, default=_kid, editable=False)
    private_pem = models.TextField(editable=False)
    public_pem = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("LTI signing key")
        verbose_name_plural = _("LTI signing keys")

    def __str__(self) -> str:
        return self.kid


class LtiTool(models.Model):
    """An external LTI 1.3 tool our learners may launch."""

    name = models.CharField(_("name"), max_length=200)
    client_id = models.CharField(
        _("client ID"),
        max_length=200,
        unique=True,
        default=_client_id,
        help_text=_("The identifier this platform gives the tool; the tool is configured with it."),
    )
    deployment_id = models.CharField(_("deployment ID"), max_length=200, default="1")
    login_url = models.URLField(_("OIDC login initiation URL"), max_length=500)
    launch_url = models.URLField(_("target link (launch) URL"), max_length=500)
    redirect_uris = models.JSONField(
        _("other redirect URLs"),
        default=list,
        blank=True,
        help_text=_("Addresses besides the launch URL that the tool may ask the launch to be sent to."),
    )
    jwks_url = models.URLField(_("tool's key set (JWKS) URL"), max_length=500, blank=True)
    public_key = models.TextField(_("tool's public key (PEM)"), blank=True)
    active = models.BooleanField(_("may be launched"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("external LTI tool")
        verbose_name_plural = _("external LTI tools")

    def __str__(self) -> str:
        return self.name

    def accepts_redirect(self, uri: str) -> bool:
        return uri == self.launch_url or uri in (self.redirect_uris or [])


class LtiPlacement(models.Model):
    """An external tool attached to a course by its owner: enrolled learners see a link to it."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="lti_placements")
    tool = models.ForeignKey(LtiTool, models.CASCADE, related_name="placements")
    title = models.CharField(_("title of the link"), max_length=200)
    # The LTI resource link's id: stable for this placement, unique across the platform.
    resource_link_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["course", "title"]
        verbose_name = _("external tool of a course")
        verbose_name_plural = _("external tools of courses")
        constraints = [
            models.UniqueConstraint(fields=["course", "tool"], name="learning_placement_once"),
        ]

    def __str__(self) -> str:
        return self.title


class LtiPlatform(models.Model):
    """Another learning platform (Moodle, a national platform) that may launch our courses."""

    name = models.CharField(_("name"), max_length=200)
    issuer = models.URLField(_("issuer"), max_length=500)
    client_id = models.CharField(
        _("client ID"), max_length=200, help_text=_("The identifier the other platform gave us.")
    )
    auth_login_url = models.URLField(_("authentication request URL"), max_length=500)
    auth_token_url = models.URLField(_("access token URL"), max_length=500)
    key_set_url = models.URLField(_("key set (JWKS) URL"), max_length=500)
    deployment_ids = models.JSONField(_("deployment IDs"), default=list)
    active = models.BooleanField(_("may launch courses"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("LTI platform")
        verbose_name_plural = _("LTI platforms")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="learning_platform_once"),
        ]

    def __str__(self) -> str:
        return self.name


class LtiLink(models.Model):
    """A person of another platform, known there by (issuer, subject), and their account here."""

    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="lti_links")
    platform = models.ForeignKey(LtiPlatform, models.SET_NULL, null=True, related_name="links")
    created_at = models.DateTimeField(default=timezone.now)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account linked from another platform")
        verbose_name_plural = _("accounts linked from other platforms")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="learning_lti_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
