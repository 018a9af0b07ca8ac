"""Behind a TLS-terminating proxy (HTTPS=true) every plain-HTTP request is sent to https, except
the proxy's own health check, which asks over plain HTTP and must get an answer, not a redirect
(and the metrics scraper, core/tests/test_observability.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

BEHIND_TLS = override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    ALLOWED_HOSTS=["clearinghouse.example.org"],
)


@pytest.mark.django_db
@BEHIND_TLS
def test_the_health_check_answers_over_plain_http() -> None:
    response = Client(HTTP_HOST="clearinghouse.example.org").get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
@BEHIND_TLS
def test_every_other_plain_http_request_moves_to_https() -> None:
    client = Client(HTTP_HOST="clearinghouse.example.org")
    for path in ("/en/", "/api/v1/countries/", "/healthz/", "/healthzx", "/en/healthz"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == f"https://clearinghouse.example.org{path}"


@pytest.mark.django_db
@BEHIND_TLS
def test_requests_the_proxy_marks_as_https_are_served() -> None:
    response = Client(HTTP_HOST="clearinghouse.example.org").get("/en/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_only_the_health_check_and_the_metrics_are_exempt() -> None:
    assert settings.SECURE_REDIRECT_EXEMPT == [r"^healthz$", r"^metrics$"]
