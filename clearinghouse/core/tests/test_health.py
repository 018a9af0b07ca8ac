from unittest import mock

import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_endpoint_reports_database_and_queue(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_endpoint_is_unavailable_when_the_queue_is_down(client: Client) -> None:
    with mock.patch("clearinghouse.core.health.HUEY.pending_count", side_effect=ConnectionError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_health_endpoint_is_unavailable_when_the_database_is_down(client: Client) -> None:
    with mock.patch("clearinghouse.core.health.connection.cursor", side_effect=OSError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
