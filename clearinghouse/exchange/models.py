"""An import job: one uploaded file, read and saved by the worker for one owner."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation


def upload_storage() -> Storage:
    """Where uploads wait for the worker: a private directory, never served (STORAGES["imports"])."""
    return storages["imports"]


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    CONFIRMATION = "confirmation", _("Needs your confirmation")
    DONE = "done", _("Done")
    FAILED = "failed", _("Nothing was imported")


class ImportJob(models.Model):
    """Who uploaded what for whom, how far the worker got, and what came of it.

    ``problems`` holds {sheet, row, column, message} items and ``duplicates`` {row, title,
    existing} items, written in the uploader's language; ``created`` holds {identifier, title}
    of the drafts made. The upload is deleted once the job is done or failed, and by the hourly
    clean-up after IMPORT_RETENTION_HOURS (see tasks.py)."""

    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    owner_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    upload = models.FileField(storage=upload_storage, upload_to="%Y/%m/", blank=True)
    language = models.CharField(max_length=10)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    duplicates = models.JSONField(default=list, blank=True)
    created = models.JSONField(default=list, blank=True)
    unchanged = models.PositiveIntegerField(default=0)
    confirms = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="confirmation"
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at"]
        constraints = [
            models.CheckConstraint(
                name="import_job_one_owner",
                condition=models.Q(owner_country__isnull=False, owner_organisation__isnull=True)
                | models.Q(owner_country__isnull=True, owner_organisation__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.state})"

    @property
    def owner(self) -> Country | Organisation:
        # The check constraint holds exactly one of them.
        return (
            self.owner_country
            if self.owner_country is not None
            else cast(Organisation, self.owner_organisation)
        )

    @property
    def finished(self) -> bool:
        return self.state in {JobState.CONFIRMATION, JobState.DONE, JobState.FAILED}

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0
