"""Sources of records kept by other clearing-houses and national nodes, the records harvested
from them, and each run's log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clearinghouse.harvest import messages


def validate_mapping(value: str) -> None:
    from clearinghouse.harvest.mappings import MAPPINGS

    if value not in MAPPINGS:
        raise ValidationError(
            _("There is no mapping named %(name)s."), params={"name": value}, code="mapping"
        )


class Schedule(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    MANUAL = "manual", _("Only when asked")


class Source(models.Model):
    """A feed or API answer listing another clearing-house's records, harvested on a schedule."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("address of the feed or API"), max_length=1000)
    mapping = models.CharField(_("mapping"), max_length=40, validators=[validate_mapping])
    # The original record's page; {identifier} is the source's identifier of the record.
    record_url = models.CharField(
        _("address of an original record"),
        max_length=1000,
        blank=True,
        help_text=_(
            "With {identifier} where the record's identifier goes; empty: the address the document gives."
        ),
    )
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
    schedule = models.CharField(
        _("schedule"), max_length=10, choices=Schedule.choices, default=Schedule.DAILY
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_country__isnull=False, owner_organisation__isnull=True)
                | Q(owner_country__isnull=True, owner_organisation__isnull=False),
                name="harvest_source_one_owner",
            ),
        ]
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (self.owner_country_id is None) == (self.owner_organisation_id is None):
            raise ValidationError(_("Attribute the records to one Party or one organisation."))

    @property
    def owner(self) -> Any:
        return self.owner_country or self.owner_organisation

    def original_url(self, identifier: str, given: str) -> str:
        if self.record_url:
            return self.record_url.replace("{identifier}", identifier)
        return given or self.url


class HarvestedRecord(models.Model):
    """One record of ours made from one document of a source, found again by the source's
    identifier (the CHM's GUID) on every run."""

    source = models.ForeignKey(Source, models.PROTECT, related_name="records")
    source_identifier = models.CharField(_("identifier at the source"), max_length=128)
    # Our record (any registered type): its identifier, unique across types.
    identifier = models.CharField(_("record"), max_length=40, unique=True)
    original_url = models.URLField(_("original"), max_length=1000)
    # The source's revision or update date of the document last applied (or a digest of it).
    version = models.CharField(_("version at the source"), max_length=100)
    withdrawn = models.BooleanField(_("withdrawn by the source"), default=False)
    first_harvested_at = models.DateTimeField(_("first harvested"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last listed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_identifier"], name="harvest_one_record_per_document"
            )
        ]
        verbose_name = _("harvested record")
        verbose_name_plural = _("harvested records")

    def __str__(self) -> str:
        return f"{self.source_identifier} -> {self.identifier}"


class Run(models.Model):
    """One harvest of one source, with its counts; a failed run says why."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(Source, models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    fetched = models.PositiveIntegerField(_("fetched"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    # Why the run failed: a code of harvest.messages and its parameters, shown translated.
    failure = models.CharField(_("failure"), max_length=40, blank=True)
    failure_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def failure_text(self) -> str:
        return messages.text(self.failure, self.failure_params) if self.failure else ""


class Problem(models.Model):
    """A document a run refused or changed (markup taken out), and why."""

    run = models.ForeignKey(Run, models.CASCADE, related_name="problems")
    source_identifier = models.CharField(_("identifier at the source"), max_length=128, blank=True)
    code = models.CharField(_("code"), max_length=40)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("harvest problem")
        verbose_name_plural = _("harvest problems")

    def __str__(self) -> str:
        return f"{self.source_identifier} {self.code}"

    @property
    def text(self) -> str:
        return messages.text(self.code, self.params)
