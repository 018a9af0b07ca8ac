"""Pages of the standards and checklist templates: public lists and pages of the versions in
force (and the retired ones, for their history); the Secretariat's drafts, edited in the six
languages and put in force. Standards and templates share these views: ``kind`` says which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.quality import standards
from clearinghouse.quality.models import (
    AppliesTo,
    ChecklistTemplate,
    Criterion,
    Standard,
    TemplateStep,
    VersionStatus,
)
from clearinghouse.quality.standard_forms import CriterionForm, StepForm, VersionForm


@dataclass(frozen=True)
class Kind:
    """Standards or checklist templates: their model, their parts and their route names."""

    name: str
    model: type[standards.Document]
    part_model: type[standards.Part]
    part_form: type[CriterionForm] | type[StepForm]
    add_part: Any
    edit_part: Any


KINDS = {
    "standard": Kind(
        "standard",
        Standard,
        Criterion,
        CriterionForm,
        gettext_lazy("Add a criterion"),
        gettext_lazy("Edit the criterion"),
    ),
    "template": Kind(
        "template",
        ChecklistTemplate,
        TemplateStep,
        StepForm,
        gettext_lazy("Add a step"),
        gettext_lazy("Edit the step"),
    ),
}


def _route(kind: Kind, suffix: str = "") -> str:
    return f"quality:{kind.name}{suffix}"


def _version_url(document: standards.Document, kind: Kind) -> str:
    return reverse(_route(kind, "_version"), kwargs={"code": document.code, "version": document.version})


def _edit_url(document: standards.Document, kind: Kind) -> str:
    return reverse(_route(kind, "_edit"), kwargs={"code": document.code, "version": document.version})


def _visible(request: HttpRequest, kind: Kind, code: str, version: int | None) -> standards.Document:
    """The version asked for (the one in force without a number); drafts only to the Secretariat."""
    found = kind.model.objects.filter(code=code)
    if not standards.may_edit(request.user):
        found = found.exclude(status=VersionStatus.DRAFT)
    if version is None:
        document = found.filter(status=VersionStatus.IN_FORCE).first() or found.order_by("-version").first()
    else:
        document = found.filter(version=version).first()
    if document is None:
        raise Http404(_("No such standard or checklist template."))
    return document


def _draft(request: HttpRequest, kind: Kind, code: str, version: int) -> standards.Document:
    """A version the Secretariat edits; others are refused."""
    if not standards.may_edit(request.user):
        raise PermissionDenied(_("Only the Secretariat edits quality standards and checklist templates."))
    return cast(standards.Document, get_object_or_404(kind.model, code=code, version=version))


@require_safe
def standard_list(request: HttpRequest) -> HttpResponse:
    """The standards and checklist templates in force, by what they apply to."""
    by_kind = []
    # Counted in the query: one query per list, however many standards there are.
    in_force_standards = list(standards.standards_in_force().annotate(parts=Count("criteria")))
    in_force_templates = list(standards.templates_in_force().annotate(parts=Count("steps")))
    for value, label in AppliesTo.choices:
        kind_standards = [standard for standard in in_force_standards if standard.applies_to == value]
        kind_templates = [template for template in in_force_templates if template.applies_to == value]
        if kind_standards or kind_templates:
            by_kind.append((label, kind_standards, kind_templates))
    drafts: list[tuple[standards.Document, str]] = []
    if standards.may_edit(request.user):
        for the_kind in KINDS.values():
            drafts += [
                (draft, _edit_url(draft, the_kind))
                for draft in the_kind.model.objects.filter(status=VersionStatus.DRAFT).order_by("code")
            ]
    return render(request, "quality/standards/list.html", {"by_kind": by_kind, "drafts": drafts})


@require_safe
def document_page(request: HttpRequest, kind: str, code: str, version: int | None = None) -> HttpResponse:
    """A standard (its criteria under their headings, guidance and scale) or a checklist template
    (its steps), with the history of its versions."""
    the_kind = KINDS[kind]
    document = _visible(request, the_kind, code, version)
    history = standards.versions_of(document)
    if not standards.may_edit(request.user):
        history = history.exclude(status=VersionStatus.DRAFT)
    context: dict[str, Any] = {
        "kind": the_kind,
        "document": document,
        "history": history,
        "may_edit": standards.may_edit(request.user),
        "draft": standards.draft_of(document) if standards.may_edit(request.user) else None,
    }
    if isinstance(document, Standard):
        context["groups"] = standards.grouped(document)
    else:
        context["steps"] = list(document.steps.order_by("position", "pk"))
    return render(request, "quality/standards/document.html", context)


@login_required
@require_POST
def start_draft(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The Secretariat drafts the next version from the one in force."""
    the_kind = KINDS[kind]
    person = signed_in(request)
    if not standards.may_edit(person):
        raise PermissionDenied(_("Only the Secretariat edits quality standards and checklist templates."))
    current = the_kind.model.objects.filter(code=code, status=VersionStatus.IN_FORCE).first()
    if current is None:
        raise Http404(_("No such standard or checklist template."))
    try:
        draft = standards.start_draft(person, current)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        existing = standards.draft_of(current)
        return redirect(_edit_url(existing, the_kind) if existing else _version_url(current, the_kind))
    messages.success(
        request, _("Version %(version)s drafted from the one in force.") % {"version": draft.version}
    )
    return redirect(_edit_url(draft, the_kind))


def _parts_of(document: standards.Document) -> list[Any]:
    if isinstance(document, Standard):
        return list(document.criteria.order_by("position", "pk"))
    return list(document.steps.order_by("position", "pk"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_draft(request: HttpRequest, kind: str, code: str, version: int) -> HttpResponse:
    """A draft's title, summary and settings, and the list of its criteria or steps to edit,
    move and remove; from here it is put in force or discarded."""
    the_kind = KINDS[kind]
    document = _draft(request, the_kind, code, version)
    if document.status != VersionStatus.DRAFT:
        messages.error(request, _("A version in force or retired is never edited: draft a new version."))
        return redirect(_version_url(document, the_kind))
    form = VersionForm(request.POST or None, document=document)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                standards.edit_draft(
                    signed_in(request),
                    document,
                    title=form.texts("title"),
                    summary=form.texts("summary"),
                    **form.settings(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect(_edit_url(document, the_kind))
        status = 400
    context = {"kind": the_kind, "document": document, "form": form, "parts": _parts_of(document)}
    return render(request, "quality/standards/edit.html", context, status=status)


def _initial(part: Any | None) -> tuple[dict[str, Any], dict[str, Any]]:
    if part is None:
        return {}, {}
    if isinstance(part, Criterion):
        return {"group": part.group, "text": part.text, "guidance": part.guidance}, {"scale": part.scale}
    return {"text": part.text, "guidance": part.guidance}, {"evidence_required": part.evidence_required}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_part(
    request: HttpRequest, kind: str, code: str, version: int, pk: int | None = None
) -> HttpResponse:
    """Add a criterion or a step to a draft, or change one of its own."""
    the_kind = KINDS[kind]
    document = _draft(request, the_kind, code, version)
    if document.status != VersionStatus.DRAFT:
        messages.error(request, _("A version in force or retired is never edited: draft a new version."))
        return redirect(_version_url(document, the_kind))
    part: standards.Part | None = None
    if pk is not None:
        owner = Q(standard=document) if isinstance(document, Standard) else Q(template=document)
        part = cast(standards.Part, get_object_or_404(the_kind.part_model.objects.filter(owner), pk=pk))
    texts, initial = _initial(part)
    form: forms.Form = the_kind.part_form(request.POST or None, initial_texts=texts, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                standards.save_part(signed_in(request), document, part, **form.values())  # type: ignore[attr-defined]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(_edit_url(document, the_kind))
        status = 400
    context = {"kind": the_kind, "document": document, "part": part, "form": form}
    return render(request, "quality/standards/part.html", context, status=status)


def _part_of_draft(request: HttpRequest, the_kind: Kind, code: str, version: int, pk: int) -> tuple[Any, Any]:
    document = _draft(request, the_kind, code, version)
    owner = Q(standard=document) if isinstance(document, Standard) else Q(template=document)
    return document, get_object_or_404(the_kind.part_model.objects.filter(owner), pk=pk)


@login_required
@require_POST
def remove_part(request: HttpRequest, kind: str, code: str, version: int, pk: int) -> HttpResponse:
    the_kind = KINDS[kind]
    document, part = _part_of_draft(request, the_kind, code, version, pk)
    try:
        standards.remove_part(signed_in(request), part)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect(_edit_url(document, the_kind))


@login_required
@require_POST
def move_part(request: HttpRequest, kind: str, code: str, version: int, pk: int) -> HttpResponse:
    the_kind = KINDS[kind]
    document, part = _part_of_draft(request, the_kind, code, version, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        standards.move_part(signed_in(request), part, offset)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{_edit_url(document, the_kind)}#part-{part.pk}")


@login_required
@require_POST
def put_in_force(request: HttpRequest, kind: str, code: str, version: int) -> HttpResponse:
    the_kind = KINDS[kind]
    document = _draft(request, the_kind, code, version)
    try:
        standards.put_in_force(signed_in(request), document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            _edit_url(document, the_kind)
            if document.status == VersionStatus.DRAFT
            else _version_url(document, the_kind)
        )
    messages.success(
        request,
        _("Version %(version)s is in force; the one before is retired.") % {"version": document.version},
    )
    return redirect(_version_url(document, the_kind))


@login_required
@require_POST
def discard_draft(request: HttpRequest, kind: str, code: str, version: int) -> HttpResponse:
    the_kind = KINDS[kind]
    document = _draft(request, the_kind, code, version)
    try:
        standards.discard_draft(signed_in(request), document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_version_url(document, the_kind))
    messages.success(request, _("Draft discarded."))
    return redirect(reverse(_route(the_kind), kwargs={"code": code}))
