"""Pages of the support registry: lists with filters, record pages (with the publishing panel),
single-page forms that work without JavaScript, translations, language versions and downloads
of resources, the yearly confirmation, and "my records"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.core.params import whole_number
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import access, documents, origins, registry, snapshots, usage, workflow
from clearinghouse.publishing.forms import StartForm
from clearinghouse.publishing.models import State, Usage
from clearinghouse.publishing.owners import owner_choices, owners_for, registers_records
from clearinghouse.publishing.views import translation_page
from clearinghouse.support import permissions, services
from clearinghouse.support.filtersets import FILTERSETS
from clearinghouse.support.forms import (
    ExpertInvitationForm,
    RecordForm,
    TranslationForm,
    VersionForm,
)
from clearinghouse.support.models import (
    BY_SLUG,
    RECORD_MODELS,
    Expert,
    Offer,
    Opportunity,
    Resource,
    ResourceVersion,
    SupportRecord,
)

PAGE_SIZE = 20


def model_for(slug: str) -> type[SupportRecord]:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


def _labels(model: type[SupportRecord]) -> dict[str, Any]:
    return {"model": model, "singular": model._meta.verbose_name, "plural": model._meta.verbose_name_plural}


def _find(identifier: str, model: type[SupportRecord] | None = None) -> SupportRecord:
    record = registry.find(identifier)
    if not isinstance(record, SupportRecord) or (model is not None and not isinstance(record, model)):
        raise Http404
    return record


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The registry's front page: each record type with its number of published records."""
    kinds = [
        (model.SLUG, model._meta.verbose_name_plural, model.objects.filter(live=True).count())
        for model in RECORD_MODELS
    ]
    return render(request, "support/index.html", {"kinds": kinds})


def _listed(model: type[SupportRecord]) -> QuerySet[Any]:
    records = model.objects.filter(live=True).select_related("owner_country", "owner_organisation")
    if model in (Offer, Opportunity):
        records = records.select_related("provider")  # type: ignore[misc]
    return records


@require_safe
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Published records of one type, newest first, with filters."""
    model = model_for(slug)
    filters = FILTERSETS[model](request.GET or None, queryset=_listed(model))
    records = filters.qs.distinct()
    order = (
        ("deadline", "-last_published_at", "-pk") if model is Opportunity else ("-last_published_at", "-pk")
    )
    page = Paginator(records.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_labels(model),
        "slug": slug,
        "filters": filters.form,
        "page": page,
        "plural": model._meta.verbose_name_plural,
        "model_name": model._meta.model_name,
        "can_register": registers_records(request.user),
    }
    return render(request, "support/list.html", context)


def _shown_content(record: SupportRecord) -> dict[str, Any]:
    """The public version, or the latest revision while the record has never been published."""
    if not record.live:
        latest = workflow.latest_revision(record)
        return latest.content if latest else snapshots.snapshot(record)
    return snapshots.snapshot(record)


@require_safe
def detail(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    model = model_for(slug)
    record = _find(identifier, model)
    user = request.user
    if not access.can_see(user, record):
        raise Http404
    usage.record_used(request, record, Usage.VIEW)
    context = documents.page_context(request, record)
    insider = context["insider"]
    content = _shown_content(record)
    hidden = access.hidden_fields(user, record)
    context |= {
        "fields": documents.shown_fields(record, content, hidden),
        "rich_fields": record.RICH_FIELDS,
        **_labels(model),
        "slug": slug,
        "can_edit": permissions.can_edit(user, record)
        and record.state not in {State.SUBMITTED, State.ARCHIVED},
        "can_confirm": record.live and permissions.can_edit(user, record),
        "translations": [(code, name) for code, name in LANGUAGE_CHOICES if code != record.original_language],
    }
    if isinstance(record, Resource):
        # Authors and reviewers also see the versions waiting for review, marked as such.
        context["versions"] = list(record.versions.all()) if insider else record.published_versions
        context["version_form"] = (
            VersionForm() if context["can_edit"] or permissions.can_edit(user, record) else None
        )
        if record.live and not insider:
            services.count_view(record)
    if isinstance(record, Opportunity):
        context["is_open"] = record.is_open
    return render(request, "support/detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new record on one page: for whom, in which language, and its content."""
    model = model_for(slug)
    user = signed_in(request)
    owners = owner_choices(user)
    if not owners:
        raise PermissionDenied(
            _("You register records once your national focal point or organisation appoints you.")
        )
    owner_form = StartForm(request.POST or None, owners=owners)
    form = RecordForm(request.POST or None, model=model)
    expert_form = ExpertInvitationForm(request.POST or None) if model is Expert else None
    if (
        request.method == "POST"
        and owner_form.is_valid()
        and form.is_valid()
        and (expert_form is None or expert_form.is_valid())
    ):
        expert_email = expert_form.cleaned_data["expert_email"] if expert_form else ""
        submitting = request.POST.get("action") == "submit"
        try:
            # One step: a profile that cannot be submitted is not left behind as a stray draft.
            with transaction.atomic():
                record = services.create(
                    model,
                    actor=user,
                    owner=owner_form.cleaned_data["owner"],
                    language=owner_form.cleaned_data["original_language"],
                    cleaned=form.cleaned_data,
                )
                if isinstance(record, Expert) and expert_email:
                    services.invite_expert(record, email=expert_email, actor=user)
                if submitting:
                    services.submit(record, actor=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if expert_email:
                # The same answer whether or not the address has an account.
                messages.info(
                    request,
                    _("We wrote to %(email)s: the expert looks after the profile once they follow the link.")
                    % {"email": expert_email},
                )
            if submitting:
                messages.success(request, _("Submitted for review. The reviewers have been told."))
            else:
                messages.success(
                    request, _("Draft saved as %(identifier)s.") % {"identifier": record.identifier}
                )
            return redirect(record.get_absolute_url())
    context = {
        **_labels(model),
        "slug": slug,
        "owner_form": owner_form,
        "form": form,
        "record": None,
        "expert_form": expert_form,
    }
    return render(request, "support/form.html", context)


def _editable(request: HttpRequest, identifier: str) -> SupportRecord:
    record = _find(identifier)
    # A record kept by another clearing-house: the refusal says where to change it.
    origins.refuse_change(record, request.user)
    if not permissions.can_edit(request.user, record):
        raise PermissionDenied
    return record


def save_change(
    request: HttpRequest,
    record: SupportRecord,
    form: forms.Form,
    *,
    save: Callable[..., Any],
    again: str,
) -> HttpResponse | None:
    """Save a valid edit form as a new draft revision, and submit it when the person asked to:
    where to go next, or None when the form shows the problem (a conflict with someone else's
    change goes back to the edit page ``again``)."""
    user = signed_in(request)
    try:
        save(
            record,
            actor=user,
            cleaned=form.cleaned_data,
            base_revision=whole_number(request.POST, "base_revision") or None,
        )
        if request.POST.get("action") == "submit":
            services.submit(record, actor=user)
            messages.success(request, _("Submitted for review. The reviewers have been told."))
        else:
            messages.success(request, _("Draft saved."))
    except workflow.ConflictError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(again, identifier=record.identifier)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return redirect(record.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, identifier: str) -> HttpResponse:
    """Change a record: saved as a new draft revision; a published record stays public as it was
    until the change is published."""
    record = _editable(request, identifier)
    model = type(record)
    working, many = workflow.working_copy(record)
    initial = RecordForm.initial_from(model, working, many, record.original_language)
    form = RecordForm(request.POST or None, initial=initial, model=model)
    if request.method == "POST" and form.is_valid():
        saved = save_change(request, record, form, save=services.save, again="support:edit")
        if saved is not None:
            return saved
    latest = workflow.latest_revision(record)
    context = {
        **_labels(model),
        "slug": model.SLUG,
        "form": form,
        "record": record,
        "problems": record.submission_problems(latest.content) if latest else [],
    }
    return render(request, "support/form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def translate(request: HttpRequest, identifier: str, language: str) -> HttpResponse:
    record = _editable(request, identifier)
    form = TranslationForm(request.POST or None, model=type(record))
    return translation_page(request, record, language, form=form, save=services.save_values)


@login_required
@require_POST
def confirm(request: HttpRequest, identifier: str) -> HttpResponse:
    """ "Confirm it is still accurate": the record is vouched for again (not stale for two years)."""
    record = _find(identifier)
    try:
        services.confirm(record, actor=signed_in(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the record is confirmed as accurate."))
    return redirect(record.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_expert(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail to an expert: shows the profile, and on confirmation makes it theirs."""
    try:
        expert, email = services.expert_from_claim(token)
    except ValidationError as error:
        return render(request, "support/claim_expert.html", {"error": " ".join(error.messages)}, status=400)
    if request.method == "POST":
        try:
            expert = services.claim_expert(token, user=signed_in(request))
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return render(
                request,
                "support/claim_expert.html",
                {"expert": expert, "email": email, "error": message},
                status=403,
            )
        messages.success(request, _("This profile is yours now: you decide what of it is public."))
        return redirect(expert.get_absolute_url())
    return render(request, "support/claim_expert.html", {"expert": expert, "email": email})


@login_required
@require_POST
def add_version(request: HttpRequest, identifier: str) -> HttpResponse:
    record = _editable(request, identifier)
    if not isinstance(record, Resource):
        raise Http404
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_version(
                record,
                actor=signed_in(request),
                language=form.cleaned_data["language"],
                upload=form.cleaned_data.get("file"),
                link=form.cleaned_data.get("link") or "",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Language version added. It becomes public once a reviewer publishes the resource.")
                if record.live
                else _("Language version added."),
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect(record.get_absolute_url())


@login_required
@require_POST
def remove_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ResourceVersion.objects.select_related("resource"), pk=pk)
    services.remove_version(version, actor=signed_in(request))
    messages.success(request, _("Language version removed."))
    return redirect(version.resource.get_absolute_url())


@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Count the download, then serve the file (as an attachment, with its sniffed type) or
    show the link with the site it leads to: never a redirect, which would let an address of
    this site forward people to any site an editor typed."""
    version = get_object_or_404(ResourceVersion.objects.select_related("resource"), pk=pk)
    resource = version.resource
    if version.published_at is None:
        # Not reviewed yet: only the resource's authors and reviewers may open it, uncounted.
        if not access.can_read_working_copy(request.user, resource):
            raise Http404
    elif not access.can_see(request.user, resource):
        raise Http404
    else:
        services.count_download(version)
        usage.record_used(request, resource, Usage.DOWNLOAD)
    if version.link:
        return render(
            request,
            "support/leaving.html",
            {"version": version, "host": urlsplit(version.link).hostname or ""},
        )
    name = f"{version.resource.identifier}-{version.language}.{version.extension}"
    response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=name, content_type=version.media_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The records of the Parties and organisations this person works for, and their own expert
    profiles, drafts included, with when each was last updated."""
    user = signed_in(request)
    owners = owners_for(user)
    countries = [owner.pk for owner in owners if isinstance(owner, Country)]
    organisations = [owner.pk for owner in owners if isinstance(owner, Organisation)]
    groups = []
    for model in RECORD_MODELS:
        condition = Q(owner_country__in=countries) | Q(owner_organisation__in=organisations)
        if model is Expert:
            condition |= Q(expert_user=user)
        records = model.objects.filter(condition).order_by("-updated_at")[:200]
        groups.append((model.SLUG, model._meta.verbose_name_plural, records))
    return render(request, "support/mine.html", {"groups": groups, "can_register": bool(owners)})
