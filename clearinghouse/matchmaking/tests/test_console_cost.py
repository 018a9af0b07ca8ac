"""The console's cost does not grow with the cases it shows: what each row needs (the case's
request or need, its live matches, the "not relevant" feedback, the suggested records and their
explanations) is read with a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.tests.conftest import Scene, publish_need, publish_request
from clearinghouse.needs.models import Need, Request

# What a page of the console may cost, whatever it shows: the session and user, the page of
# cases, the feedback, the catalogue's version (is this host's cache current?), the stored
# profiles and embeddings, the needs and requests changed since (with their terms), the records
# of each kind suggested (courses among them), the stored explanations.
MOST_QUERIES = 28

TOPICS = (
    "Training of park rangers in reef monitoring",
    "Identification guides for invasive plants at border posts",
    "Seed bank management for drylands restoration",
    "Herbarium digitisation and specimen data",
    "Wetland inventory with remote sensing",
)


def _add_cases(scene: Scene, count: int, start: int) -> None:
    """Cases of every kind the console shows: for needs and for requests, some with a live
    match, some with "not relevant" feedback, some changed since the matcher last read them."""
    world = scene.world
    for number in range(start, start + count):
        need = publish_need(world, scene.commit, title=f"{TOPICS[number % len(TOPICS)]} ({number})")
        subject: Need | Request = publish_request(world, scene.commit, [need]) if number % 3 == 2 else need
        case = services.send_to_matchmaking(
            services.open_case(subject, actor=world.helpdesk_agent), actor=world.helpdesk_agent
        )
        if number % 5 == 0:
            services.shortlist(case, scene.offer, actor=world.helpdesk_agent)
        if number % 4 == 1:
            services.mark_not_relevant(
                case.subject, scene.offer.identifier, actor=world.helpdesk_agent, reason="Too far"
            )
        if number % 6 in (0, 2):
            # Saved since the matcher stored its profile: the profile is made from the row.
            type(case.subject).objects.filter(pk=case.subject.pk).update(updated_at=timezone.now())


def _queries(client: Client) -> int:
    client.get("/en/matchmaking/")  # anything computed once (explanations, the catalogue) is done
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/en/matchmaking/")
    assert response.status_code == 200
    return len(captured)


def test_the_console_costs_as_many_queries_for_fifteen_cases_as_for_five(
    scene: Scene, client: Client
) -> None:
    client.force_login(scene.world.helpdesk_agent)
    _add_cases(scene, 5, 0)
    five = _queries(client)
    _add_cases(scene, 10, 5)
    fifteen = _queries(client)
    page = client.get("/en/matchmaking/").content.decode()
    assert page.count("<li><a href=") >= 15  # every case shows its suggestions
    assert fifteen == five
    assert fifteen <= MOST_QUERIES
