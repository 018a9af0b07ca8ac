"""The demo's courses: six published, each written in a different one of the six languages,
several complete in a second language, with quizzes of every kind; one more waiting for review;
loaded once however often the demo runs."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from clearinghouse.accounts import demo as accounts_demo
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.learning import demo
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course
from clearinghouse.publishing.models import State


def test_the_demo_data_covers_every_language_and_kind_of_question() -> None:
    rows = demo.rows()
    published = [row for row in rows if row["state"] == "published"]
    assert len(published) >= 6
    assert Counter(demo.original_language(row) for row in published).keys() == set(CONTENT_LANGUAGES)
    assert sum(1 for row in published if len(row["title"]) >= 2) >= 3
    assert [row["state"] for row in rows].count("submitted") == 1
    kinds_by_course = []
    for row in rows:
        built = demo.outline_of(row)
        assert outlines.problems(built) == [], row["title"]
        assert 2 <= len(built["modules"]) <= 4
        quizzes = outlines.of_type(built, "quiz")
        assert quizzes, row["title"]
        kinds_by_course.append({q["kind"] for quiz in quizzes for q in quiz["questions"]})
        # Each language of the title is a full language version of the course.
        assert set(outlines.complete_languages(built, row["title"])) == set(row["title"])
        assert all(len(kinds) >= 2 for kinds in kinds_by_course)
    assert any(kinds == set(outlines.QUESTION_KINDS) for kinds in kinds_by_course)


@pytest.mark.django_db
def test_the_demo_courses_load_once_through_the_review() -> None:
    out = StringIO()
    call_command("loadreference", stdout=out)
    accounts_demo.load()
    first = demo.load()
    counts = (Course.objects.count(), Course.objects.filter(live=True).count())
    again = demo.load()
    assert (Course.objects.count(), Course.objects.filter(live=True).count()) == counts == (7, 6)
    assert "(7 new)" in first[0] and "(0 new)" in again[0]
    trainer = accounts_demo.demo_person("trainer")
    assert set(Course.objects.values_list("created_by", flat=True)) == {trainer.pk}
    waiting = Course.objects.get(live=False)
    assert waiting.state == State.SUBMITTED
    assert {course.original_language for course in Course.objects.filter(live=True)} == set(CONTENT_LANGUAGES)
    finance = Course.objects.get(title__icontains="finance plan")
    assert finance.languages == ["en", "fr"]
    assert all(course.owner_organisation_id for course in Course.objects.all())
