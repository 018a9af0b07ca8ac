"""Checklist templates for the checklists' tests, made directly (the standards area loads the
real ones from its data file): a template in force for training events, with an Arabic step."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from clearinghouse.quality.models import AppliesTo, ChecklistTemplate, TemplateStep, VersionStatus

# (texts, evidence required)
EVENT_STEPS: list[tuple[dict[str, str], bool]] = [
    (
        {
            "en": "Needs assessment done",
            "fr": "Évaluation des besoins réalisée",
            "ar": "تم تقييم الاحتياجات",
        },
        True,
    ),
    (
        {
            "en": "Gender balance considered",
            "fr": "Équilibre entre les genres pris en compte",
            "ar": "تمت مراعاة التوازن بين الجنسين",
        },
        False,
    ),
    (
        {
            "en": "Materials in the participants' languages",
            "fr": "Supports dans les langues des participants",
            "ar": "المواد بلغات المشاركين",
        },
        False,
    ),
]


def template(
    *,
    code: str = "organising-a-training-event",
    applies_to: str = AppliesTo.EVENT,
    version: int = 1,
    status: str = VersionStatus.IN_FORCE,
    steps: list[tuple[dict[str, str], bool]] | None = None,
    **fields: Any,
) -> ChecklistTemplate:
    made = ChecklistTemplate.objects.create(
        code=code,
        version=version,
        applies_to=applies_to,
        title=fields.pop(
            "title",
            {"en": "Organising a training event", "fr": "Organiser une formation", "ar": "تنظيم حدث تدريبي"},
        ),
        summary=fields.pop("summary", {"en": "The steps of a well-prepared training event."}),
        status=status,
        put_in_force_at=timezone.now() if status == VersionStatus.IN_FORCE else None,
        **fields,
    )
    for position, (texts, evidence) in enumerate(EVENT_STEPS if steps is None else steps, start=1):
        TemplateStep.objects.create(
            template=made,
            position=position,
            text=texts,
            guidance={"en": "Say what was done."},
            evidence_required=evidence,
        )
    return made
