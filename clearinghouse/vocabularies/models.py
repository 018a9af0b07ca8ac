from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import CONTENT_LANGUAGES, pick_label


def validate_labels(value: object) -> None:
    """Labels are a mapping with a non-empty text for each of the six languages."""
    if not isinstance(value, dict):
        raise ValidationError(_("Labels must map language codes to texts."))
    missing = [code for code in CONTENT_LANGUAGES if not str(value.get(code, "")).strip()]
    if missing:
        raise ValidationError(
            _("A label is needed in every language; missing: %(languages)s."),
            params={"languages": ", ".join(missing)},
        )
    unknown = sorted(set(value) - set(CONTENT_LANGUAGES))
    if unknown:
        raise ValidationError(_("Unknown language codes: %(codes)s."), params={"codes": ", ".join(unknown)})


class Vocabulary(models.Model):
    """A controlled list of terms (targets, subjects, support types, ...), versioned."""

    name = models.SlugField(_("name"), max_length=50, unique=True)
    titles = models.JSONField(_("titles"), default=dict, validators=[validate_labels])
    source = models.TextField(_("source"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    release = models.CharField(_("release of the source data"), max_length=30, blank=True)
    # SHA-256 of the data file last loaded: an unchanged file is not loaded again, so edits made
    # by the Secretariat in the admin survive `loadreference` until a new release of the file.
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        return pick_label(self.titles, language) or self.name


class Term(models.Model):
    """One term of a vocabulary: a stable code and a label in each of the six languages."""

    vocabulary = models.ForeignKey(Vocabulary, models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=60)
    labels = models.JSONField(_("labels"), default=dict, validators=[validate_labels])
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField(_("position"), default=0)
    maps_to = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="mapped_from", verbose_name=_("maps to")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_term_code")]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return f"{self.code} {self.label()}"

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language) or self.code


class VocabularyRevision(models.Model):
    """A snapshot of a vocabulary after each change: who changed it, when, and what it held."""

    vocabulary = models.ForeignKey(Vocabulary, models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["vocabulary", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "version"], name="unique_vocabulary_version")
        ]
        verbose_name = _("vocabulary revision")
        verbose_name_plural = _("vocabulary revisions")

    def __str__(self) -> str:
        return f"{self.vocabulary.name} v{self.version}"
