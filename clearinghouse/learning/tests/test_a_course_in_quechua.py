"""A course whose every text is also written in Quechua can be studied in Quechua: the catalogue
names the language in its filter and in the course's facts, finds the course by it, and a learner
may choose it as their language of study."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.learning.enrolment_forms import language_choices
from clearinghouse.learning.models import Course

from .factories import course

pytestmark = pytest.mark.django_db


def _with_quechua(value: Any) -> Any:
    """The outline with a Quechua text beside each English one."""
    if isinstance(value, dict) and "en" in value and set(value) <= {"en", "fr", "ar"}:
        # Texts by language (accepted answers are lists of texts by language).
        english = value["en"]
        return value | {"qu": f"Runasimipi: {english}" if isinstance(english, str) else english}
    if isinstance(value, dict):
        return {key: _with_quechua(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_quechua(item) for item in value]
    return value


@pytest.fixture
def quechua_course(world: World) -> Course:
    made = course(world, outline_value=None, rule="completed")
    made.outline = _with_quechua(made.outline)
    made.title = made.title | {"qu": "Hawamanta hamuq kawsaqkuna"}
    made.save()
    return made


def test_the_course_can_be_studied_in_quechua_and_the_catalogue_says_so(
    quechua_course: Course, client: Client
) -> None:
    assert "qu" in quechua_course.languages
    # The six first, then Quechua.
    assert quechua_course.languages[-1] == "qu"

    page = client.get("/ru/learning/").content.decode()
    assert '<option value="qu">Кечуа</option>' in page
    listed = client.get("/en/learning/", {"language": "qu"}).content.decode()
    assert "Invasive species" in listed
    assert client.get("/en/learning/", {"language": "quz"}).content.decode().count("Invasive species") == 0


def test_a_learner_may_choose_quechua_as_their_language_of_study(quechua_course: Course) -> None:
    assert ("qu", "Quechua") in language_choices(quechua_course)
