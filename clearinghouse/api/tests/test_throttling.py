"""Request rates: past its allowance a client gets 429 in its language, with Retry-After;
anonymous clients are counted per address, signed-in people per person."""

from __future__ import annotations

from django.test import Client, override_settings

from clearinghouse.core.testing import World, token_headers

LOW = {"anonymous": "2/minute", "signed_in": "3/minute"}


@override_settings(API_THROTTLE_RATES=LOW)
def test_anonymous_clients_are_throttled_with_retry_after(client: Client, db: None) -> None:
    assert [client.get("/api/v1/languages/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/languages/", headers={"accept-language": "fr"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["errors"][0]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Trop de requêtes.")
    assert response["Retry-After"] in error["message"]


@override_settings(API_THROTTLE_RATES=LOW)
def test_a_person_is_throttled_whatever_the_number_of_their_tokens(world: World, client: Client) -> None:
    first, second = token_headers(world.partner_editor), token_headers(world.partner_editor)
    statuses = [
        client.get("/api/v1/matches/", headers=headers).status_code for headers in (first, second, first)
    ]
    assert statuses == [200, 200, 200]
    assert client.get("/api/v1/matches/", headers=second).status_code == 429
    # Someone else's allowance is their own.
    assert client.get("/api/v1/matches/", headers=token_headers(world.focal_point)).status_code == 200


@override_settings(API_THROTTLE_RATES={"anonymous": "4/minute", "signed_in": "2/minute"})
def test_anonymous_clients_have_the_anonymous_rate_whatever_the_signed_in_one(
    client: Client, db: None
) -> None:
    statuses = [client.get("/api/v1/languages/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
