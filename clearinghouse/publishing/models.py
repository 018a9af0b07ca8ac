"""The publishing workflow every registry's records share (after Wagtail's draft-state and
revision mixins): a record's table row holds what is public; every saved change is a Revision
snapshot; a change to a published record waits in its revision while the public keeps seeing
the published one.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import validate_language_code, validate_texts_by_language
from clearinghouse.core.text import trimmed

if TYPE_CHECKING:
    from clearinghouse.geo.models import Country
    from clearinghouse.organisations.models import Organisation


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


def text_field(verbose_name: Any) -> models.JSONField[Any]:
    """A record's text in several languages: {language code: text}."""
    return models.JSONField(verbose_name, default=dict, blank=True)


def terms_field(verbose_name: Any) -> models.ManyToManyField[Any, Any]:
    """A record's terms of a controlled vocabulary (which one: the type's VOCABULARIES)."""
    return models.ManyToManyField(
        "vocabularies.Term", blank=True, related_name="+", verbose_name=verbose_name
    )


class Record(models.Model):
    """Base of every record type (need, request, offer, resource, event, course, ...).

    ``state`` is the state of the working copy: a published record with a pending change is
    ``draft``/``submitted``/``returned`` while ``live`` stays true and the public keeps seeing
    the row as it was published.
    """

    # The type's code in identifiers (CB-NEED-KE-000123) and the fields a revision captures.
    RECORD_TYPE: ClassVar[str]
    CONTENT_FIELDS: ClassVar[tuple[str, ...]]
    # Content fields only the owners, the reviewers and the help desk may see.
    CONFIDENTIAL_FIELDS: ClassVar[tuple[str, ...]] = ()
    # The account field naming the person a record is about (an expert's own profile): that
    # person drafts, submits and reads it like its owners do (accounts/permissions.py).
    SUBJECT_FIELD: ClassVar[str] = ""

    identifier = models.CharField(_("identifier"), max_length=40, unique=True, editable=False)
    owner_country = models.ForeignKey(
        "geo.Country", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Party")
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # Any ISO 639 language, stored by core.languages' rule (ISO 639-1 where there is one, else 639-3).
    original_language = models.CharField(
        _("original language"), max_length=3, validators=[validate_language_code]
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    live = models.BooleanField(_("public"), default=False)
    revision_number = models.PositiveIntegerField(_("latest revision"), default=0)
    live_revision_number = models.PositiveIntegerField(_("published revision"), null=True, blank=True)
    # Empty for records made by the platform itself (imports, demo data).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("last published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # The action plan's activities the record serves: monitoring counts each activity's records
    # exactly from these. A content field of every type, reviewed like the rest.
    plan_activities = models.ManyToManyField(
        "plan.Activity", blank=True, related_name="+", verbose_name=_("action-plan activities")
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_country__isnull=False, owner_organisation__isnull=True)
                | Q(owner_country__isnull=True, owner_organisation__isnull=False),
                name="%(app_label)s_%(class)s_one_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="%(app_label)s_%(class)s_queue"),
            # Public lists, newest published first. Partial, because SQLite uses an index for
            # `WHERE live` only when the index has the same condition.
            models.Index(
                fields=["-last_published_at", "-id"],
                condition=Q(live=True),
                name="%(app_label)s_%(class)s_public",
            ),
        ]

    @classmethod
    def code_label(cls, name: str, code: str) -> str | None:
        """A code stored in a content field (a choice of the record's format, a region) in the
        reader's words; None when the record type gives it no label."""
        return None

    @property
    def owner(self) -> Country | Organisation:
        owner = self.owner_country or self.owner_organisation
        if owner is None:
            raise ValueError(f"{self.identifier or 'a new record'} has no owner")
        return owner

    def clean_fields(self, exclude: Any = None) -> None:
        # Texts in several languages are trimmed before they are checked, a language whose text
        # is empty or only invisible characters left out: such a title counts as no title.
        errors: dict[str, Any] = {}
        for name in self.CONTENT_FIELDS:
            if not isinstance(self._meta.get_field(name), models.JSONField):
                continue
            value = getattr(self, name)
            # Only texts by language: a structured document (a course's outline) is left whole.
            if isinstance(value, dict) and all(isinstance(text, str | None) for text in value.values()):
                texts = {str(code): trimmed(str(text or "")) for code, text in value.items()}
                texts = {code: text for code, text in texts.items() if text}
                setattr(self, name, texts)
                try:
                    validate_texts_by_language(texts)
                except ValidationError as error:
                    errors[name] = error.error_list
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def submission_problems(self, content: dict[str, Any]) -> list[str]:
        """What must be filled in before a revision with this content can be submitted
        (record types with required fields say so; drafts may be saved incomplete)."""
        return []

    def discloses_confidential(self) -> bool:
        """Whether the record's owner or subject chose to make its confidential fields public."""
        return False

    def on_publish(self, now: datetime) -> None:
        """What else goes public with a revision a reviewer publishes (a resource's new language
        versions): called inside the publishing transaction."""

    @property
    def has_pending_changes(self) -> bool:
        return self.live and self.state in {State.DRAFT, State.SUBMITTED, State.RETURNED}


class Revision(models.Model):
    """One saved version of a record: who saved it, when, and a snapshot of its content."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(_("content"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        ordering = ["content_type", "object_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="unique_revision_number"
            )
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} r{self.number}"


class IdentifierSequence(models.Model):
    """The last number given out for one identifier prefix, e.g. CB-NEED-KE."""

    prefix = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last}"


class RecordReport(models.Model):
    """Someone signed in says a public record is wrong; the record's reviewers triage it."""

    class Reason(models.TextChoices):
        WRONG = "wrong", _("Wrong or outdated information")
        BROKEN_LINK = "broken_link", _("Broken link")
        COPYRIGHT = "copyright", _("Copyright problem")
        OTHER = "other", _("Other")

    identifier = models.CharField(_("record"), max_length=40, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    comment = models.TextField(_("comment"), max_length=4000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["resolved_at", "reported_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.identifier} {self.reason}"


def _share_token() -> str:
    return secrets.token_urlsafe(24)


def _share_expiry() -> Any:
    return timezone.now() + timedelta(days=14)


class ShareLink(models.Model):
    """A link to a record's latest draft for people without an account to comment on."""

    identifier = models.CharField(_("record"), max_length=40, db_index=True)
    token = models.CharField(max_length=40, unique=True, default=_share_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_share_expiry)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return f"{self.identifier} {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class DraftComment(models.Model):
    link = models.ForeignKey(ShareLink, models.CASCADE, related_name="comments")
    revision_number = models.PositiveIntegerField()
    name = models.CharField(_("your name"), max_length=120)
    comment = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")

    def __str__(self) -> str:
        return f"{self.name}: {self.comment[:40]}"


class Usage(models.TextChoices):
    VIEW = "view", _("Views")
    DOWNLOAD = "download", _("Downloads")


class DailyUsage(models.Model):
    """How many times a record was viewed or downloaded on one day, from one country: the dated
    facts monitoring draws trends from. Never who: no account, address or session is kept."""

    day = models.DateField(_("day"))
    identifier = models.CharField(_("record"), max_length=40)
    # The record type's code (NEED, RES...), so counts by type need no join.
    record_type = models.CharField(_("record type"), max_length=12)
    kind = models.CharField(_("kind"), max_length=8, choices=Usage.choices)
    # The reader's country when known (their Party or organisation's), else "".
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "identifier", "kind", "country"], name="unique_daily_usage"
            )
        ]
        indexes = [models.Index(fields=["kind", "day"], name="daily_usage_by_day")]
        verbose_name = _("daily use")
        verbose_name_plural = _("daily use")

    def __str__(self) -> str:
        return f"{self.day} {self.identifier} {self.kind} {self.country or '-'}: {self.count}"
