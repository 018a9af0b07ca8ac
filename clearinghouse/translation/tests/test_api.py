"""The read-only API: translation requests (nobody named) and the coverage by language."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from clearinghouse.support.models import Resource
from clearinghouse.translation import services
from clearinghouse.translation.tests.conftest import Translators

pytestmark = pytest.mark.django_db


def test_the_requests_are_listed_and_filtered_without_naming_anyone(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.ask(actor=world.focal_point, identifier=guide.identifier, language="zh")
    services.ask(actor=world.learner, identifier=guide.identifier, language="ar")
    services.claim(actor=translators.lina, request=request)
    api = APIClient()
    body = api.get("/api/v1/translation/requests/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(row["language"], row["state"], row["requesters"]) for row in rows] == [
        ("zh", "claimed", 2),
        ("ar", "requested", 1),
    ]
    assert "translator" not in rows[0] and "Lina" not in str(body)
    body = api.get("/api/v1/translation/requests/", {"language": "ar"}).json()
    assert len(body["results"] if isinstance(body, dict) else body) == 1
    assert api.get("/api/v1/translation/requests/", {"state": "nonsense"}).status_code == 400


def test_the_coverage_is_given_by_type_and_language(world: Any, guide: Resource) -> None:
    services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    api = APIClient()
    rows = api.get("/api/v1/translation/coverage/", {"record_type": "RES"}).json()
    zh = next(row for row in rows if row["language"] == "zh")
    assert zh == {
        "record_type": "RES",
        "language": "zh",
        "published": 1,
        "with_texts": 0,
        "without_texts": 1,
        "waiting": 1,
        "in_progress": 0,
    }
    assert len(rows) == 6
    assert api.get("/api/v1/translation/coverage/", {"language": "de"}).status_code == 400
    # A filter naming no type selects nothing, as the requests' filters do.
    assert api.get("/api/v1/translation/coverage/", {"record_type": "XYZ"}).json() == []
