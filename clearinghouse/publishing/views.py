"""Pages every record type shares: the record page, its history and differences, the workflow
buttons, reports, draft sharing, the printable view and PDF, and the reviewer's queue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import CONTENT_LANGUAGES, language_name
from clearinghouse.core.params import whole_number
from clearinghouse.core.redirects import back_to
from clearinghouse.publishing import (
    access,
    documents,
    linked_data,
    registry,
    services,
    snapshots,
    usage,
    workflow,
)
from clearinghouse.publishing import waiting as waiting_work
from clearinghouse.publishing.forms import (
    DraftCommentForm,
    ReportForm,
    ResolveReportForm,
    ReturnForm,
    ShareForm,
)
from clearinghouse.publishing.models import Record, RecordReport, ShareLink, Usage


def translation_page(
    request: HttpRequest,
    record: Record,
    language: str,
    *,
    form: forms.Form,
    save: services.SaveDraft = workflow.save_draft,
) -> HttpResponse:
    """The page that adds a record's texts in one more language, for every registry: ``form``
    has one field per multilingual text (bound to the request's data), ``save`` is how the
    registry saves a draft. The caller has checked that the person may edit the record."""
    if language not in CONTENT_LANGUAGES or language == record.original_language:
        raise Http404
    working, _many = workflow.working_copy(record)
    names = list(form.fields)
    form.initial = {name: (getattr(working, name) or {}).get(language, "") for name in names}
    if request.method == "POST" and form.is_valid():
        try:
            services.translate(
                record,
                actor=signed_in(request),
                language=language,
                texts=form.cleaned_data,
                base_revision=whole_number(request.POST, "base_revision") or None,
                save=save,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Translation saved as a draft revision."))
            return redirect(documents.page_url(record))
    originals = {name: (getattr(working, name) or {}).get(record.original_language, "") for name in names}
    context = {
        "record": record,
        "record_url": documents.page_url(record),
        "form": form,
        "language": language,
        "language_name": language_name(language),
        "originals": originals,
    }
    return render(request, "publishing/translate.html", context)


def _record(identifier: str) -> Record:
    record = registry.find(identifier)
    if record is None:
        raise Http404
    return record


def _visible(request: HttpRequest, identifier: str) -> Record:
    record = _record(identifier)
    if not access.can_see(request.user, record):
        # Drafts of others do not exist as far as an outsider can tell.
        raise Http404
    return record


def asked_language(request: HttpRequest) -> str | None:
    """The interface language ``?lang=`` asks for (``fr``, ``zh``), for addresses outside the
    language prefixes (feeds, JSON-LD); None when it names none of the six."""
    code = request.GET.get("lang", "").strip().lower()
    code = {"zh": "zh-hans"}.get(code, code)
    return code if code in dict(settings.LANGUAGES) else None


@require_safe
def resolve(request: HttpRequest, identifier: str) -> HttpResponse:
    """/r/<identifier>: the record's page, in the reader's language; its schema.org description
    as JSON-LD at /r/<identifier>.jsonld (or ?format=jsonld), for public records."""
    wants_data = identifier.endswith(".jsonld") or request.GET.get("format") == "jsonld"
    record = _visible(request, identifier.removesuffix(".jsonld"))
    if not wants_data:
        return HttpResponseRedirect(documents.page_url(record))
    if not record.live:
        raise Http404
    with translation.override(asked_language(request) or translation.get_language()):
        body = linked_data.as_json(linked_data.describe(record))
    response = HttpResponse(body, content_type=f"{linked_data.MEDIA_TYPE}; charset=utf-8")
    if record.last_published_at:
        response["Last-Modified"] = http_date(record.last_published_at.timestamp())
    return response


def _template(record: Record, suffix: str) -> Any:
    meta = record._meta
    return select_template(
        [f"{meta.app_label}/{meta.model_name}_{suffix}.html", f"publishing/record_{suffix}.html"]
    )


@require_safe
def feed(request: HttpRequest, name: str) -> HttpResponse:
    """/feeds/<name>/: the feed a record type declares (publishing.registry.Syndicated)."""
    syndicated = registry.feed(name)
    if syndicated is None:
        raise Http404
    with translation.override(asked_language(request) or translation.get_language()):
        response: HttpResponse = syndicated.view(request)
    return response


@require_safe
def record_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    record = _visible(request, identifier)
    usage.record_used(request, record, Usage.VIEW)
    return HttpResponse(_template(record, "detail").render(documents.page_context(request, record), request))


@require_safe
def record_print(request: HttpRequest, identifier: str) -> HttpResponse:
    record = _visible(request, identifier)
    return render(request, "publishing/record_print.html", documents.page_context(request, record))


@require_safe
def record_pdf(request: HttpRequest, identifier: str) -> HttpResponse:
    record = _visible(request, identifier)
    try:
        pdf = documents.pdf(request, record)
    except documents.PdfUnavailableError:
        return render(request, "publishing/pdf_unavailable.html", {"record": record}, status=503)
    usage.record_used(request, record, Usage.DOWNLOAD)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{record.identifier}.pdf"'
    return response


@login_required
@require_safe
def history(request: HttpRequest, identifier: str) -> HttpResponse:
    record = _record(identifier)
    if not access.can_read_working_copy(request.user, record):
        raise PermissionDenied
    revisions = workflow.revisions(record)
    numbers = [revision.number for revision in revisions]
    changes = None
    older = newer = None
    try:
        newer_number = int(request.GET.get("to", numbers[0] if numbers else 0))
        older_number = int(request.GET.get("from", numbers[1] if len(numbers) > 1 else newer_number))
    except ValueError:
        newer_number = older_number = 0
    by_number = {revision.number: revision for revision in revisions}
    if older_number in by_number and newer_number in by_number:
        older, newer = by_number[older_number], by_number[newer_number]
        changes = snapshots.diff(type(record), older.content, newer.content)
    context = {
        "record": record,
        "revisions": revisions,
        "older": older,
        "newer": newer,
        "changes": changes,
        "comments": services.comments(record),
        "share_links": ShareLink.objects.filter(identifier=record.identifier),
        "share_form": ShareForm(),
        "can_edit": request.user.has_perm("records.draft", record),
    }
    return render(request, "publishing/history.html", context)


@login_required
@require_POST
def act(request: HttpRequest, identifier: str, action: str) -> HttpResponse:
    """The workflow buttons: submit, publish, return, archive, publish again, restore."""
    record = _record(identifier)
    actor = signed_in(request)
    try:
        if action == "submit":
            workflow.submit(record, actor=actor)
            messages.success(request, _("Submitted for review. The reviewers have been told."))
        elif action == "publish":
            workflow.publish(record, actor=actor)
            messages.success(request, _("Published."))
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Tell the authors what to change."))
            workflow.return_for_changes(record, actor=actor, comment=form.cleaned_data["comment"])
            messages.success(request, _("Returned to the authors with your comments."))
        elif action == "archive":
            workflow.archive(record, actor=actor)
            messages.success(request, _("Archived: the record is no longer public."))
        elif action == "republish":
            workflow.republish(record, actor=actor)
            messages.success(request, _("Published again."))
        elif action == "restore":
            number = whole_number(request.POST, "revision") or 0
            workflow.restore(record, actor=actor, number=number)
            messages.success(request, _("Restored as a new draft."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back_to(request, documents.page_url(record)))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, identifier: str) -> HttpResponse:
    record = _visible(request, identifier)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(actor=signed_in(request), record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. The record's reviewers will look into it."))
            return redirect(documents.page_url(record))
    return render(request, "publishing/report.html", {"record": record, "form": form})


@login_required
@require_POST
def share(request: HttpRequest, identifier: str) -> HttpResponse:
    record = _record(identifier)
    actor = signed_in(request)
    revoke = whole_number(request.POST, "revoke")
    if revoke:
        link = get_object_or_404(ShareLink, pk=revoke, identifier=record.identifier)
        services.revoke(actor=actor, link=link, record=record)
        messages.success(request, _("The link no longer works."))
    else:
        form = ShareForm(request.POST)
        if form.is_valid():
            services.share(actor=actor, record=record, days=form.cleaned_data["days"])
            messages.success(request, _("Share link created. Anyone with it can read the draft and comment."))
        else:
            messages.error(request, _("Give a number of days from 1 to 90."))
    return redirect("publishing:history", identifier=record.identifier)


@require_http_methods(["GET", "HEAD", "POST"])
def shared_draft(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.open_link(token)
    except ValidationError as error:
        return render(
            request, "publishing/shared_closed.html", {"message": " ".join(error.messages)}, status=410
        )
    record = _record(link.identifier)
    form = DraftCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_on_draft(token=token, record=record, **form.cleaned_data)
        messages.success(request, _("Thank you for your comment."))
        return redirect("publishing:shared", token=token)
    context = documents.page_context(request, record, working=True) | {"form": form, "link": link}
    return render(request, "publishing/shared_draft.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted records this reviewer may publish, oldest first, with bulk actions."""
    actor = signed_in(request)
    waiting = waiting_work.awaiting_review(actor)
    if request.method == "POST":
        chosen = set(request.POST.getlist("records"))
        action = request.POST.get("action")
        comment = request.POST.get("comment", "")
        done, problems = 0, []
        for record in waiting:
            if record.identifier not in chosen:
                continue
            try:
                if action == "publish":
                    workflow.publish(record, actor=actor)
                elif action == "return":
                    workflow.return_for_changes(record, actor=actor, comment=comment)
                else:
                    raise ValidationError(_("Choose what to do with the chosen records."))
                done += 1
            except (ValidationError, PermissionDenied) as error:
                problems.append(f"{record.identifier}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            messages.success(
                request, ngettext("%(count)d record done.", "%(count)d records done.", done) % {"count": done}
            )
        for problem in problems:
            messages.error(request, problem)
        return redirect("publishing:queue")
    counts: dict[str, int] = {}
    for record in waiting:
        label = str(record._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + 1
    reports = [
        entry
        for entry in RecordReport.objects.filter(resolved_at__isnull=True)
        if services.can_triage(actor, registry.find(entry.identifier))
    ]
    return render(
        request,
        "publishing/queue.html",
        {"waiting": waiting, "counts": counts, "reports": reports, "return_form": ReturnForm()},
    )


@login_required
@require_POST
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(RecordReport, pk=pk)
    form = ResolveReportForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_report(
                actor=signed_in(request),
                entry=entry,
                record=registry.find(entry.identifier),
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is closed."))
    else:
        messages.error(request, _("Say what was done."))
    return redirect(reverse("publishing:queue") + "#reports")
