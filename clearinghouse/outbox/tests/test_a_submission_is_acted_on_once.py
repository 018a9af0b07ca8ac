"""A form sent with a client-generated identifier is acted on once: the same identifier again
gets the first answer without the view running; a refused one may be corrected and sent again;
nobody else can use it; a second arrival while the first is received is told so."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.outbox import services
from clearinghouse.outbox.models import Submission
from clearinghouse.outbox.tests.urls import CALLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("clearinghouse.outbox.tests.urls")]


@pytest.fixture(autouse=True)
def _no_calls() -> None:
    CALLS.clear()


def test_the_same_identifier_twice_runs_the_view_once_and_answers_as_the_first_time(
    world: World, client: Client
) -> None:
    client.force_login(world.focal_point)
    identifier = str(uuid.uuid4())
    first = client.post("/en/outbox-test/note/", {"text": "Rangers", "submission_id": identifier})
    second = client.post("/en/outbox-test/note/", {"text": "Rangers", "submission_id": identifier})
    assert CALLS == ["Rangers"], "the repeat must not reach the view: nothing is saved twice"
    assert (
        (second.status_code, second["Location"])
        == (first.status_code, first["Location"])
        == (302, "/en/about/")
    )
    stored = Submission.objects.get()
    assert (stored.person, stored.status_code, stored.location) == (world.focal_point, 302, "/en/about/")


def test_the_identifier_may_come_as_a_header(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    identifier = str(uuid.uuid4())
    for _ in range(2):
        client.post("/en/outbox-test/note/", {"text": "Once"}, headers={"X-Submission-Id": identifier})
    assert CALLS == ["Once"]


def test_a_refused_submission_is_forgotten_so_the_corrected_one_is_accepted(
    world: World, client: Client
) -> None:
    client.force_login(world.focal_point)
    identifier = str(uuid.uuid4())
    refused = client.post("/en/outbox-test/note/", {"text": "", "submission_id": identifier})
    assert refused.status_code == 400
    assert not Submission.objects.exists()
    corrected = client.post("/en/outbox-test/note/", {"text": "Now written", "submission_id": identifier})
    assert corrected.status_code == 302
    assert CALLS == ["", "Now written"]


def test_another_person_cannot_use_an_identifier(world: World, client: Client) -> None:
    identifier = str(uuid.uuid4())
    client.force_login(world.focal_point)
    client.post("/en/outbox-test/note/", {"text": "Mine", "submission_id": identifier})
    client.force_login(world.outsider)
    response = client.post("/en/outbox-test/note/", {"text": "Theirs", "submission_id": identifier})
    assert response.status_code == 409
    assert CALLS == ["Mine"]
    assert Submission.objects.get().person == world.focal_point


def test_a_second_arrival_while_the_first_is_received_is_told_it_is_busy(
    world: World, client: Client
) -> None:
    client.force_login(world.focal_point)
    identifier = uuid.uuid4()
    # The first arrival has claimed the identifier and its view is still running.
    claim = services.claim(
        identifier, person_id=world.focal_point.pk, path="/en/outbox-test/note/", method="POST"
    )
    assert claim.verdict is services.Verdict.CLAIMED
    response = client.post("/en/outbox-test/note/", {"text": "Again", "submission_id": str(identifier)})
    assert response.status_code == 409
    assert "already being received" in response.content.decode()
    assert CALLS == []
    replay = client.post(
        "/en/outbox-test/note/",
        {"text": "Again", "submission_id": str(identifier)},
        headers={"X-Outbox": "1"},
    )
    assert replay.json()["outcome"] == "busy"


def test_a_claim_abandoned_by_a_dead_request_is_taken_over(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    identifier = uuid.uuid4()
    services.claim(identifier, person_id=world.focal_point.pk, path="/", method="POST")
    Submission.objects.update(received_at=timezone.now() - timedelta(minutes=11))
    response = client.post("/en/outbox-test/note/", {"text": "Taken over", "submission_id": str(identifier)})
    assert response.status_code == 302
    assert CALLS == ["Taken over"]


def test_an_identifier_that_is_not_a_uuid_is_refused_clearly(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    response = client.post("/fr/outbox-test/note/", {"text": "Hello", "submission_id": "1234"})
    assert response.status_code == 400
    assert "L’identifiant de l’envoi n’est pas valide" in response.content.decode()
    assert CALLS == []


def test_without_an_identifier_nothing_changes(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    client.post("/en/outbox-test/note/", {"text": "One"})
    client.post("/en/outbox-test/note/", {"text": "One"})
    assert CALLS == ["One", "One"]
    assert not Submission.objects.exists()


def test_answers_older_than_thirty_days_are_pruned(world: World) -> None:
    old, recent = uuid.uuid4(), uuid.uuid4()
    for identifier in (old, recent):
        services.finish(
            services.claim(identifier, person_id=None, path="/", method="POST").submission,
            status_code=302,
            location="/",
        )
    Submission.objects.filter(identifier=old).update(received_at=timezone.now() - timedelta(days=31))
    assert services.prune() == 1
    assert list(Submission.objects.values_list("identifier", flat=True)) == [recent]
