"""The API contract: the schema is valid OpenAPI 3, matches the committed snapshot, and the
running API keeps to it under generated input (schemathesis, in process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from openapi_spec_validator import validate

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"


@pytest.fixture
def live_schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema: dict[str, Any] = yaml.safe_load(response.content)
    return schema


@pytest.mark.django_db
def test_schema_is_valid_openapi(live_schema: dict[str, Any]) -> None:
    validate(live_schema)


@pytest.mark.django_db
def test_schema_matches_the_committed_snapshot(live_schema: dict[str, Any]) -> None:
    # A change to the API must be deliberate: regenerate with `make openapi` and review the diff.
    assert SNAPSHOT.exists(), "docs/openapi.yaml is missing: run `make openapi`"
    assert yaml.safe_load(SNAPSHOT.read_text()) == live_schema


@pytest.fixture
def api(db: None) -> Iterator[Any]:
    # The raw WSGI app closes the database connection after each request, which would end the
    # test's transaction; Django's own test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    # Text never holds NUL characters (PostgreSQL cannot store them; Django's fields refuse
    # them with a 400), so generated "valid" strings leave them out.
    loaded.config.generation.update(allow_x00=False, max_examples=60, deterministic=True)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api")


@schema.parametrize()
def test_api_keeps_to_its_schema(case: Any) -> None:
    # The WSGI client does not decompress: ask for plain bodies.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
