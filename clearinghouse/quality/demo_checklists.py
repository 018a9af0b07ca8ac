"""Demo checklists: the organiser of the past coral-bleaching workshop in Cairo followed the
checklist for organising a training event from the needs assessment to the report — every step
done with its evidence in Arabic, one set aside with the reason — and the trainer producing the
Russian course on monitoring systems for the Global Biodiversity Framework is half-way through
the checklist for producing a course.

The templates are those in force (loaded by ``quality.demo_standards``, which runs first); each
step's work is found by what the step says (its English text), so that a reworded template still
gets sensible evidence; a step of the event's checklist the demo has no words for is ticked with
the event's page as its evidence. Made through the checklist services, by the people who manage
the records (the Secretariat when the record's author no longer may). Idempotent: an item that
follows the checklist already is left as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from clearinghouse.accounts.demo import demo_person
from clearinghouse.core.mail import site_url
from clearinghouse.events.models import Event
from clearinghouse.learning.models import Course
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.quality import checklists
from clearinghouse.quality.models import (
    RECORD_TYPES,
    AppliesTo,
    Checklist,
    ChecklistStep,
    ChecklistTemplate,
    StepState,
)

EVENT_TITLE = "Regional workshop on monitoring coral bleaching in the Red Sea and the Gulf of Aden"
COURSE_TITLE = "Системы мониторинга для целей Глобальной рамочной программы по биоразнообразию"

DONE, NOT_APPLICABLE = StepState.DONE, StepState.NOT_APPLICABLE
Work = tuple[str, str, str, str, int]

# What was done for each step, found by a word of the step's English text: (word, state, text,
# link, days from the event's start). The organiser wrote in Arabic.
EVENT_WORK: list[Work] = [
    (
        "needs assessment",
        DONE,
        "استبيان أُرسل إلى 14 محمية بحرية في دول البحر الأحمر وخليج عدن؛ أجابت 11 منها، وطلبت 9 "
        "تدريبًا على بروتوكول المقاطع الخطية.",
        "https://eeaa.example.org/coral-workshop/needs-survey.pdf",
        -130,
    ),
    (
        "learning objectives",
        DONE,
        "المذكرة المفاهيمية وجدول الأعمال لثلاثة أيام، ومنها يوم ميداني في محمية رأس محمد.",
        "https://eeaa.example.org/coral-workshop/concept-note.pdf",
        -118,
    ),
    (
        "gender",
        DONE,
        "12 مشاركة من أصل 25 مدعوًا، ومدرّبتان من أصل أربعة مدرّبين.",
        "",
        -90,
    ),
    (
        "indigenous",
        NOT_APPLICABLE,
        "ورشة فنية لموظفي هيئات المحميات البحرية الذين رشّحتهم حكوماتهم؛ استُشير صيادو رأس محمد "
        "خلال اليوم الميداني.",
        "",
        -90,
    ),
    (
        "languages",
        DONE,
        "المواد بالعربية والإنجليزية: الدليل الميداني واستمارة الرصد الموحدة وعروض المدرّبين.",
        "https://eeaa.example.org/coral-workshop/materials/",
        -20,
    ),
    ("interpretation", DONE, "ترجمة فورية من العربية إلى الإنجليزية طوال الأيام الثلاثة.", "", -30),
    (
        "accessib",
        DONE,
        "قاعة المؤتمرات في الطابق الأرضي ومزوّدة بمصعد؛ سُئل المشاركون عن احتياجاتهم في استمارة "
        "التسجيل ولم يطلب أحد ترتيبات خاصة.",
        "",
        -25,
    ),
    (
        "trainers confirmed",
        DONE,
        "رسالة الإحاطة إلى المدرّبين الأربعة مع أهداف الورشة ونتائج الاستبيان.",
        "https://eeaa.example.org/coral-workshop/trainers-briefing.pdf",
        -14,
    ),
    (
        "evaluation planned",
        DONE,
        "استمارة التقييم على المنصة، تُرسل إلى المشاركين في اليوم الأخير.",
        "",
        -7,
    ),
    (
        "report",
        DONE,
        "تقرير الورشة مع نتائج التقييم: متوسط الرضا 4.5 من 5.",
        "https://eeaa.example.org/coral-workshop/report.pdf",
        20,
    ),
    (
        "follow-up",
        DONE,
        "متابعة المشاركين بعد شهرين من الورشة على المنصة، لمعرفة ما طبّقوه في محمياتهم.",
        "",
        21,
    ),
]
EVENT_OTHERWISE = "انظر صفحة الورشة على المنصة."

# The trainer writing the course in Russian, half-way through (days from when it was started).
COURSE_WORK: list[Work] = [
    (
        "needs assessment",
        DONE,
        "Опрос 23 национальных координаторов из Восточной Европы и Центральной Азии: 17 готовят "
        "национальный доклад впервые по новой программе мониторинга.",
        "",
        3,
    ),
    (
        "learning objectives",
        DONE,
        "Программа курса: два модуля и итоговый тест.",
        "https://codp.example.org/kursy/monitoring-gbf/programma.pdf",
        10,
    ),
    (
        "subject expert",
        DONE,
        "Содержание проверила Анна Акопян (Министерство окружающей среды Армении).",
        "",
        24,
    ),
    (
        "gender",
        DONE,
        "Примеры и иллюстрации проверены: в кейсах докладчиками выступают и женщины, и мужчины.",
        "",
        24,
    ),
    (
        "regions",
        NOT_APPLICABLE,
        "Курс региональный: все примеры взяты из стран Восточной Европы и Центральной Азии.",
        "",
        25,
    ),
    (
        "assessments",
        DONE,
        "Итоговый тест из 10 вопросов; проходной балл — 70 %.",
        "",
        31,
    ),
]


def _template(applies_to: AppliesTo) -> ChecklistTemplate:
    found = checklists.templates_for(RECORD_TYPES[applies_to]).filter(applies_to=applies_to).first()
    if found is None:
        raise CommandError(
            f"No checklist template is in force for {applies_to.label}: the standards' demo "
            "(clearinghouse.quality.demo_standards) must load first."
        )
    return found


def _keeper(record: Record) -> Any:
    """The record's author when they still manage it, else the Secretariat (quality staff)."""
    author = record.created_by
    if author is not None and checklists.keeps(author, record):
        return author
    return demo_person("secretariat")


def _work_for(step: ChecklistStep, work: list[Work]) -> Work | None:
    text = str(step.text.get("en", "")).lower()
    return next((entry for entry in work if entry[0] in text), None)


def _follow(
    record: Record,
    template: ChecklistTemplate,
    work: list[Work],
    base: datetime,
    otherwise: str | None,
) -> None:
    """Start the checklist on the record (unless it follows it already) and do ``work``, each
    step on its day counted from ``base``, in the order of those days; with ``otherwise``,
    every step ``work`` does not name is done too, on ``base``, with the record's page."""
    if Checklist.objects.filter(identifier=record.identifier, template__code=template.code).exists():
        return
    keeper = _keeper(record)
    first_day = min(days for *_rest, days in work)
    checklist = checklists.start(record, template, actor=keeper, now=base + timedelta(days=first_day - 2))
    page = site_url(registry.of(record).url(record))
    planned: list[tuple[datetime, int, ChecklistStep, Work]] = []
    for step in checklist.steps.order_by("position"):
        entry = _work_for(step, work)
        if entry is not None:
            planned.append((base + timedelta(days=entry[4]), step.position, step, entry))
        elif otherwise is not None:
            planned.append((base, step.position, step, ("", DONE, otherwise, page, 0)))
    for when, _position, step, (_word, state, text, link, _days) in sorted(planned, key=lambda p: p[:2]):
        if state == NOT_APPLICABLE:
            checklists.set_aside(step, actor=keeper, reason=text, now=when)
        else:
            checklists.tick(step, actor=keeper, evidence=text, evidence_url=link, now=when)


def load() -> list[str]:
    """A completed checklist on the Cairo workshop, a partly done one on the Russian course."""
    event = Event.objects.filter(live=True, title__en=EVENT_TITLE).first()
    course = Course.objects.filter(live=True, title__ru=COURSE_TITLE).first()
    if event is None or event.starts_at is None or course is None:
        raise CommandError("The demo workshop in Cairo or the demo course on monitoring is missing.")
    # Both templates first: a missing one leaves nothing half-loaded.
    for_events, for_courses = _template(AppliesTo.EVENT), _template(AppliesTo.COURSE)
    _follow(event, for_events, EVENT_WORK, event.starts_at, EVENT_OTHERWISE)
    # The course is being produced: its checklist started some five weeks ago.
    _follow(course, for_courses, COURSE_WORK, timezone.now() - timedelta(days=35), None)
    return [
        f"{'Checklists':32} {event.identifier} completed; {course.identifier} under way "
        "(on their pages, for their organisers and the Secretariat)",
    ]
