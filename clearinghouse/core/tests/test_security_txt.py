"""/.well-known/security.txt tells where to report a vulnerability (RFC 9116)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
@override_settings(SECURITY_CONTACT="mailto:security@cbd.example")
def test_security_txt_names_the_contact_and_a_future_expiry(client: Client) -> None:
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@cbd.example"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    # RFC 9116: in the future, and less than a year away.
    assert timedelta(days=300) < expires - datetime.now(UTC) <= timedelta(days=366)
