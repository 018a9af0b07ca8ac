"""Translation requests: someone asks for an item's texts in one more UN language; translators
claim, draft and submit them; a reviewer publishes them, marked as an unofficial translation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES, validate_language_code


class RequestState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CLAIMED = "claimed", _("Being translated")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned to the translator")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Kind(models.TextChoices):
    """What is translated: the record's texts, or a resource's file (a new language version)."""

    TEXTS = "texts", _("Texts")
    FILE = "file", _("File")


def _draft_path(instance: TranslationRequest, filename: str) -> str:
    # The stored name never comes from the uploader: only the sniffed extension is kept.
    return f"translation/{instance.pk}/{instance.language}.{instance.extension}"


# A request is open until it is published, declined or withdrawn: one open request per item and
# language.
OPEN_STATES = (RequestState.REQUESTED, RequestState.CLAIMED, RequestState.SUBMITTED, RequestState.RETURNED)
IN_PROGRESS_STATES = (RequestState.CLAIMED, RequestState.SUBMITTED, RequestState.RETURNED)
CLOSED_STATES = (RequestState.PUBLISHED, RequestState.DECLINED, RequestState.WITHDRAWN)


class TranslatorProfile(models.Model):
    """The languages a translator works into (the role itself is an appointment)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="translator_profile", verbose_name=_("person")
    )
    languages = models.JSONField(_("languages translated into"), default=list, blank=True)

    class Meta:
        verbose_name = _("translator's languages")
        verbose_name_plural = _("translators' languages")

    def __str__(self) -> str:
        return f"{self.user} {','.join(self.languages)}"

    def clean(self) -> None:
        unknown = [code for code in self.languages if code not in CONTENT_LANGUAGES]
        if unknown or not isinstance(self.languages, list):
            raise ValidationError({"languages": _("Choose among the six UN languages.")}, code="language")


class TranslationRequest(models.Model):
    """One item's texts wanted in one language, and their way through translation and review.

    The item is a registered record, by identifier (CB-RES-KE-000012). ``record_type`` repeats
    the type's code so counts by type need no join.
    """

    identifier = models.CharField(_("record"), max_length=40)
    record_type = models.CharField(_("record type"), max_length=12)
    kind = models.CharField(_("what is translated"), max_length=8, choices=Kind.choices, default=Kind.TEXTS)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    state = models.CharField(
        _("state"), max_length=12, choices=RequestState.choices, default=RequestState.REQUESTED
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translator"),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # The language translated from: the record's original language (any language, as records
    # store it) or an existing translation.
    source_language = models.CharField(
        _("translated from"), max_length=3, validators=[validate_language_code], blank=True
    )
    # The draft: {content field: text}.
    texts = models.JSONField(_("draft"), default=dict, blank=True)
    # The translated file of a resource (kind "file"), checked by support's upload rules.
    file = models.FileField(_("translated file"), upload_to=_draft_path, blank=True, max_length=200)
    extension = models.CharField(max_length=10, blank=True, editable=False)
    media_type = models.CharField(max_length=100, blank=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    drafted_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Who drafted the submitted texts: never their reviewer.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comments"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("translation request")
        verbose_name_plural = _("translation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "language", "kind"],
                condition=Q(state__in=[str(state) for state in OPEN_STATES]),
                name="translation_one_open_request",
            ),
            # A claimed request has its translator; a waiting one has none.
            models.CheckConstraint(
                condition=Q(state=RequestState.REQUESTED, translator__isnull=True)
                | ~Q(state=RequestState.REQUESTED),
                name="translation_requested_unclaimed",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[str(state) for state in IN_PROGRESS_STATES])
                | Q(translator__isnull=False),
                name="translation_in_progress_claimed",
            ),
        ]
        indexes = [models.Index(fields=["state", "language"], name="translation_queue")]

    def __str__(self) -> str:
        return f"{self.identifier} → {self.language} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def language_name(self) -> Any:
        return self.get_language_display()


class Requester(models.Model):
    """A person who asked for the translation, with their note: told when it is published."""

    request = models.ForeignKey(TranslationRequest, models.CASCADE, related_name="requesters")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    note = models.TextField(_("note"), blank=True, max_length=1000)
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("requester")
        verbose_name_plural = _("requesters")
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="translation_one_requester")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.person_id}"


class UnofficialTranslation(models.Model):
    """A record's texts in one language (or a resource's file in it) published from a translation
    request: shown with an "Unofficial translation" mark while the record still has those texts."""

    identifier = models.CharField(_("record"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    kind = models.CharField(_("what is translated"), max_length=8, choices=Kind.choices, default=Kind.TEXTS)
    # The texts as published ({field: text}): once the owners change them, they are theirs.
    texts = models.JSONField(_("texts"), default=dict)
    request = models.ForeignKey(TranslationRequest, models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("published"))

    class Meta:
        ordering = ["identifier", "language"]
        verbose_name = _("unofficial translation")
        verbose_name_plural = _("unofficial translations")
        constraints = [
            models.UniqueConstraint(fields=["identifier", "language", "kind"], name="translation_one_mark")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.language}"
