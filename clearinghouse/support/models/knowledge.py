"""Capacity-building initiatives and the resources they and others produce."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import language_name, validate_language_code
from clearinghouse.publishing.models import terms_field, text_field
from clearinghouse.support.models.common import (
    SupportRecord,
    amount_field,
    currency_field,
    urls_field,
)


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TOOLKIT = "toolkit", _("Toolkit")
    MANUAL = "manual", _("Manual")
    ELEARNING = "elearning", _("E-learning module")
    CASE_STUDY = "case_study", _("Case study")
    SUCCESS_STORY = "success_story", _("Success story")
    DATASET = "dataset", _("Dataset")
    VIDEO = "video", _("Video")


class Resource(SupportRecord):
    """A guide, toolkit, manual, module, case study, dataset or video, in one or more languages."""

    RECORD_TYPE = "RES"
    SUBMISSION_REQUIRED = (("title", _("title")), ("kind", _("kind")))
    SLUG = "resources"
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "description",
        "kind",
        "authors",
        "publisher",
        "year",
        "licence",
        "subjects",
        "gbf_targets",
        "aichi_targets",
        "plan_activities",
    )
    RICH_FIELDS = ("description",)
    VOCABULARIES = {"subjects": "subjects", "gbf_targets": "gbf-targets", "aichi_targets": "aichi-targets"}

    description = text_field(_("description"))
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices, blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    licence = models.CharField(
        _("licence"), max_length=100, blank=True, help_text=_("For example CC BY 4.0.")
    )
    subjects = terms_field(_("thematic subjects"))
    gbf_targets = terms_field(_("GBF targets"))
    aichi_targets = terms_field(_("Aichi targets"))
    # Counters for the plan's indicators: page views and downloads of the files.
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    class Meta(SupportRecord.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def clean(self) -> None:
        super().clean()
        if self.year is not None and not 1900 <= self.year <= 2100:
            raise ValidationError({"year": _("Give a year between 1900 and 2100.")})

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``support.records`` declares those)."""
        return {"status": self.status_facets()}

    @property
    def published_versions(self) -> list[ResourceVersion]:
        """The language versions the public sees (read from ``versions`` so a prefetch serves it)."""
        return [version for version in self.versions.all() if version.published_at is not None]

    def on_publish(self, now: datetime) -> None:
        # A language version is reviewed with the record: it goes public when a reviewer
        # publishes the revision it was added to, not when its editor uploads it.
        self.versions.filter(published_at__isnull=True).update(published_at=now)


def _version_path(instance: ResourceVersion, filename: str) -> str:
    # The stored name never comes from the uploader: only the sniffed extension is kept.
    return (
        f"support/resources/{instance.resource_id}/{instance.language}-{instance.token}.{instance.extension}"
    )


class ResourceVersionQuerySet(models.QuerySet["ResourceVersion"]):
    def published(self) -> ResourceVersionQuerySet:
        """The versions a reviewer has published: the only ones the public, the API, exports and
        search see."""
        return self.filter(published_at__isnull=False)


class ResourceVersion(models.Model):
    """A resource in one language: an uploaded file (checked by support/uploads.py) or a link.
    It stays with the record's authors and reviewers until a reviewer publishes the record."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=3, validators=[validate_language_code])
    file = models.FileField(_("file"), upload_to=_version_path, blank=True, max_length=200)
    link = models.URLField(_("link"), blank=True)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, blank=True, editable=False)
    media_type = models.CharField(_("type"), max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    objects = ResourceVersionQuerySet.as_manager()

    class Meta:
        ordering = ["resource", "language", "pk"]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(link="")) | (~models.Q(file="") & models.Q(link="")),
                name="support_version_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.language}"

    @property
    def language_name(self) -> str:
        """The version's language named in the reader's language."""
        return language_name(self.language)


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Initiative(SupportRecord):
    """A capacity-building initiative: programme, project or network, its results and lessons."""

    RECORD_TYPE = "INIT"
    SUBMISSION_REQUIRED = (("title", _("title")), ("description", _("description")), ("status", _("status")))
    SLUG = "initiatives"
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "description",
        "lead_organisation",
        "partners",
        "countries",
        "regions",
        "gbf_targets",
        "aichi_targets",
        "subjects",
        "support_types",
        "target_groups",
        "start_date",
        "end_date",
        "funding_amount",
        "currency",
        "funding_source",
        "status",
        "results",
        "lessons",
        "resources",
        "event_links",
        "course_links",
        "plan_activities",
    )
    RICH_FIELDS = ("description", "results", "lessons")
    VOCABULARIES = {
        "gbf_targets": "gbf-targets",
        "aichi_targets": "aichi-targets",
        "subjects": "subjects",
        "support_types": "support-types",
        "target_groups": "target-groups",
    }

    description = text_field(_("description"))
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    regions = models.ManyToManyField("geo.Region", blank=True, related_name="+", verbose_name=_("regions"))
    gbf_targets = terms_field(_("GBF targets"))
    aichi_targets = terms_field(_("Aichi targets"))
    subjects = terms_field(_("thematic subjects"))
    support_types = terms_field(_("types of support"))
    target_groups = terms_field(_("target groups"))
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    funding_amount = amount_field(_("funding"))
    currency = currency_field()
    funding_source = models.CharField(_("source of funding"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices, blank=True)
    results = text_field(_("results"))
    lessons = text_field(_("lessons learned"))
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="initiatives", verbose_name=_("resources produced")
    )
    event_links = urls_field(_("events it held (links)"))
    course_links = urls_field(_("courses it produced (links)"))

    class Meta(SupportRecord.Meta):
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end comes before the start.")})
        if self.funding_amount is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the funding.")})

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``support.records`` declares those)."""
        return {"status": [self.status, *self.status_facets()] if self.status else self.status_facets()}
