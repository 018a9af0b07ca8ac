"""The translation pages: asking from a record's page, the translators' queue, a request's page
(drafting beside the source, review), "My translation requests", the coverage report and the
Secretariat's list of translators. The rules are in ``services``; these parse and render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clearinghouse.accounts import roles
from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import Appointment, Role
from clearinghouse.core.forms import add_service_errors
from clearinghouse.core.languages import LANGUAGE_CHOICES, language_name
from clearinghouse.publishing import registry
from clearinghouse.translation import coverage as coverage_report
from clearinghouse.translation import items, permissions, services
from clearinghouse.translation.forms import (
    AskForm,
    CommentForm,
    DraftForm,
    FileForm,
    LanguagesForm,
    QueueFilter,
    ReasonForm,
)
from clearinghouse.translation.models import (
    OPEN_STATES,
    Kind,
    RequestState,
    TranslationRequest,
    TranslatorProfile,
)


def _record_url(identifier: str) -> str:
    return reverse("resolve", args=[identifier])


@login_required
def ask(request: HttpRequest, identifier: str) -> HttpResponse:
    """Ask for a public record in one more language (the form also sits on the record's page)."""
    try:
        record = items.public_record(identifier)
    except ValidationError as error:
        return render(request, "translation/ask.html", {"problem": error.messages[0]}, status=404)
    present = set(items.languages_present(record))
    missing = [(code, name) for code, name in LANGUAGE_CHOICES if code not in present]
    has_files = record.RECORD_TYPE == "RES"
    form = AskForm(
        request.POST or None, has_files=has_files, initial={"kind": request.GET.get("kind") or Kind.TEXTS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            asked, created = services.ask(
                actor=signed_in(request), identifier=record.identifier, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("Your request is in the translators' queue. You will be told when it is published."),
                )
            else:
                messages.success(
                    request,
                    _("Someone had already asked for this translation; you were added to its requesters."),
                )
            return redirect("translation:detail", asked.pk)
    return render(
        request,
        "translation/ask.html",
        {
            "record": record,
            "title": items.title(record),
            "form": form,
            "missing": missing,
            "url": _record_url(record.identifier),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    if not permissions.sees_queue(person):
        raise PermissionDenied(_("The translation queue is for translators and the Secretariat."))
    form = QueueFilter(request.GET or None)
    rows = TranslationRequest.objects.select_related("translator").annotate(asked_by=Count("requesters"))
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = rows.filter(state=chosen["state"]) if chosen.get("state") else rows.filter(state__in=OPEN_STATES)
    if chosen.get("language"):
        rows = rows.filter(language=chosen["language"])
    elif not roles.is_secretariat(person):
        # A translator sees the languages they work into unless they choose another.
        rows = rows.filter(language__in=permissions.translator_languages(person))
    if chosen.get("record_type"):
        rows = rows.filter(record_type=chosen["record_type"])
    page = Paginator(rows.order_by("created_at", "pk"), 50).get_page(request.GET.get("page"))
    records = items.titles([row.identifier for row in page])
    return render(
        request,
        "translation/queue.html",
        {"form": form, "page": page, "rows": [(row, records.get(row.identifier)) for row in page]},
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The requests this person asked for, and where each stands."""
    rows = list(
        TranslationRequest.objects.filter(requesters__person=signed_in(request)).order_by(
            "-created_at", "-pk"
        )[:200]
    )
    records = items.titles([row.identifier for row in rows])
    return render(
        request, "translation/mine.html", {"rows": [(row, records.get(row.identifier)) for row in rows]}
    )


def _request(pk: int) -> TranslationRequest:
    return get_object_or_404(
        TranslationRequest.objects.select_related("translator", "submitted_by", "reviewed_by"), pk=pk
    )


def _may_see(person: Any, translation: TranslationRequest) -> bool:
    return permissions.sees_queue(person) or translation.requesters.filter(person=person).exists()


def _detail(request: HttpRequest, translation: TranslationRequest, **forms: Any) -> HttpResponse:
    person = signed_in(request)
    if not _may_see(person, translation):
        raise PermissionDenied(
            _("Only its requesters, translators and the Secretariat see a translation request.")
        )
    record = registry.find(translation.identifier)
    fields = items.translatable_fields(record) if record is not None else []
    source = translation.source_language or (record.original_language if record else "")
    drafting = (
        translation.is_open
        and translation.translator_id == person.pk
        and translation.state != RequestState.SUBMITTED
    )
    context = {
        "translation": translation,
        "record": record,
        "url": _record_url(translation.identifier),
        "rows": [
            (field, field.texts.get(source, ""), translation.texts.get(field.name, "")) for field in fields
        ],
        "source_name": language_name(source) if source else "",
        # Requesters' names and notes are for those who work on the request; a requester sees
        # only how many asked.
        "sees_names": permissions.sees_queue(person),
        "requesters": translation.requesters.select_related("person"),
        "may_claim": translation.is_open
        and translation.translator_id is None
        and permissions.can_translate(person, translation),
        "drafting": drafting,
        "may_review": translation.state == RequestState.SUBMITTED
        and permissions.can_review(person, translation),
        "may_decline": translation.is_open and permissions.can_decline(person, translation),
        "may_withdraw": translation.is_open
        and (roles.is_secretariat(person) or translation.requesters.filter(person=person).exists()),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "decline_form": forms.get("decline_form") or ReasonForm(),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
        "errors": forms.get("errors", []),
    }
    return render(request, "translation/detail.html", context, status=400 if forms else 200)


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _request(pk))


def _step(
    request: HttpRequest, pk: int, step: Callable[..., TranslationRequest], done: str, **values: Any
) -> HttpResponse:
    translation = _request(pk)
    try:
        step(actor=signed_in(request), request=translation, **values)
    except ValidationError as error:
        return _detail(request, translation, errors=error.messages)
    messages.success(request, done)
    return redirect("translation:detail", translation.pk)


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    response = _step(request, pk, services.claim, _("You claimed this request: draft the translation."))
    return redirect("translation:draft", pk) if response.status_code == 302 else response


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.release, _("You released this request; it is back in the queue."))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.submit, _("Your translation was submitted for review."))


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.approve, _("The translation is published, marked as unofficial."))


def _with_form(
    request: HttpRequest,
    pk: int,
    form_class: type[CommentForm] | type[ReasonForm],
    form_name: str,
    step: Callable[..., TranslationRequest],
    done: str,
) -> HttpResponse:
    translation = _request(pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            step(actor=signed_in(request), request=translation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("translation:detail", translation.pk)
    return _detail(request, translation, **{form_name: form})


@login_required
@require_POST
def return_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        CommentForm,
        "comment_form",
        services.return_draft,
        _("The translation was returned to its translator."),
    )


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request, pk, ReasonForm, "decline_form", services.decline, _("The request was declined.")
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request, pk, ReasonForm, "withdraw_form", services.withdraw, _("Your request was withdrawn.")
    )


@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The translator's texts, field by field beside the source in the language they chose."""
    translation = _request(pk)
    person = signed_in(request)
    if translation.translator_id != person.pk or not translation.is_open:
        raise PermissionDenied(_("Only the translator who claimed this request drafts it."))
    record = items.public_record(translation.identifier)
    if translation.kind == Kind.FILE:
        return _draft_file(request, translation, record)
    sources = services.source_languages(record, translation.language)
    wanted = request.POST.get("source_language") or request.GET.get("from") or translation.source_language
    source = wanted if wanted in sources else (sources[0] if sources else "")
    fields = items.translatable_fields(record)
    form = DraftForm(request.POST or None, fields=fields, initial=translation.texts)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(
                actor=person, request=translation, source_language=source, texts=form.cleaned_data
            )
            if "submit" in request.POST:
                services.submit(actor=person, request=translation)
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your translation was submitted for review."))
                return redirect("translation:detail", translation.pk)
            messages.success(request, _("Your draft was saved."))
            return redirect(f"{reverse('translation:draft', args=[translation.pk])}?from={source}")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "translation/draft.html",
        {
            "translation": translation,
            "record": record,
            "form": form,
            "rows": [(field, field.texts.get(source, ""), form[field.name]) for field in fields],
            "sources": [(code, language_name(code)) for code in sources],
            "source": source,
            "source_name": language_name(source) if source else "",
            "target_name": language_name(translation.language),
            "url": _record_url(translation.identifier),
        },
        status=status,
    )


def _draft_file(request: HttpRequest, translation: TranslationRequest, record: Any) -> HttpResponse:
    """The translator uploads the translated file, with the resource's published files beside."""
    person = signed_in(request)
    form = FileForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        upload = form.cleaned_data.get("file")
        try:
            if upload is None and "submit" not in request.POST:
                raise ValidationError({"file": _("Choose the translated file.")}, code="no_file")
            if upload is not None:
                services.save_file(actor=person, request=translation, upload=upload)
            if "submit" in request.POST:
                services.submit(actor=person, request=translation)
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your translation was submitted for review."))
                return redirect("translation:detail", translation.pk)
            messages.success(request, _("Your draft was saved."))
            return redirect("translation:draft", translation.pk)
    return render(
        request,
        "translation/draft_file.html",
        {
            "translation": translation,
            "record": record,
            "form": form,
            "sources": services.source_files(record, translation.language),
            "url": _record_url(translation.identifier),
        },
        status=status,
    )


@login_required
@require_safe
def draft_file(request: HttpRequest, pk: int) -> FileResponse:
    """The translated file, for its translator, reviewers and the Secretariat before publication."""
    translation = _request(pk)
    person = signed_in(request)
    if not (translation.translator_id == person.pk or permissions.can_decline(person, translation)):
        raise PermissionDenied(_("Only translators into this language and the Secretariat see a draft file."))
    if not translation.file:
        raise Http404
    response = FileResponse(
        translation.file.open("rb"),
        as_attachment=True,
        filename=f"{translation.identifier}-{translation.language}.{translation.extension}",
        content_type=translation.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def coverage(request: HttpRequest) -> HttpResponse:
    """Public: how much of the published content is in each language, and what is asked for."""
    cells = coverage_report.coverage()
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="translation-coverage.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Record type"),
                _("Language"),
                _("Published"),
                _("With texts"),
                _("Without texts"),
                _("Requests waiting"),
                _("In progress"),
            ]
        )
        for cell in cells:
            writer.writerow(
                [
                    cell.record_type,
                    cell.language,
                    cell.published,
                    cell.with_texts,
                    cell.without_texts,
                    cell.waiting,
                    cell.in_progress,
                ]
            )
        return response
    rows: dict[str, list[coverage_report.Cell]] = {}
    for cell in cells:
        rows.setdefault(cell.record_type, []).append(cell)
    return render(
        request, "translation/coverage.html", {"rows": list(rows.values()), "languages": LANGUAGE_CHOICES}
    )


@login_required
def translators(request: HttpRequest) -> HttpResponse:
    """The Secretariat sets the languages each appointed translator works into."""
    person = signed_in(request)
    if not permissions.can_manage_translators(person):
        raise PermissionDenied(_("Only the Secretariat manages translators."))
    appointments = (
        Appointment.objects.filter(role=Role.TRANSLATOR, ended_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    profiles = {
        profile.user_id: profile
        for profile in TranslatorProfile.objects.filter(user__in=[a.user_id for a in appointments])
    }
    failed: tuple[int, LanguagesForm] | None = None
    if request.method == "POST":
        chosen = next((a for a in appointments if str(a.user_id) == request.POST.get("user")), None)
        if chosen is None:
            raise PermissionDenied(_("This person is not an appointed translator."))
        form = LanguagesForm(request.POST, auto_id=f"id_{chosen.user_id}_%s")
        if form.is_valid():
            try:
                services.set_languages(
                    actor=person, translator=chosen.user, languages=form.cleaned_data["languages"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The translator's languages were saved."))
                return redirect("translation:translators")
        failed = (chosen.user_id, form)
    rows = []
    for appointment in appointments:
        profile = profiles.get(appointment.user_id)
        if failed is not None and failed[0] == appointment.user_id:
            form = failed[1]
        else:
            form = LanguagesForm(
                initial={"languages": profile.languages if profile else []},
                auto_id=f"id_{appointment.user_id}_%s",
            )
        rows.append((appointment, form))
    return render(request, "translation/translators.html", {"rows": rows}, status=400 if failed else 200)
