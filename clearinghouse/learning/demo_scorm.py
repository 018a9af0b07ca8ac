"""The demo's SCORM module: "Ecosystem services: a self-check", a small SCORM 1.2 package built
from its sources in data/scorm/ (three pages, three questions, a score and a mastery score of
60 %), imported by the demo trainer through the same service trainers use, into the first
published demo course, which the demo Secretariat then publishes again with it.

Runs after the courses' own demo data; without a published course it does nothing. Idempotent:
the package is found again by its title.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from clearinghouse.accounts.demo import demo_person
from clearinghouse.learning import outline as outlines
from clearinghouse.learning import scorm
from clearinghouse.learning.models import Course, ScormPackage
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State

SOURCES = Path(__file__).parent / "data" / "scorm"
TITLE = "Ecosystem services: a self-check"
TRANSLATIONS = {
    "ar": "خدمات النظم الإيكولوجية: اختبار ذاتي",
    "zh": "生态系统服务：自我检测",
    "fr": "Services écosystémiques : auto-évaluation",
    "ru": "Экосистемные услуги: самопроверка",
    "es": "Servicios de los ecosistemas: autoevaluación",
}


def package_zip() -> bytes:
    """The package as a trainer would upload it: the sources zipped, the manifest at the root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SOURCES.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(SOURCES).as_posix())
    return buffer.getvalue()


def _course() -> Course | None:
    """The first published demo course, one written in English if there is one."""
    published = Course.objects.filter(live=True, state=State.PUBLISHED).order_by("identifier")
    return published.filter(original_language="en").first() or published.first()


def load() -> list[str]:
    if ScormPackage.objects.filter(title=TITLE).exists():
        return []
    course = _course()
    if course is None:
        return []
    trainer = demo_person("trainer")
    reviewer = demo_person("secretariat")
    author = trainer if scorm.may_edit(trainer, course) else None
    working, _many = workflow.working_copy(course)
    modules = outlines.modules(working.outline)
    scorm.import_package(
        course,
        SimpleUploadedFile("ecosystem-services-self-check.zip", package_zip(), "application/zip"),
        actor=author,
        language="en",
        module_key=str(modules[-1]["key"]) if modules else "",
        module_title="" if modules else "Self-check",
        translations=TRANSLATIONS,
    )
    workflow.submit(course, actor=author)
    workflow.publish(Course.objects.get(pk=course.pk), actor=reviewer)
    return []
