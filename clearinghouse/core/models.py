"""The job ledger: every background job from the moment it is queued until it ends, and the
heartbeats of the workers that run them (see ``jobs.py`` and docs/operations.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One job the queue holds or a worker runs, or one that failed and waits for a person.

    A job that completes leaves the ledger at once: the table holds only what is still to be done
    or looked at. ``message`` is the job as huey serializes it, enough to queue it again."""

    task_id = models.CharField(_("job identifier"), max_length=64, unique=True)
    name = models.CharField(_("task"), max_length=255)
    message = models.BinaryField(editable=False)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices)
    idempotent = models.BooleanField(
        _("safe to run again"),
        default=True,
        help_text=_(
            "When its worker dies, a job that is not (one that sends an e-mail) is marked failed "
            "instead of being run again."
        ),
    )
    enqueued_at = models.DateTimeField(_("queued"))
    # When it may run: its queueing, or the later time it was scheduled for (a retry's delay).
    due_at = models.DateTimeField(_("due"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    worker_host = models.CharField(_("worker's host"), max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(_("worker's process"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="core_job_status_due")]

    def __str__(self) -> str:
        return f"{self.name} {self.task_id}"


class WorkerHeartbeat(models.Model):
    """A running worker process, seen again every JOB_HEARTBEAT_SECONDS. A worker that stops
    cleanly removes its row; one that was killed leaves it to go stale."""

    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["host", "pid"]
        constraints = [models.UniqueConstraint(fields=["host", "pid"], name="core_worker_heartbeat_unique")]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
