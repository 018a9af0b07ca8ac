"""Pages of the checklists: an item's checklists with their steps (read by its managers,
quality staff and reviewers; kept by the first two), starting one, and each step's change —
one step per request, so that two people at work on one checklist keep each other's steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.core.multilingual import show
from clearinghouse.quality import checklists, items
from clearinghouse.quality.checklist_forms import (
    STEP_FORMS,
    DoneForm,
    NotApplicableForm,
    ReopenForm,
    StartForm,
)
from clearinghouse.quality.models import Checklist, ChecklistStep, StepState


@dataclass
class StepRow:
    step: ChecklistStep
    # The forms its keepers may use, by the step's state; None for readers.
    done: DoneForm | None = None
    not_applicable: NotApplicableForm | None = None
    reopen: ReopenForm | None = None


@dataclass
class Shown:
    checklist: Checklist
    completion: checklists.Completion
    rows: list[StepRow]


def _item(request: HttpRequest, identifier: str) -> items.Item:
    """The item, drafts included (a course is checked while it is produced), for those who may
    read its checklists; 404 for an unknown item, 403 for anyone else."""
    item = items.find_item(identifier, types=checklists.CHECKLIST_TYPES, live=False)
    if not checklists.sees(request.user, item.record):
        raise PermissionDenied
    return item


def _rows(checklist: Checklist, keeper: bool, bound: tuple[int, str, Any] | None) -> list[StepRow]:
    rows = []
    for step in checklist.steps.all():
        row = StepRow(step)
        if keeper:
            prefix = f"step-{step.pk}"
            initial = {"seen": step.state}
            if step.state == StepState.OPEN:
                row.done = DoneForm(
                    initial=initial | {"evidence": step.evidence, "evidence_url": step.evidence_url},
                    prefix=f"{prefix}-done",
                    evidence_required=step.evidence_required,
                )
                row.not_applicable = NotApplicableForm(initial=initial, prefix=f"{prefix}-na")
            else:
                row.reopen = ReopenForm(initial=initial, prefix=f"{prefix}-reopen")
                if step.state == StepState.DONE:
                    row.done = DoneForm(
                        initial=initial | {"evidence": step.evidence, "evidence_url": step.evidence_url},
                        prefix=f"{prefix}-done",
                        evidence_required=step.evidence_required,
                    )
            if bound is not None and bound[0] == step.pk:
                setattr(row, bound[1], bound[2])
        rows.append(row)
    return rows


def _page(
    request: HttpRequest,
    item: items.Item,
    *,
    start_form: StartForm | None = None,
    bound: tuple[int, str, Any] | None = None,
    problem: Any = None,
    status: int = 200,
) -> HttpResponse:
    """The item's page; ``bound`` puts a step's refused form back in its row, ``problem`` shows
    a refusal above the steps as they are now."""
    keeper = checklists.keeps(request.user, item.record)
    shown = [
        Shown(checklist, checklists.completion(checklist), _rows(checklist, keeper, bound))
        for checklist in checklists.checklists_of(item.identifier)
    ]
    to_start = checklists.templates_to_start(item.record) if keeper else []
    if start_form is None and to_start:
        start_form = StartForm(templates=to_start)
    context = {
        "item": item,
        "title": item.title(),
        "keeper": keeper,
        "checklists": shown,
        "start_form": start_form if to_start or (start_form and start_form.is_bound) else None,
        "bound_form": bound[2] if bound else problem,
    }
    return render(request, "quality/checklists/item.html", context, status=status)


@login_required
@require_safe
def checklist_item(request: HttpRequest, identifier: str) -> HttpResponse:
    """The item's checklists, their steps and their completion."""
    return _page(request, _item(request, identifier))


@login_required
@require_POST
def checklist_start(request: HttpRequest, identifier: str) -> HttpResponse:
    """Copy a template in force onto the item."""
    item = _item(request, identifier)
    if not checklists.keeps(request.user, item.record):
        raise PermissionDenied
    form = StartForm(request.POST, templates=checklists.templates_to_start(item.record))
    if form.is_valid():
        try:
            checklists.start(item.record, form.cleaned_data["template"], actor=signed_in(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Checklist started: tick its steps as they are done."))
            return redirect("quality:checklist_item", identifier=item.identifier)
    return _page(request, item, start_form=form, status=400)


# The attribute of a step's row each action's form is shown in.
_ROW_FIELD = {"done": "done", "not-applicable": "not_applicable", "reopen": "reopen"}
_PREFIX = {"done": "done", "not-applicable": "na", "reopen": "reopen"}


@login_required
@require_POST
def checklist_step(request: HttpRequest, identifier: str, step: int, action: str) -> HttpResponse:
    """One step's change: done (with evidence), not applicable (with a reason), or open again."""
    if action not in STEP_FORMS:
        raise Http404
    item = _item(request, identifier)
    if not checklists.keeps(request.user, item.record):
        raise PermissionDenied
    found = get_object_or_404(
        ChecklistStep.objects.select_related("checklist"), pk=step, checklist__identifier=item.identifier
    )
    kwargs: dict[str, Any] = {"evidence_required": found.evidence_required} if action == "done" else {}
    form = STEP_FORMS[action](request.POST, prefix=f"step-{found.pk}-{_PREFIX[action]}", **kwargs)
    status = 400
    if form.is_valid():
        actor = signed_in(request)
        data = form.cleaned_data
        try:
            if action == "done":
                checklists.tick(
                    found,
                    actor=actor,
                    evidence=data["evidence"],
                    evidence_url=data["evidence_url"],
                    seen=data["seen"],
                )
            elif action == "not-applicable":
                checklists.set_aside(found, actor=actor, reason=data["reason"], seen=data["seen"])
            else:
                checklists.reopen(found, actor=actor, seen=data["seen"])
        except ValidationError as error:
            add_service_errors(form, error)
            if getattr(error, "code", None) in ("changed", "open"):
                # Someone else's change: the page shows the step as it is now.
                status = 409
        else:
            messages.success(request, _("Step saved."))
            url = reverse("quality:checklist_item", args=[item.identifier])
            return redirect(f"{url}#step-{found.pk}")
    if status == 409:
        return _page(request, item, problem=form, status=status)
    return _page(request, item, bound=(found.pk, _ROW_FIELD[action], form), status=status)


def panel(request: HttpRequest, record: Any) -> dict[str, Any] | None:
    """The record page's panel: each checklist's completion, for the item's managers, quality
    staff and reviewers; its keepers may start the ones in force it does not follow yet."""
    person = getattr(request, "user", None)
    if not checklists.sees(person, record):
        return None
    keeper = checklists.keeps(person, record)
    found = checklists.with_completion(
        Checklist.objects.filter(identifier=record.identifier).select_related("template")
    ).order_by("created_at", "pk")
    shown = [(checklist, checklists.completion(checklist)) for checklist in found]
    to_start = checklists.templates_to_start(record) if keeper else []
    if not shown and not to_start:
        return None
    return {
        "checklist_panel": {
            "checklists": shown,
            "keeper": keeper,
            "to_start": [
                (template, show(template.title, template.original_language)) for template in to_start
            ],
        }
    }
