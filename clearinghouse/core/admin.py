"""The job ledger in the admin: what waits, runs and failed, and "Run again" for failed jobs
(staff with the ledger's change permission: the Secretariat)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from huey.contrib.djhuey import HUEY

from clearinghouse.core import jobs
from clearinghouse.core.models import Job, JobStatus, WorkerHeartbeat


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ["name", "status", "due_at", "started_at", "worker_host", "worker_pid", "attempts"]
    list_filter = ["status", "idempotent", "name"]
    search_fields = ["name", "task_id", "outcome"]
    date_hierarchy = "due_at"
    # The job's message (its arguments: an e-mail's text, for one) is never shown.
    _SHOWN = (
        "task_id",
        "name",
        "status",
        "idempotent",
        "enqueued_at",
        "due_at",
        "started_at",
        "worker_host",
        "worker_pid",
        "attempts",
        "outcome",
        "updated_at",
    )
    fields = _SHOWN
    readonly_fields = _SHOWN
    actions = ["run_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Run again"), permissions=["change"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        queued = 0
        for job in queryset.filter(status=JobStatus.FAILED):
            queued += jobs.run_again(job, HUEY)
        left = queryset.count() - queued
        if queued:
            self.message_user(
                request,
                ngettext("%(count)d job was queued again.", "%(count)d jobs were queued again.", queued)
                % {"count": queued},
                messages.SUCCESS,
            )
        if left:
            self.message_user(
                request,
                ngettext(
                    "%(count)d job was left as it was: only failed jobs are run again.",
                    "%(count)d jobs were left as they were: only failed jobs are run again.",
                    left,
                )
                % {"count": left},
                messages.WARNING,
            )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    """Shown, never edited: each worker writes its own."""

    list_display = ["host", "pid", "started_at", "last_seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
