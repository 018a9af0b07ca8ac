"""The courses API lists published courses with their whole outline, and never a quiz's answers:
no right choice, truth of a statement, accepted answer, pairing or feedback."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.learning.tests.course_factories import make_course, terms, vocabularies  # noqa: F401

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_the_api_lists_published_courses_with_their_outline_and_no_answers(
    world: World, client: Client
) -> None:
    course = make_course(world, subjects=terms("SUBJ-FINANCE"))
    make_course(world, title="Draft course", publish=False)
    listing = client.get("/api/v1/courses/").json()
    assert [row["identifier"] for row in listing["results"]] == [course.identifier]
    detail = client.get(f"/api/v1/courses/{course.identifier}/")
    body = detail.json()
    assert body["languages"] == ["en"] and body["subjects"] == ["SUBJ-FINANCE"]
    quiz = body["outline"]["modules"][1]["items"][1]
    assert quiz["type"] == "quiz" and quiz["pass_mark"] == 60
    assert [q["kind"] for q in quiz["questions"]] == ["single", "multiple", "true_false", "short", "matching"]
    assert quiz["questions"][0]["choices"][0] == {"key": "q1-s1", "text": {"en": "Nagoya Protocol"}}
    text = json.dumps(body)
    for leak in (
        '"correct"',
        '"answer"',
        '"accepted"',
        '"feedback"',
        "prior informed consent",
        '"pairs"',
        '"right"',
        'q1-p1", "text": {"en": "Biosafety',
    ):
        assert leak not in text, leak
    # The matching question's two sides are there, but not which goes with which.
    matching = quiz["questions"][4]
    assert {item["key"] for item in matching["items"]} == {"q1-p1", "q1-p2"}
    assert all("key" not in match for match in matching["matches"])
    # Drafts are not in the API, even by their identifier; filters work as on the page.
    assert client.get("/api/v1/courses/", {"subject": "SUBJ-FINANCE"}).json()["count"] == 1
    assert client.get("/api/v1/courses/", {"language": "fr"}).json()["count"] == 0


def test_a_draft_is_not_served(world: World, client: Client) -> None:
    draft = make_course(world, publish=False)
    assert client.get(f"/api/v1/courses/{draft.identifier}/").status_code == 404
