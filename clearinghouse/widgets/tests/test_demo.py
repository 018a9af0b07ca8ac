"""The widgets' demo: Kenya's course, loaded once, complete in the six languages, shown by a
Kenyan website's course catalogue widget in Arabic."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from clearinghouse.accounts import demo as accounts_demo
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.learning.models import Course
from clearinghouse.widgets import demo


@pytest.mark.django_db
def test_kenyas_demo_course_loads_once_and_shows_in_its_catalogue_widget(client: Client) -> None:
    call_command("loadreference", stdout=StringIO())
    accounts_demo.load()

    first = demo.load()
    again = demo.load()

    assert "(1 new)" in first[0] and "(0 new)" in again[0]
    course = Course.objects.get()
    assert course.live
    assert course.owner_organisation is not None and course.owner_organisation.country.code == "KE"  # type: ignore[union-attr]
    assert set(course.languages) == set(CONTENT_LANGUAGES)
    data = json.loads(client.get("/widgets/courses.json", {"country": "KE", "lang": "ar"}).content)
    assert [item["title"] for item in data["items"]] == [course.title["ar"]]
