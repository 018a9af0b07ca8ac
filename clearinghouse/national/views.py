"""Pages of a Party's national targets and reports: public lists; adding, editing, retiring and
importing for the Party's focal point, its authorised users and the Secretariat."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.exchange.checks import RefusedFileError
from clearinghouse.geo.models import Country
from clearinghouse.national import importer, permissions, services
from clearinghouse.national.forms import ImportForm, ReportForm, TargetForm
from clearinghouse.national.models import NationalReport, NationalTarget, with_counts


def _party(code: str) -> Country:
    return get_object_or_404(Country, code=code.upper())


def _keeps(request: HttpRequest, party: Country) -> bool:
    return request.user.has_perm("national.keep_targets", party)


def _keeper(request: HttpRequest, party: Country) -> None:
    if not _keeps(request, party):
        raise PermissionDenied(
            _("Only the focal point and authorised users of %(party)s keep its national targets and reports.")
            % {"party": party.name()}
        )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The Parties that have entered national targets or reports."""
    parties = with_counts(Country.objects.all()).filter(Q(targets__gt=0) | Q(reports__gt=0))
    return render(request, "national/index.html", {"parties": parties})


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The Parties this person keeps the targets and reports of: straight to them when only one,
    to the list of every Party when none (the Secretariat keeps them all)."""
    ids = permissions.own_parties(signed_in(request))
    parties = list(with_counts(Country.objects.filter(pk__in=ids)))
    if not parties:
        return redirect("national:index")
    if len(parties) == 1:
        return redirect("national:targets", parties[0].code)
    return render(request, "national/index.html", {"parties": parties})


@require_safe
def targets(request: HttpRequest, code: str) -> HttpResponse:
    party = _party(code)
    keeps = _keeps(request, party)
    # Counted through the needs' relation to the targets: the page links to them.
    found = (
        party.national_targets.prefetch_related("gbf_targets")
        .annotate(published_needs=Count("needs", filter=Q(needs__live=True)))
        .order_by("code")
    )
    if not keeps:
        found = found.filter(retired_at__isnull=True)
    context = {"party": party, "targets": found, "keeps": keeps}
    return render(request, "national/targets.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def target_form(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    party = _party(code)
    _keeper(request, party)
    target = get_object_or_404(NationalTarget, pk=pk, party=party) if pk is not None else None
    initial: dict[str, Any] = {}
    if target is not None:
        language = target.original_language
        initial = {
            "code": target.code,
            "language": language,
            "title": target.title.get(language, ""),
            "description": target.description.get(language, ""),
            "gbf_targets": list(target.gbf_targets.all()),
            "adopted_year": target.adopted_year,
            "nbsap_name": target.nbsap_name,
            "nbsap_year": target.nbsap_year,
            "nbsap_url": target.nbsap_url,
        }
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_target(
                party,
                actor=signed_in(request),
                code=data["code"],
                language=data["language"],
                title=data["title"],
                description=data["description"],
                gbf_targets=list(data["gbf_targets"]),
                adopted_year=data["adopted_year"],
                nbsap={"name": data["nbsap_name"], "year": data["nbsap_year"], "url": data["nbsap_url"]},
                target=target,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("National target saved."))
            return redirect("national:targets", code=party.code)
    return render(request, "national/target_form.html", {"party": party, "target": target, "form": form})


@login_required
@require_POST
def retire_target(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    party = _party(code)
    _keeper(request, party)
    target = get_object_or_404(NationalTarget, pk=pk, party=party)
    services.retire_target(target, actor=signed_in(request))
    messages.success(request, _("National target %(code)s retired.") % {"code": target.code})
    return redirect("national:targets", code=party.code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_targets(request: HttpRequest, code: str) -> HttpResponse:
    party = _party(code)
    _keeper(request, party)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = importer.import_targets(upload, upload.size, party, actor=signed_in(request))
        except RefusedFileError as error:
            form.add_error("file", str(error))
        except importer.RefusedImportError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s national target added, %(updated)s updated.",
                    "%(count)s national targets added, %(updated)s updated.",
                    outcome.added,
                )
                % {"count": outcome.added, "updated": outcome.updated},
            )
            return redirect("national:targets", code=party.code)
    return render(request, "national/import.html", {"party": party, "form": form, "problems": problems})


@require_safe
def import_template(request: HttpRequest, code: str) -> HttpResponse:
    party = _party(code)
    response = HttpResponse(
        importer.template(get_language() or "en"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="national-targets-{party.code.lower()}.xlsx"'
    return response


@require_safe
def reports(request: HttpRequest, code: str) -> HttpResponse:
    party = _party(code)
    keeps = _keeps(request, party)
    found = party.national_reports.order_by("-year", "kind")
    if not keeps:
        found = found.filter(retired_at__isnull=True)
    return render(request, "national/reports.html", {"party": party, "reports": found, "keeps": keeps})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    party = _party(code)
    _keeper(request, party)
    report = get_object_or_404(NationalReport, pk=pk, party=party) if pk is not None else None
    initial: dict[str, Any] = {}
    if report is not None:
        initial = {
            name: getattr(report, name) for name in ("kind", "year", "title", "language", "url", "document")
        }
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_report(party, actor=signed_in(request), values=form.cleaned_data, report=report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("National report saved."))
            return redirect("national:reports", code=party.code)
    return render(request, "national/report_form.html", {"party": party, "report": report, "form": form})


@login_required
@require_POST
def retire_report(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    party = _party(code)
    _keeper(request, party)
    report = get_object_or_404(NationalReport, pk=pk, party=party)
    services.retire_report(report, actor=signed_in(request))
    messages.success(request, _("National report retired."))
    return redirect("national:reports", code=party.code)
