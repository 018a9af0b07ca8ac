"""Pages of the needs registry: the public list, the step-by-step forms (work without
JavaScript; a draft can be saved at any step and resumed), translations and need status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts import roles
from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import form_status
from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.core.params import whole_number
from clearinghouse.geo.models import Country
from clearinghouse.needs import services
from clearinghouse.needs.filtersets import NeedFilter
from clearinghouse.needs.formats import CURRENT_VERSION, definition
from clearinghouse.needs.forms import (
    NationalLinksForm,
    PlanActivitiesForm,
    RequestNeedsForm,
    StepForm,
    TranslationForm,
)
from clearinghouse.needs.models import FormatRecord, Need, NeedsAssessment, NeedStatus, Request
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import access, documents, registry, usage, workflow
from clearinghouse.publishing.forms import StartForm
from clearinghouse.publishing.models import State, Usage
from clearinghouse.publishing.owners import owner_choices, owners_for, registers_records
from clearinghouse.publishing.views import translation_page

PAGE_SIZE = 20


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Published needs, newest first, with filters."""
    filters = NeedFilter(
        request.GET or None,
        queryset=Need.objects.filter(live=True).select_related("owner_country", "owner_organisation"),
    )
    # One term per filter: these joins cannot repeat a need, so no DISTINCT is needed.
    needs = filters.qs.order_by("-last_published_at", "-id")
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters.form, "page": page, "can_register": registers_records(request.user)}
    return render(request, "needs/index.html", context)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The records of the Parties and organisations this person works for, drafts included."""
    user = signed_in(request)
    owners = owners_for(user)
    countries = [owner.pk for owner in owners if isinstance(owner, Country)]
    organisations = [owner.pk for owner in owners if isinstance(owner, Organisation)]
    groups = []
    models: tuple[type[FormatRecord], ...] = (NeedsAssessment, Need, Request)
    for model in models:
        records = model._default_manager.filter(
            Q(owner_country__in=countries) | Q(owner_organisation__in=organisations)
        )
        groups.append((model._meta.verbose_name_plural, records.order_by("-updated_at")[:200]))
    return render(request, "needs/mine.html", {"groups": groups, "can_register": bool(owners)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, form_name: str) -> HttpResponse:
    """Begin a need, needs assessment or request: for whom, in which language, and step one."""
    if form_name not in services.MODELS:
        raise Http404
    user = signed_in(request)
    owners = owner_choices(user)
    if not owners:
        raise PermissionDenied(
            _("You register needs once your national focal point or organisation appoints you.")
        )
    form_definition = definition().form(form_name)
    first = form_definition.steps[0]
    language = content_language()
    # "Save and continue" checks the step as strictly as the later steps do; "Save draft" does not.
    strict = request.POST.get("action") == "next"
    start_form = StartForm(request.POST or None, owners=owners)
    step_form = StepForm(request.POST or None, step=first, language=language, strict=strict)
    # A request names the needs it is for from its first page on (later steps never show them).
    needs_form = _start_needs_form(request, user) if form_name == "request" else None
    if (
        request.method == "POST"
        and start_form.is_valid()
        and step_form.is_valid()
        and (needs_form is None or needs_form.is_valid())
    ):
        owner = start_form.cleaned_data["owner"]
        needs = list(needs_form.cleaned_data["needs"]) if needs_form is not None else []
        try:
            record = services.start(
                form_name,
                actor=user,
                owner=owner,
                language=start_form.cleaned_data["original_language"],
                step=first,
                cleaned=step_form.cleaned_data,
                needs=needs,
            )
        except ValidationError as error:
            step_form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved as %(identifier)s.") % {"identifier": record.identifier})
            following = (
                form_definition.steps[1].name if strict and len(form_definition.steps) > 1 else first.name
            )
            return redirect("needs:step", identifier=record.identifier, step=following)
    context = {
        "form_definition": form_definition,
        "step": first,
        "start_form": start_form,
        "needs_form": needs_form,
        "form": step_form,
        "steps": form_definition.steps,
        "version": CURRENT_VERSION,
    }
    return render(request, "needs/step.html", context, status=form_status(start_form, step_form, needs_form))


def _start_needs_form(request: HttpRequest, user: Any) -> RequestNeedsForm | None:
    """The open needs of the Parties and organisations this person registers for, to choose
    from; none for the Secretariat, who registers for every owner (the first step's page offers
    the owner's needs once the request exists)."""
    if roles.is_secretariat(user):
        return None
    owners = owners_for(user)
    countries = [owner for owner in owners if isinstance(owner, Country)]
    organisations = [owner for owner in owners if isinstance(owner, Organisation)]
    needs = Need.objects.filter(
        Q(owner_country__in=countries, owner_organisation__isnull=True)
        | Q(owner_organisation__in=organisations)
    ).exclude(status__in=[NeedStatus.ADDRESSED, NeedStatus.WITHDRAWN])
    form = RequestNeedsForm(request.POST or None, needs=needs.order_by("identifier"))
    form.fields["needs"].required = False
    return form


def _editable(request: HttpRequest, identifier: str) -> FormatRecord:
    record = registry.find(identifier)
    if not isinstance(record, FormatRecord):
        raise Http404
    if not request.user.has_perm("records.draft", record.owner):
        raise PermissionDenied
    return record


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, identifier: str, step: str) -> HttpResponse:
    """One step of the form of an existing draft. Buttons: save draft, previous, next, and on
    the last step submit for review."""
    record = _editable(request, identifier)
    user = signed_in(request)
    form_definition = services.form_of(record)
    try:
        current = form_definition.step(step)
    except KeyError:
        raise Http404 from None
    names = [item.name for item in form_definition.steps]
    position = names.index(step)
    working, many = workflow.working_copy(record)
    language = record.original_language
    initial: dict[str, Any] = {}
    for field in current.fields:
        value: Any = many.get(field.name, getattr(working, field.name, None))
        if field.is_multilingual:
            value = (value or {}).get(language, "")
        elif field.type == "boolean":
            value = "yes" if value else "no"
        initial[field.name] = value
    action = request.POST.get("action", "save")
    strict = action in {"next", "submit"}
    form = StepForm(
        request.POST or None, initial=initial, step=current, language=content_language(), strict=strict
    )
    needs_form = None
    if record.FORM == "request" and position == 0:
        owned = Need.objects.filter(
            owner_country=record.owner_country, owner_organisation=record.owner_organisation
        )
        needs_form = RequestNeedsForm(
            request.POST or None, needs=owned, initial={"needs": many.get("needs", [])}
        )
    activities_form = None
    national_form = None
    if position == len(names) - 1:
        activities_form = PlanActivitiesForm(
            request.POST or None, initial={"plan_activities": many.get("plan_activities", [])}
        )
        if isinstance(record, Need | NeedsAssessment):
            named = (
                {"national_targets": many.get("national_targets", [])}
                if isinstance(record, Need)
                else {"national_report": working.national_report_id}  # type: ignore[attr-defined]
            )
            national_form = NationalLinksForm(request.POST or None, initial=named, record=record)
    extra = [found for found in (needs_form, activities_form, national_form) if found is not None]
    conflict = False
    if request.method == "POST" and form.is_valid() and all(found.is_valid() for found in extra):
        cleaned = dict(form.cleaned_data)
        try:
            # The forms beside the format's step save first, each on the revision the last made.
            base_revision = whole_number(request.POST, "base_revision") or None
            for found in extra:
                if found in (activities_form, national_form) and not found.has_changed():
                    continue
                workflow.save_draft(
                    record,
                    actor=user,
                    values=(
                        found.values()
                        if isinstance(found, NationalLinksForm)
                        else {name: list(value) for name, value in found.cleaned_data.items()}
                    ),
                    base_revision=base_revision,
                )
                record.refresh_from_db()
                base_revision = record.revision_number
            if form.has_changed() or action == "save":
                services.save_step(
                    record,
                    actor=user,
                    step=current,
                    cleaned=cleaned,
                    base_revision=base_revision,
                )
            if action == "submit":
                workflow.submit(record, actor=user)
                messages.success(request, _("Submitted for review. The reviewers have been told."))
                return redirect(documents.page_url(record))
        except workflow.ConflictError:
            # Refused with the person's text still in the form, never saved over the other change.
            record.refresh_from_db()
            form.add_error(None, changed_meanwhile(record))
            conflict = True
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if action == "next" and position + 1 < len(names):
                return redirect("needs:step", identifier=record.identifier, step=names[position + 1])
            if action == "previous" and position > 0:
                return redirect("needs:step", identifier=record.identifier, step=names[position - 1])
            messages.success(request, _("Draft saved."))
            return redirect("needs:step", identifier=record.identifier, step=step)
    context = {
        "record": record,
        "form_definition": form_definition,
        "step": current,
        "steps": form_definition.steps,
        "form": form,
        "needs_form": needs_form,
        "activities_form": activities_form,
        "national_form": national_form,
        "position": position,
        "is_last": position == len(names) - 1,
        "can_submit": record.state in {State.DRAFT, State.RETURNED},
        "problems": record.submission_problems(
            workflow.latest_revision(record).content  # type: ignore[union-attr]
        ),
        "version": record.format_version,
    }
    return render(request, "needs/step.html", context, status=409 if conflict else form_status(form, *extra))


def changed_meanwhile(record: FormatRecord) -> str:
    """Why a step was refused: someone saved the record after the person opened the form."""
    latest = workflow.latest_revision(record)
    when = date_format(localtime(latest.created_at), "DATETIME_FORMAT") if latest else ""
    return _(
        "Someone else changed this record on %(date)s, after you opened this form. Your changes "
        "were not saved: open the record again to see theirs, then make yours."
    ) % {"date": when}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def translate(request: HttpRequest, identifier: str, language: str) -> HttpResponse:
    record = _editable(request, identifier)
    fields = services.multilingual_fields(record)
    form = TranslationForm(request.POST or None, definitions=fields, language=content_language())
    return translation_page(request, record, language, form=form)


def _detail(request: HttpRequest, identifier: str, model: type[FormatRecord], template: str) -> HttpResponse:
    record = registry.find(identifier)
    if not isinstance(record, model) or not access.can_see(request.user, record):
        raise Http404
    usage.record_used(request, record, Usage.VIEW)
    context = documents.page_context(request, record) | {
        "translations": [
            (code, name)
            for code, name in LANGUAGE_CHOICES
            if code != record.original_language and request.user.has_perm("records.draft", record.owner)
        ],
        "steps": services.form_of(record).steps,
        "can_edit": request.user.has_perm("records.draft", record.owner) and record.state != State.SUBMITTED,
    }
    if isinstance(record, Need):
        context |= {
            "status_changes": record.status_changes.select_related("changed_by"),
            "statuses": [status for status in NeedStatus if status != record.status],
            "can_change_status": record.live
            and (
                request.user.has_perm("records.submit", record.owner)
                or request.user.has_perm("helpdesk.handle_requests")
            ),
        }
    if isinstance(record, NeedsAssessment):
        context["needs"] = record.needs.filter(live=True) if not context["insider"] else record.needs.all()
    # Shown with links to the Party's targets and reports below the other fields. The row is what
    # the page shows: the published version, or the draft of a record never published.
    context["fields"] = [field for field in context["fields"] if field.name not in _NATIONAL_FIELDS]
    if isinstance(record, Need):
        context["national_targets"] = record.national_targets.select_related("party").order_by("code")
    if isinstance(record, NeedsAssessment):
        context["national_report"] = record.national_report
    return render(request, template, context)


_NATIONAL_FIELDS = frozenset({"national_targets", "national_report"})


@require_safe
def need(request: HttpRequest, identifier: str) -> HttpResponse:
    return _detail(request, identifier, Need, "needs/need.html")


@require_safe
def assessment(request: HttpRequest, identifier: str) -> HttpResponse:
    return _detail(request, identifier, NeedsAssessment, "needs/assessment.html")


@require_safe
def request_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    return _detail(request, identifier, Request, "needs/request.html")


@login_required
@require_POST
def status(request: HttpRequest, identifier: str) -> HttpResponse:
    record = registry.find(identifier)
    if not isinstance(record, Need):
        raise Http404
    try:
        services.change_status(
            record,
            actor=signed_in(request),
            status=NeedStatus(request.POST.get("status", "")),
            note=request.POST.get("note", ""),
        )
    except ValueError:
        messages.error(request, _("Choose a status."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Status changed."))
    return redirect(documents.page_url(record))
