"""A person's imports, and an import job's page: progress while the worker runs it (refreshed
by htmx, or by the page itself without JavaScript), then the problems, the likely duplicates to
confirm, or the drafts made. Only the uploader and the Secretariat see a job; anyone else gets "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.exchange import registry, services
from clearinghouse.exchange.models import ImportJob

# How often the page asks again while the job runs, in seconds.
POLL_SECONDS = 2
# The list shows the latest jobs; older ones are deleted by the clean-up anyway.
LISTED = 50


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The person's imports, newest first (the Secretariat's: everyone's), each with its state
    and a link to its page, so that a job is found again after leaving its page."""
    jobs = list(services.visible_to(request.user).select_related("uploader")[:LISTED])
    for item in jobs:
        item.label = registry.kind(item.kind).label()  # type: ignore[attr-defined]
    return render(request, "exchange/mine.html", {"jobs": jobs})


@login_required
@require_safe
def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(services.visible_to(request.user), pk=pk)
    kind = registry.kind(found.kind)
    context = {
        "job": found,
        "label": kind.label(),
        "back_url": reverse(kind.back[0], args=kind.back[1]),
        "back_label": kind.back_label(),
        "poll_seconds": POLL_SECONDS,
        "follow_up": ImportJob.objects.filter(confirms=found).only("pk").first(),
    }
    if getattr(request, "htmx", False):
        return render(request, "exchange/includes/job_status.html", context)
    return render(request, "exchange/job.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(services.visible_to(request.user), pk=pk)
    try:
        second = services.confirm(found, signed_in(request))
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect("exchange:job", pk=found.pk)
    return redirect("exchange:job", pk=second.pk)
