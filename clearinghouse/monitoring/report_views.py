"""The progress reports' pages: the Secretariat creates a report for a period, refreshes its
data while a draft, writes the narrative per section and language, builds the files (a job),
previews and publishes; everyone reads the published reports and downloads their files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.permissions import is_secretariat
from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES, content_language
from clearinghouse.monitoring import report_documents, report_tasks, reports
from clearinghouse.monitoring.models import Report, ReportFile
from clearinghouse.monitoring.report_forms import NarrativeForm, NewReportForm

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def _allowed(request: HttpRequest) -> None:
    if not is_secretariat(request.user):
        raise PermissionDenied


def _report(pk: int) -> Report:
    return get_object_or_404(Report.objects.select_related("computation"), pk=pk)


def _language(language: str) -> str:
    if language not in CONTENT_LANGUAGES:
        raise Http404
    return language


def _files(report: Report) -> list[dict[str, Any]]:
    """Per language, its built files: a format missing is not built yet, but for a PDF missing
    beside its DOCX, which this server could not draw."""
    built = {(item.language, item.format): item for item in report.files.all()}
    rows = []
    for code, name in LANGUAGE_CHOICES:
        pdf, docx = built.get((code, ReportFile.Format.PDF)), built.get((code, ReportFile.Format.DOCX))
        rows.append(
            {
                "language": code,
                "name": name,
                "pdf": pdf,
                "docx": docx,
                "pdf_unavailable": bool(docx and not pdf),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = NewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = reports.create(
                form.cleaned_data["first_year"], form.cleaned_data["last_year"], by=signed_in(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft report has been created."))
            return redirect("monitoring_reports:detail", report.pk)
    listed = Report.objects.select_related("computation")
    return render(request, "monitoring/report/index.html", {"form": form, "reports": listed})


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    report = _report(pk)
    written = {
        section.section: sorted(k for k, v in section.texts.items() if v) for section in report.sections.all()
    }
    context = {
        "report": report,
        "title": reports.default_title(report),
        "files": _files(report),
        "languages": LANGUAGE_CHOICES,
        "sections": [(str(label), written.get(code, [])) for code, label in reports.SECTIONS.items()],
    }
    return render(request, "monitoring/report/detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def narrative(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    _allowed(request)
    report = _report(pk)
    language = _language(language)
    texts = {section.section: section.texts.get(language, "") for section in report.sections.all()}
    form = NarrativeForm(request.POST or None, language=language, initial_texts=texts)
    if request.method == "POST" and form.is_valid():
        try:
            changed = reports.write_narrative(report, language, form.cleaned_data, by=signed_in(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed.pk != report.pk:
                messages.info(request, _("The report was published: your text went into a new draft of it."))
            else:
                messages.success(request, _("The narrative has been saved."))
            return redirect("monitoring_reports:detail", changed.pk)
    context = {
        "report": report,
        "form": form,
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
    }
    return render(request, "monitoring/report/narrative.html", context)


@login_required
@require_safe
def preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    _allowed(request)
    report = _report(pk)
    return HttpResponse(report_documents.html(report, _language(language), request=request))


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    _allowed(request)
    report = _report(pk)
    try:
        result = action(report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("monitoring_reports:detail", report.pk)
    messages.success(request, done)
    return redirect("monitoring_reports:detail", result.pk)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, reports.refresh, _("The report now shows the latest computation of its period."))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    by = signed_in(request)
    return _act(
        request, pk, lambda report: reports.publish(report, by=by), _("The report has been published.")
    )


@login_required
@require_POST
def new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    by = signed_in(request)
    return _act(request, pk, lambda report: reports.new_draft(report, by=by), _("A new draft has been made."))


@login_required
@require_POST
def build(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    report = _report(pk)
    chosen = [code for code in request.POST.getlist("languages") if code in CONTENT_LANGUAGES]
    report_tasks.build_files(report.pk, chosen or list(CONTENT_LANGUAGES))
    messages.success(request, _("The files are being built; they appear below when they are ready."))
    return redirect("monitoring_reports:detail", report.pk)


def _serve(report: Report, language: str, format: str) -> FileResponse:
    stored = report.files.filter(language=_language(language), format=format).first()
    if stored is None:
        raise Http404
    path = report_documents.stored_path(stored)
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=report_documents.file_name(report, language, format),
        content_type=report_documents.CONTENT_TYPES[ReportFile.Format(format)],
    )


@login_required
@require_safe
def download(request: HttpRequest, pk: int, language: str, format: str) -> FileResponse:
    _allowed(request)
    return _serve(_report(pk), language, format)


# Public ------------------------------------------------------------------------------------


def _published(pk: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("computation"), pk=pk, state=Report.State.PUBLISHED
    )


@require_safe
def published_list(request: HttpRequest) -> HttpResponse:
    listed = Report.objects.filter(state=Report.State.PUBLISHED).prefetch_related("files")
    rows = [
        {"report": report, "title": reports.default_title(report), "files": _files(report)}
        for report in listed
    ]
    return render(request, "monitoring/report/published_list.html", {"rows": rows})


@require_safe
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _published(pk)
    data = reports.report_data(report, content_language())
    files = _files(report)
    context = {
        "report": report,
        "data": data,
        "files": files,
        "pdf_missing": any(row["pdf_unavailable"] for row in files),
    }
    return render(request, "monitoring/report/published_detail.html", context)


@require_safe
def published_download(request: HttpRequest, pk: int, language: str, format: str) -> FileResponse:
    return _serve(_published(pk), language, format)
