"""The offline pages: download the template or the XLSForm, upload a filled-in template or a
file of submissions (checked, then imported by the worker: the person follows the job's page),
export one's needs. Plain forms and links: everything works without JavaScript."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import content_language
from clearinghouse.exchange.checks import RefusedFileError
from clearinghouse.exchange.services import start_import
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.needs.offline.export import CONTENT_TYPES, export_needs
from clearinghouse.needs.offline.forms import ExportForm, SubmissionsForm, TemplateForm, UploadForm
from clearinghouse.needs.offline.importer import owned
from clearinghouse.needs.offline.jobs import SUBMISSIONS, WORKBOOK
from clearinghouse.needs.offline.reader import upload_limits
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.needs.offline.xlsform import build_xlsform

XLSX = CONTENT_TYPES["xlsx"]


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {
        "template_form": TemplateForm(initial={"language": content_language()}),
        "max_megabytes": f"{upload_limits()[0] / 1024 / 1024:g}",
        "max_rows": upload_limits()[1],
        "version": CURRENT_VERSION,
    }
    if request.user.is_authenticated:
        user = signed_in(request)
        context |= {
            "upload_form": UploadForm(user=user),
            "submissions_form": SubmissionsForm(user=user),
            "export_form": ExportForm(user=user),
        }
    return render(request, "needs/offline/index.html", context)


@require_safe
def template_download(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.GET or {"language": content_language()})
    language = form.cleaned_data["language"] if form.is_valid() else content_language()
    return _attachment(build_workbook(language), XLSX, f"needs-template-{CURRENT_VERSION}-{language}.xlsx")


@require_safe
def xlsform_download(request: HttpRequest) -> HttpResponse:
    return _attachment(build_xlsform(), XLSX, f"needs-xlsform-{CURRENT_VERSION}.xlsx")


def _import(
    request: HttpRequest, form_class: type[UploadForm] | type[SubmissionsForm], kind: str
) -> HttpResponse:
    user = signed_in(request)
    form = form_class(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import(user, form.chosen_owner(), kind, form.cleaned_data["file"], content_language())
        except RefusedFileError as refused:
            form.add_error("file", str(refused))
            status = 422
        else:
            return redirect("exchange:job", pk=job.pk)
    if not form.owners:
        raise PermissionDenied(_("You may not register needs for any Party or organisation."))
    if kind == WORKBOOK:
        title = _("Upload a filled-in template")
    else:
        title = _("Import ODK or KoboToolbox submissions")
    return render(
        request, "needs/offline/upload.html", {"form": form, "title": title, "kind": kind}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    return _import(request, UploadForm, WORKBOOK)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submissions_upload(request: HttpRequest) -> HttpResponse:
    return _import(request, SubmissionsForm, SUBMISSIONS)


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None, user=signed_in(request))
    if not form.is_valid():
        if not form.owners:
            raise PermissionDenied(_("You may not export needs for any Party or organisation."))
        status = 400 if request.GET else 200
        return render(request, "needs/offline/export.html", {"form": form}, status=status)
    owner = form.chosen_owner()
    fmt = form.cleaned_data["format"]
    language = content_language()
    content = export_needs(owned(Need, owner), fmt, language)
    return _attachment(content, CONTENT_TYPES[fmt], f"needs-{owner.code}-{language}.{fmt}")
