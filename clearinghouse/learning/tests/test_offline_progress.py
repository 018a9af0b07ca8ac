"""Progress made offline comes back in the file the package writes: checked whole, the answers
marked again by the server, counted once however often it is uploaded."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.learning import offline_progress
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Activity, AttemptSource, Enrolment, ItemProgress, QuizAttempt
from clearinghouse.learning.tests.offline_factories import (
    RIGHT_ANSWERS,
    attempt_entry,
    enrol,
    lesson_entry,
    outline,
    package_root,  # noqa: F401  (autouse fixture)
    progress_file,
    published,
)

pytestmark = pytest.mark.django_db
DRAWN = ["qs1", "qm1", "qt1", "qa1", "qp1"]


def upload(client: Client, data: Any) -> Any:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(
        reverse("learning:offline_upload"),
        {"file": SimpleUploadedFile("progress.json", content, "application/json")},
        follow=True,
    )


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response: Any) -> list[str]:
    """The messages shown on the page the upload leads to (the course's offline page)."""
    assert response.redirect_chain, response.content.decode()
    return [str(m) for m in response.context["messages"]]


def state(enrolment: Enrolment) -> tuple[Any, ...]:
    """Everything an upload may change."""
    return (
        list(
            ItemProgress.objects.filter(enrolment=enrolment)
            .values_list("item_key", "completed_at", "passed", "score")
            .order_by("item_key")
        ),
        list(
            QuizAttempt.objects.filter(enrolment=enrolment)
            .values_list("quiz_key", "number", "score", "offline_id")
            .order_by("pk")
        ),
        Activity.objects.filter(enrolment=enrolment).count(),
        Enrolment.objects.get(pk=enrolment.pk).status,
    )


def test_a_progress_file_round_trip_counts_lessons_and_marks_attempts_on_the_server(world: World) -> None:
    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner)
    enrolment.enrolled_at = timezone.now() - timedelta(days=1)
    enrolment.save()
    earlier = timezone.now() - timedelta(hours=2)
    wrong = RIGHT_ANSWERS | {"qt1": False, "qa1": "ecosystem"}
    entries = [
        lesson_entry("m1l1", earlier),
        lesson_entry("m1l2", earlier + timedelta(minutes=5)),
        attempt_entry("m1q", DRAWN, wrong, earlier + timedelta(minutes=10)),
        attempt_entry("m1q", DRAWN, RIGHT_ANSWERS, earlier + timedelta(minutes=20)),
    ]
    response = upload(signed_in(world.learner), progress_file(enrolment, entries))

    assert said(response) == ["Your progress file was counted: 4 new entries."]
    lessons = ItemProgress.objects.filter(enrolment=enrolment, kind="lesson")
    assert {row.item_key: row.completed_at for row in lessons} == {
        "m1l1": earlier,
        "m1l2": earlier + timedelta(minutes=5),
    }
    first, second = QuizAttempt.objects.filter(enrolment=enrolment).order_by("number")
    # The server marked the answers itself: three of five right, then all.
    assert (first.score, first.passed, second.score, second.passed) == (Decimal("0.6"), True, 1, True)
    assert {first.source, second.source} == {AttemptSource.OFFLINE}
    assert first.offline_id == entries[2]["id"] and second.submitted_at == earlier + timedelta(minutes=20)
    enrolment.refresh_from_db()
    # Complete when the first attempt passed (three of five is the pass mark), as it happened.
    assert enrolment.status == "completed" and enrolment.completed_at == earlier + timedelta(minutes=10)


def test_a_score_written_into_the_file_is_not_taken(world: World) -> None:
    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner)
    attempt = attempt_entry("m1q", DRAWN, {"qs1": "qs1b"}) | {"score": 1, "passed": True}
    # Even signed with the right key (dug out of the package), a claimed score changes nothing.
    offline_progress.upload(enrolment, json.dumps(progress_file(enrolment, [attempt])).encode())
    stored = QuizAttempt.objects.get(enrolment=enrolment)
    assert (stored.score, stored.passed) == (0, False)


def test_uploading_the_same_file_twice_counts_it_once(world: World) -> None:
    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner)
    client = signed_in(world.learner)
    data = progress_file(enrolment, [lesson_entry("m1l1"), attempt_entry("m1q", DRAWN, RIGHT_ANSWERS)])
    upload(client, data)
    before = state(enrolment)

    again = upload(client, data)
    assert said(again) == ["Everything in this progress file was already counted: nothing changed."]
    assert state(enrolment) == before

    # A later file from the same package holds the old entries and new ones: only these count.
    more = progress_file(enrolment, [*data["entries"], lesson_entry("m1l2")])
    assert said(upload(client, more)) == ["Your progress file was counted: 1 new entry."]
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1


def test_an_edited_file_is_refused_and_nothing_is_saved(world: World) -> None:
    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner)
    data = progress_file(enrolment, [lesson_entry("m1l1"), attempt_entry("m1q", DRAWN, {"qs1": "qs1b"})])
    data["entries"][1]["answers"] = RIGHT_ANSWERS
    before = state(enrolment)

    response = upload(signed_in(world.learner), data)
    assert response.status_code == 422
    assert "has been changed since the package wrote it" in response.content.decode()
    assert state(enrolment) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e, d: d | {"enrolment": e.pk + 1000}, "made by someone else"),
        (lambda e, d: d | {"version": 9}, "version of the package"),
        (lambda e, d: d | {"format": "other"}, "not a progress file"),
        (lambda e, d: {k: v for k, v in d.items() if k != "signature"}, "not a progress file"),
        (lambda e, d: b"{not json", "could not be read"),
        (lambda e, d: b"[" * 600_000 + b"]" * 600_000, "bigger than"),
    ],
)
def test_files_that_are_not_the_learners_own_are_refused(world: World, change: Any, message: str) -> None:
    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner)
    response = upload(
        signed_in(world.learner), change(enrolment, progress_file(enrolment, [lesson_entry("m1l1")]))
    )
    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ItemProgress.objects.exists()


def test_a_file_of_another_learner_is_refused(world: World) -> None:
    course = published(world, outline=outline(modules=1))
    theirs = enrol(course, world.outsider)
    enrol(course, world.learner)
    response = upload(signed_in(world.learner), progress_file(theirs, [lesson_entry("m1l1")]))
    assert response.status_code == 422
    assert not ItemProgress.objects.exists()


def test_a_learner_not_enrolled_cannot_upload(world: World) -> None:
    course = published(world, outline=outline(modules=1))
    theirs = enrol(course, world.learner)
    response = upload(signed_in(world.outsider), progress_file(theirs, [lesson_entry("m1l1")]))
    assert response.status_code == 422
    assert "not enrolled" in response.content.decode()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (lambda: lesson_entry("m1l1", timezone.now() + timedelta(days=2)), "in the future"),
        (lambda: lesson_entry("m1l1", timezone.now() - timedelta(days=400)), "before you enrolled"),
        (lambda: lesson_entry("gone"), "no longer has"),
        (lambda: lesson_entry("m1q"), "no longer has"),
        (lambda: attempt_entry("m1q", ["qs1", "nope"], {}), "does not have"),
        (lambda: attempt_entry("m1q", ["qs1", "qs1"], {}), "does not have"),
        # The quiz draws all five: an attempt on the one easy question was not made by the package.
        (lambda: attempt_entry("m1q", ["qt1"], {"qt1": True}), "has been changed"),
        (lambda: lesson_entry("m1l1") | {"id": "not-a-uuid"}, "has been changed"),
        (lambda: lesson_entry("m1l1") | {"at": "yesterday"}, "has been changed"),
        (lambda: attempt_entry("m1q", DRAWN, {}) | {"answers": ["qs1a"]}, "has been changed"),
    ],
)
def test_entries_that_cannot_be_right_refuse_the_whole_file(world: World, entry: Any, message: str) -> None:
    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner)
    enrolment.enrolled_at = timezone.now() - timedelta(days=30)
    enrolment.save()
    before = state(enrolment)
    data = progress_file(enrolment, [lesson_entry("m1l2"), entry()])
    response = upload(signed_in(world.learner), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert state(enrolment) == before


def test_an_attempt_beyond_those_allowed_is_skipped_and_said(world: World) -> None:
    course = published(world, outline=outline(modules=1, max_attempts=1))
    enrolment = enrol(course, world.learner)
    # The learner used the only attempt online after downloading the package.
    QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz_key="m1q",
        number=1,
        questions=DRAWN,
        submitted_at=timezone.now(),
        score=0,
        passed=False,
    )
    data = progress_file(enrolment, [lesson_entry("m1l1"), attempt_entry("m1q", DRAWN, RIGHT_ANSWERS)])
    response = upload(signed_in(world.learner), data)

    messages = said(response)
    assert messages[0] == "Your progress file was counted: 1 new entry."
    assert "You have used all 1 attempts at this quiz." in messages[1] and "English" not in messages[1]
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1
    assert ItemProgress.objects.filter(
        enrolment=enrolment, item_key="m1l1", completed_at__isnull=False
    ).exists()


def test_an_attempt_after_the_closing_date_is_skipped_one_before_it_counts(world: World) -> None:
    closes = timezone.now() - timedelta(hours=1)
    course = published(world, outline=outline(modules=1, closes_at=closes.isoformat()))
    enrolment = enrol(course, world.learner)
    enrolment.enrolled_at = timezone.now() - timedelta(days=3)
    enrolment.save()
    before_closing = attempt_entry("m1q", DRAWN, RIGHT_ANSWERS, closes - timedelta(hours=2))
    after_closing = attempt_entry("m1q", DRAWN, RIGHT_ANSWERS, closes + timedelta(minutes=30))
    response = upload(signed_in(world.learner), progress_file(enrolment, [after_closing, before_closing]))

    messages = said(response)
    assert messages[0] == "Your progress file was counted: 1 new entry."
    assert "This quiz closed on" in messages[1]
    assert list(QuizAttempt.objects.filter(enrolment=enrolment).values_list("offline_id", flat=True)) == [
        before_closing["id"]
    ]
    assert outlines.closes_at(outlines.find(course.outline, "m1q").item) == closes  # type: ignore[union-attr]


def test_the_upload_page_works_in_arabic(world: World) -> None:
    from django.utils import translation

    with translation.override("ar"):
        url = reverse("learning:offline_upload")
    page = signed_in(world.learner).get(url)
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
    assert Client().get(url).status_code == 302
