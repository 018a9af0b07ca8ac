"""A replay from the outbox (header X-Outbox: 1) gets JSON saying what became of it, with the
messages the page would have shown, in the language of the address."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.outbox.replies import errors_in
from clearinghouse.outbox.tests.urls import CALLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("clearinghouse.outbox.tests.urls")]
REPLAY = {"X-Outbox": "1"}


@pytest.fixture(autouse=True)
def _no_calls() -> None:
    CALLS.clear()


def _replay(client: Client, path: str, data: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = client.post(path, data | {"submission_id": str(uuid.uuid4())}, headers=REPLAY)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_a_received_form_says_sent_and_where_it_led(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    identifier = str(uuid.uuid4())
    first = client.post("/en/outbox-test/note/", {"text": "Hi", "submission_id": identifier}, headers=REPLAY)
    again = client.post("/en/outbox-test/note/", {"text": "Hi", "submission_id": identifier}, headers=REPLAY)
    # 200, not the redirect: fetch() would follow a redirect and lose where it led.
    assert first.status_code == again.status_code == 200
    assert first.json()["outcome"] == again.json()["outcome"] == "sent"
    assert first.json()["location"] == again.json()["location"] == "/en/about/"
    assert CALLS == ["Hi"]


def test_a_received_form_says_what_the_next_page_would_have_said_and_leaves_it_nowhere(
    world: World, client: Client
) -> None:
    client.force_login(world.focal_point)
    _status, body = _replay(client, "/en/outbox-test/note/", {"text": "Hi"})
    assert (body["outcome"], body["message"]) == ("sent", "Note kept.")
    _status, body = _replay(client, "/en/outbox-test/note/", {"text": "A note longer than most."})
    assert body["message"] == "Note kept. It is long."
    # Told in the outbox, the messages are not shown again on whatever page opens next.
    later = client.get("/en/about/").content.decode()
    assert "Note kept." not in later and "It is long." not in later


def test_a_received_form_without_messages_says_sent(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    _status, body = _replay(client, "/en/outbox-test/answer/201/", {})
    assert (body["outcome"], body["message"]) == ("sent", "Sent. The server received it.")


def test_a_refused_form_carries_the_messages_the_page_shows(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    status, body = _replay(client, "/en/outbox-test/note/", {"text": ""})
    assert status == 400
    assert body["outcome"] == "invalid"
    assert body["errors"] == ["Write the note."], "the summary and the field repeat it: once is enough"


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(403, "forbidden"), (404, "gone"), (410, "gone"), (409, "conflict"), (500, "error"), (503, "error")],
)
def test_each_answer_has_its_outcome(world: World, client: Client, status: int, outcome: str) -> None:
    client.force_login(world.focal_point)
    answered, body = _replay(client, f"/en/outbox-test/answer/{status}/", {})
    assert (answered, body["outcome"]) == (status, outcome)
    assert body["message"]


def test_a_session_that_expired_says_signed_out_and_is_not_kept(client: Client) -> None:
    identifier = str(uuid.uuid4())
    response = client.post("/en/outbox-test/private/", {"submission_id": identifier}, headers=REPLAY)
    assert response.status_code == 401
    assert response.json()["outcome"] == "signed_out"
    assert CALLS == [], "the view never ran: the sign-in page took the request"


def test_the_message_is_in_the_language_of_the_address(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    _status, body = _replay(client, "/ar/outbox-test/answer/403/", {})
    assert body["message"] == "لا يُسمح لك بإرسال هذا النموذج."


def test_a_bad_identifier_is_an_invalid_replay(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    response = client.post("/en/outbox-test/note/", {"text": "x", "submission_id": "nope"}, headers=REPLAY)
    assert response.status_code == 400
    assert response.json()["outcome"] == "invalid"


def test_a_replay_needs_the_security_token_like_any_form(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.focal_point)
    response = client.post(
        "/en/outbox-test/note/", {"text": "x", "submission_id": str(uuid.uuid4())}, headers=REPLAY
    )
    assert response.json()["outcome"] == "forbidden"
    token = client.get("/outbox/token")
    assert token["Cache-Control"].startswith("max-age=0") or "no-store" in token["Cache-Control"]
    fresh = token.json()["token"]
    sent = client.post(
        "/en/outbox-test/note/",
        {"text": "x", "submission_id": str(uuid.uuid4())},
        headers=REPLAY | {"X-CSRFToken": fresh},
    )
    assert sent.json()["outcome"] == "sent"


def test_errors_are_read_from_lists_and_alerts() -> None:
    html = (
        '<div role="alert"><h2>There is a problem</h2><p>Your question could not be sent.</p></div>'
        '<ul class="errorlist nonfield"><li>Give a title.</li><li>Give a title.</li></ul>'
        '<ul class="messages" role="status"><li>Draft saved.</li></ul>'
    )
    assert errors_in(html) == ["Your question could not be sent.", "Give a title."]
