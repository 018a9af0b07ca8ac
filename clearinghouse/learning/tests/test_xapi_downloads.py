"""A learner downloads their own statements; the Secretariat sees what waits for the store and
exports every statement as JSON lines; nobody else gets them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from clearinghouse.learning import progress
from clearinghouse.learning.models import Activity
from clearinghouse.learning.tests.xapi_factories import enrol, published_course


@pytest.fixture
def two_learners(world: Any) -> Any:
    course = published_course(world)
    mine = enrol(course, world.learner)
    theirs = enrol(course, world.outsider)
    progress.record(mine, "l1", completed=True)
    progress.record(theirs, "l1", completed=True)
    progress.record(theirs, "s1", completed=True)
    return mine, theirs


def test_a_learner_downloads_their_own_statements_only(client: Client, world: Any, two_learners: Any) -> None:
    mine, _theirs = two_learners
    client.force_login(world.learner)
    response = client.get(reverse("learning:my_statements"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert [s["id"] for s in document["statements"]] == [
        str(pk) for pk in Activity.objects.filter(enrolment=mine).values_list("pk", flat=True)
    ]
    assert document["more"] == ""


def test_signing_in_is_needed_to_download_statements(client: Client, two_learners: Any) -> None:
    response = client.get(reverse("learning:my_statements"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@override_settings(LEARNING_LRS_ENDPOINT="https://lrs.example.org/xapi")
def test_the_secretariat_sees_what_waits_and_exports_every_statement(
    client: Client, world: Any, two_learners: Any
) -> None:
    Activity.objects.filter(pk=Activity.objects.first().pk).update(  # type: ignore[union-attr]
        send_attempts=2, last_error="HTTP 503: down"
    )
    client.force_login(world.secretariat)
    page = client.get(reverse("learning:statements"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "3 statements recorded." in text
    assert "3 statements are waiting to be sent." in text
    assert "HTTP 503: down" in text

    export = client.get(reverse("learning:statements_export"))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(export.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(
        str(pk) for pk in Activity.objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("who", ["learner", "trainer", "focal_point"])
def test_only_the_secretariat_exports_statements(
    client: Client, world: Any, two_learners: Any, who: str
) -> None:
    client.force_login(getattr(world, who))
    assert client.get(reverse("learning:statements")).status_code == 403
    assert client.get(reverse("learning:statements_export")).status_code == 403


def test_the_secretariat_page_reads_in_arabic(client: Client, world: Any, two_learners: Any) -> None:
    client.force_login(world.secretariat)
    with override_settings(LANGUAGE_CODE="ar"):
        page = client.get(reverse("learning:statements").replace("/en/", "/ar/"))
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
