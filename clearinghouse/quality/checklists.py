"""Checklists: a template's steps (a standard operating procedure) copied onto one item — an
event being organised, a course or a guidance material being produced — and ticked off there.

The item's managers (its authors) and quality staff keep the checklist: they start it from a
template in force for the item's kind, tick each step as done (with evidence where the step
asks for it), set a step aside as not applicable (with a reason), or open it again. Its
completion is shown to them and to the item's reviewers.

Concurrency: each change is one step's row, updated alone, never the whole checklist saved from
a form; the checklist's row is locked for the change so that ``completed_at`` is decided on the
steps as they are (two people ticking the last two steps at once complete it once, and neither
loses the other's step). A change names the state its author saw: if someone else changed the
step meanwhile, the change is refused instead of overwriting theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.publishing.models import Record
from clearinghouse.quality import items, review_services
from clearinghouse.quality.models import (
    Checklist,
    ChecklistStep,
    ChecklistTemplate,
    StepState,
    VersionStatus,
)

# Record types a checklist is kept on: those some kind of checklist applies to.
CHECKLIST_TYPES: frozenset[str] = items.ASSESSED_TYPES
EVIDENCE_LENGTH = 2000
REASON_LENGTH = 500
URL_LENGTH = 500
_NOT_KEEPER = _("Only the people who manage this item or quality staff can keep its checklists.")


# --- who ------------------------------------------------------------------------------------------


def keeps(person: Any, record: Record) -> bool:
    """The item's managers and quality staff start its checklists and tick their steps."""
    return items.runs_quality(person) or items.manages(person, record)


def sees(person: Any, record: Record) -> bool:
    """Who reads an item's checklists: those who keep them, and its reviewers."""
    if keeps(person, record):
        return True
    signed_in = bool(getattr(person, "is_authenticated", False))
    return signed_in and person.pk in review_services.reviewers_of(record.identifier)


# --- what -----------------------------------------------------------------------------------------


def templates_for(record_type: str) -> QuerySet[ChecklistTemplate]:
    """The checklist templates in force for records of this type."""
    return ChecklistTemplate.objects.filter(
        status=VersionStatus.IN_FORCE, applies_to__in=items.kinds_for(record_type)
    ).order_by("applies_to", "code")


def checklists_of(identifier: str) -> QuerySet[Checklist]:
    """The item's checklists, oldest first, with their templates and steps."""
    return (
        Checklist.objects.filter(identifier=identifier)
        .select_related("template")
        .prefetch_related("steps__changed_by")
        .order_by("created_at", "pk")
    )


def templates_to_start(record: Record) -> list[ChecklistTemplate]:
    """Templates in force for the item that it follows in no version yet."""
    followed = set(
        Checklist.objects.filter(identifier=record.identifier).values_list("template__code", flat=True)
    )
    return [template for template in templates_for(record.RECORD_TYPE) if template.code not in followed]


@dataclass(frozen=True)
class Completion:
    """How far a checklist has come: steps done or set aside, out of all its steps."""

    done: int
    not_applicable: int
    total: int

    @property
    def resolved(self) -> int:
        return self.done + self.not_applicable

    @property
    def open(self) -> int:
        return self.total - self.resolved

    @property
    def percent(self) -> int:
        # Rounded down: a checklist with one step open never shows 100 %.
        return 100 if self.total == 0 else self.resolved * 100 // self.total

    @property
    def complete(self) -> bool:
        return self.open == 0


def with_completion(checklists: QuerySet[Checklist]) -> QuerySet[Checklist]:
    """The checklists with their steps counted in the same query (``steps_done``,
    ``steps_not_applicable``, ``steps_total``): for lists of many checklists."""
    return checklists.annotate(
        steps_total=Count("steps"),
        steps_done=Count("steps", filter=Q(steps__state=StepState.DONE)),
        steps_not_applicable=Count("steps", filter=Q(steps__state=StepState.NOT_APPLICABLE)),
    )


def completion(checklist: Checklist) -> Completion:
    """The checklist's completion, from counts annotated by ``with_completion``, else from its
    prefetched steps, else counted."""
    if hasattr(checklist, "steps_total"):
        counted: Any = checklist
        return Completion(counted.steps_done, counted.steps_not_applicable, counted.steps_total)
    states = [step.state for step in checklist.steps.all()]
    return Completion(states.count(StepState.DONE), states.count(StepState.NOT_APPLICABLE), len(states))


# --- starting -------------------------------------------------------------------------------------


@transaction.atomic
def start(
    record: Record, template: ChecklistTemplate, *, actor: Any, now: datetime | None = None
) -> Checklist:
    """Copy the template's steps onto the item: one checklist per template and item (in any of
    the template's versions). Only a template in force, of a kind that applies to the item."""
    if not keeps(actor, record):
        raise PermissionDenied(_NOT_KEEPER)
    if record.RECORD_TYPE not in CHECKLIST_TYPES:
        raise ValidationError(_("Checklists are not kept on records of this type."), code="type")
    template = ChecklistTemplate.objects.get(pk=template.pk)
    if template.status != VersionStatus.IN_FORCE:
        raise ValidationError(
            {"template": _("This checklist is no longer in force: start the version in force.")},
            code="not_in_force",
        )
    if template.applies_to not in items.kinds_for(record.RECORD_TYPE):
        raise ValidationError({"template": _("This checklist is not for this kind of item.")}, code="kind")
    if Checklist.objects.filter(identifier=record.identifier, template__code=template.code).exists():
        raise ValidationError(
            {"template": _("This item already follows this checklist.")}, code="already_started"
        )
    now = now or timezone.now()
    steps = list(template.steps.order_by("position", "pk"))
    try:
        # In a savepoint: two people starting the same checklist at once meet the unique
        # constraint, and the second is told, not shown an error page.
        with transaction.atomic():
            checklist = Checklist.objects.create(
                identifier=record.identifier,
                record_type=record.RECORD_TYPE,
                template=template,
                created_at=now,
                created_by=actor,
                completed_at=now if not steps else None,
            )
    except IntegrityError:
        raise ValidationError(
            {"template": _("This item already follows this checklist.")}, code="already_started"
        ) from None
    ChecklistStep.objects.bulk_create(
        ChecklistStep(
            checklist=checklist,
            source=step,
            position=position,
            text=step.text,
            guidance=step.guidance,
            evidence_required=step.evidence_required,
        )
        for position, step in enumerate(steps, start=1)
    )
    return checklist


# --- ticking --------------------------------------------------------------------------------------


def _require_keeper(step: ChecklistStep, actor: Any) -> None:
    found = items.item_or_none(
        Checklist.objects.values_list("identifier", flat=True).get(pk=step.checklist_id)
    )
    if found is None:
        raise ValidationError(_("The item of this checklist is gone."), code="gone")
    if not keeps(actor, found.record):
        raise PermissionDenied(_NOT_KEEPER)


def _change(
    step: ChecklistStep,
    *,
    actor: Any,
    seen: str | None,
    now: datetime | None,
    reopening: bool = False,
    **values: Any,
) -> ChecklistStep:
    """Update one step's row with ``values`` and keep its checklist's ``completed_at`` right,
    under a lock on the checklist."""
    checklist = Checklist.objects.select_for_update().get(pk=step.checklist_id)
    current = ChecklistStep.objects.get(pk=step.pk)
    if seen is not None and current.state != seen:
        raise ValidationError(
            _("Someone else changed this step meanwhile: read it again before changing it."), code="changed"
        )
    if reopening and current.state == StepState.OPEN:
        raise ValidationError(_("This step is open already."), code="open")
    now = now or timezone.now()
    ChecklistStep.objects.filter(pk=step.pk).update(changed_at=now, changed_by=actor, **values)
    still_open = checklist.steps.filter(state=StepState.OPEN).exists()
    if still_open and checklist.completed_at is not None:
        Checklist.objects.filter(pk=checklist.pk).update(completed_at=None)
    elif not still_open and checklist.completed_at is None:
        Checklist.objects.filter(pk=checklist.pk).update(completed_at=now)
    return ChecklistStep.objects.select_related("checklist").get(pk=step.pk)


@transaction.atomic
def tick(
    step: ChecklistStep,
    *,
    actor: Any,
    evidence: str = "",
    evidence_url: str = "",
    seen: str | None = None,
    now: datetime | None = None,
) -> ChecklistStep:
    """Mark the step as done, with what shows it (a sentence, a link): required when the step
    says so. Ticking a done step again changes its evidence."""
    _require_keeper(step, actor)
    evidence, evidence_url = evidence.strip(), evidence_url.strip()
    if step.evidence_required and not evidence and not evidence_url:
        raise ValidationError(
            {"evidence": _("This step needs evidence: say what shows it is done, or give a link to it.")},
            code="evidence",
        )
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            raise ValidationError(
                {"evidence_url": _("Give a full link to the evidence, starting with https://.")}, code="url"
            ) from None
        if len(evidence_url) > URL_LENGTH:
            raise ValidationError(
                {
                    "evidence_url": _("This link is too long: keep it under %(limit)d characters.")
                    % {"limit": URL_LENGTH}
                },
                code="url_length",
            )
    if len(evidence) > EVIDENCE_LENGTH:
        raise ValidationError(
            {"evidence": _("Keep the evidence under %(limit)d characters.") % {"limit": EVIDENCE_LENGTH}},
            code="evidence_length",
        )
    return _change(
        step,
        actor=actor,
        seen=seen,
        now=now,
        state=StepState.DONE,
        evidence=evidence,
        evidence_url=evidence_url,
        reason="",
    )


@transaction.atomic
def set_aside(
    step: ChecklistStep, *, actor: Any, reason: str, seen: str | None = None, now: datetime | None = None
) -> ChecklistStep:
    """Mark the step as not applicable to this item, saying why."""
    _require_keeper(step, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this step does not apply.")}, code="reason")
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)d characters.") % {"limit": REASON_LENGTH}},
            code="reason_length",
        )
    return _change(step, actor=actor, seen=seen, now=now, state=StepState.NOT_APPLICABLE, reason=reason)


@transaction.atomic
def reopen(
    step: ChecklistStep, *, actor: Any, seen: str | None = None, now: datetime | None = None
) -> ChecklistStep:
    """Open a done or set-aside step again; its evidence is kept, to be ticked again with it."""
    _require_keeper(step, actor)
    return _change(step, actor=actor, seen=seen, now=now, reopening=True, state=StepState.OPEN, reason="")
