"""Courses, authors and learners for the SCORM tests, made through the workflow as people make
them; enrolments are made directly (the enrolment pages are another part of the app)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role, User
from clearinghouse.accounts.roles import forget_appointments
from clearinghouse.core.testing import World
from clearinghouse.learning import scorm
from clearinghouse.learning.models import CompletionRule, Course, Enrolment, ScormPackage
from clearinghouse.learning.tests.scorm_packages import scorm_12, upload, zipped
from clearinghouse.publishing import registry, workflow


@pytest.fixture
def scorm_root(tmp_path: Path) -> Iterator[Path]:
    """Each test unpacks packages into a directory of its own."""
    root = tmp_path / "scorm"
    with override_settings(SCORM_ROOT=root):
        yield root


def author(world: World) -> User:
    """Kenya's authorised user, who drafts Kenya's records, made a trainer too: a course author
    who may edit Kenya's courses."""
    person = world.authorised_user
    appointments.appoint(actor=None, user=person, role=Role.TRAINER)
    forget_appointments(person)
    return User.objects.get(pk=person.pk)


def outline(*items: dict[str, Any]) -> dict[str, Any]:
    return {"modules": [{"key": "m1", "title": {"en": "Ecosystem services"}, "items": list(items)}]}


LESSON = {
    "key": "l1",
    "type": "lesson",
    "title": {"en": "What nature gives us"},
    "body": {"en": "<p>Pollination, clean water, stable soils.</p>"},
}


def course(
    world: World,
    *,
    by: User | None = None,
    items: tuple[dict[str, Any], ...] = (),
    rule: str = CompletionRule.COMPLETED,
    published: bool = True,
) -> Course:
    """A course of Kenya's with one module (holding ``items``), published by its focal point."""
    person = by or author(world)
    record = workflow.create(
        Course,
        actor=person,
        owner=world.kenya,
        values={
            "original_language": "en",
            "title": {"en": "Ecosystem services for planners"},
            "summary": {"en": "What nature gives us, and how plans keep it."},
            "level": "introductory",
            "completion_rule": rule,
            "outline": outline(*items),
        },
    )
    if published:
        publish(world, record, by=person)
    return Course.objects.get(pk=record.pk)


def courses_announced() -> AbstractContextManager[Any]:
    """Where courses are not (yet) a registered record type, publishing one cannot tell search
    and the feeds about it; nothing else of publishing depends on that."""
    try:
        registry.of(Course)
    except LookupError:
        return mock.patch("clearinghouse.publishing.workflow.announce_change")
    return nullcontext()


def publish(world: World, record: Course, *, by: User) -> Course:
    # These tests publish a course whose only module is still empty, to import packages into
    # it afterwards; the platform refuses to submit such a course (Course.submission_problems).
    with mock.patch.object(Course, "submission_problems", return_value=[]):
        workflow.submit(record, actor=by)
    with courses_announced():
        return workflow.publish(Course.objects.get(pk=record.pk), actor=world.focal_point)


def with_package(
    world: World, files: dict[str, bytes | str] | None = None, *, items: tuple[dict[str, Any], ...] = ()
) -> tuple[Course, ScormPackage, str]:
    """A published course whose module holds a SCORM 1.2 package (and ``items`` before it)."""
    person = author(world)
    record = course(world, by=person, items=items)
    package, key = scorm.import_package(
        record, upload(zipped(files or scorm_12())), actor=person, module_key="m1"
    )
    published = publish(world, record, by=person)
    return published, package, key


def enrol(record: Course, person: User) -> Enrolment:
    return Enrolment.objects.create(course=record, person=person, language="en")
