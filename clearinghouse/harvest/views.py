"""The Secretariat's pages: sources, their runs and what each run refused, "Harvest now"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts import roles
from clearinghouse.harvest import tasks
from clearinghouse.harvest.forms import SourceForm
from clearinghouse.harvest.mappings import MAPPINGS
from clearinghouse.harvest.models import Run, Source


def _secretariat(request: HttpRequest) -> None:
    if not roles.is_secretariat(request.user):
        raise PermissionDenied(_("Only the Secretariat manages harvest sources."))


@login_required
@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    _secretariat(request)
    listed = Source.objects.select_related("owner_country", "owner_organisation").annotate(
        kept=Count("records", filter=Q(records__withdrawn=False))
    )
    last: dict[int, Run] = {}
    for found in Run.objects.filter(source__in=listed).order_by("source_id", "-started_at"):
        last.setdefault(found.source_id, found)
    rows = [(source, last.get(source.pk), MAPPINGS[source.mapping].label) for source in listed]
    return render(request, "harvest/sources.html", {"rows": rows})


@login_required
@require_safe
def source(request: HttpRequest, pk: int) -> HttpResponse:
    _secretariat(request)
    found = get_object_or_404(Source.objects.select_related("owner_country", "owner_organisation"), pk=pk)
    runs = list(found.runs.all()[:50])
    context = {"source": found, "runs": runs, "mapping": MAPPINGS[found.mapping].label}
    return render(request, "harvest/source.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_source(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _secretariat(request)
    found = get_object_or_404(Source, pk=pk) if pk is not None else None
    form = SourceForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Source saved."))
        return redirect("harvest:source", pk=saved.pk)
    return render(request, "harvest/source_form.html", {"form": form, "source": found})


@login_required
@require_POST
def harvest_now(request: HttpRequest, pk: int) -> HttpResponse:
    _secretariat(request)
    found = get_object_or_404(Source, pk=pk)
    tasks.harvest_source(found.pk)
    messages.success(request, _("The harvest has started; its run appears below when it ends."))
    return redirect("harvest:source", pk=found.pk)


@login_required
@require_safe
def run(request: HttpRequest, pk: int) -> HttpResponse:
    _secretariat(request)
    found = get_object_or_404(Run.objects.select_related("source"), pk=pk)
    return render(request, "harvest/run.html", {"run": found, "problems": found.problems.all()})
