""" "My work": each person sees what waits for them, and only that, with counts and links; the
header offers each role exactly the places it may use."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from clearinghouse.accounts.models import AccessRequest
from clearinghouse.core.testing import World

# The header's own places of each person of the test world, in order.
PLACES = {
    "secretariat": [
        "My work",
        "Review queue",
        "Help desk",
        "Matchmaking console",
        "Quality dashboard",
        "Needs seeking support",
        "My needs and requests",
        "My translation requests",
        "My support records",
        "My events",
        "Courses I write",
        "Translation queue",
        "My reviews",
        "My imports",
        "Harvest sources",
        "My saved searches",
        "Roles and appointments",
        "API tokens",
        "Follow-up of the alumni",
        "Learning statements (xAPI)",
        "LTI tools and platforms",
        "Translators",
    ],
    "focal_point": [
        "My work",
        "Review queue",
        "My matches",
        "Needs seeking support",
        "My needs and requests",
        "My Party's targets and reports",
        "Our national CHM",
        "My translation requests",
        "My support records",
        "My events",
        "Courses I write",
        "My imports",
        "My saved searches",
        "Roles and appointments",
        "My ratings",
        "API tokens",
    ],
    "authorised_user": [
        "My work",
        "My matches",
        "Needs seeking support",
        "My needs and requests",
        "My Party's targets and reports",
        "My translation requests",
        "My support records",
        "My events",
        "Courses I write",
        "My imports",
        "My saved searches",
        "My ratings",
        "API tokens",
    ],
    "partner_editor": [
        "My work",
        "My matches",
        "Needs seeking support",
        "My needs and requests",
        "My translation requests",
        "My support records",
        "My events",
        "Courses I write",
        "My imports",
        "My saved searches",
        "My ratings",
        "API tokens",
    ],
    "helpdesk_agent": [
        "My work",
        "Help desk",
        "Matchmaking console",
        "Quality dashboard",
        "Needs seeking support",
        "My translation requests",
        "My reviews",
        "My saved searches",
        "API tokens",
    ],
    "trainer": [
        "My work",
        "My translation requests",
        "Courses I write",
        "My saved searches",
        "API tokens",
    ],
    "learner": ["My work", "My translation requests", "My saved searches", "API tokens"],
}


def _places(html: str) -> list[str]:
    nav = re.search(r'<nav class="work-nav"[^>]*>(.*?)</nav>', html, re.S)
    return [unescape(label) for label in re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(1))] if nav else []


def _dashboard(client: Client, person: Any) -> str:
    client.force_login(person)
    response = client.get("/en/work/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", sorted(PLACES))
def test_the_header_offers_each_role_exactly_its_places(world: World, client: Client, role: str) -> None:
    assert _places(_dashboard(client, getattr(world, role))) == PLACES[role]


def test_the_public_has_no_places_and_is_asked_to_sign_in_for_a_dashboard(
    world: World, client: Client
) -> None:
    assert _places(client.get("/en/").content.decode()) == []
    response = client.get("/en/work/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_each_role_sees_the_work_waiting_for_it(busy_world: World, client: Client) -> None:
    world = busy_world
    page = _dashboard(client, world.focal_point)
    # Kenya's submitted need, the outsider's request for access to Kenya.
    assert "1 record waiting for your review" in page and "Seed bank curators" in page
    assert "1 access request waiting for your decision" in page and "Ivan Petrov" in page
    assert "Help-desk cases" not in page

    page = _dashboard(client, world.other_focal_point)
    assert "0 records waiting for your review" in page
    assert "access request" not in page

    page = _dashboard(client, world.partner_editor)
    # Nature Kenya's offer was proposed for Kenya's request: the provider's answer is awaited.
    assert "1 match waiting for your answer" in page
    assert f"/en/matchmaking/matches/{world.match.pk}/" in page  # type: ignore[attr-defined]
    assert "waiting for your review" not in page

    page = _dashboard(client, world.authorised_user)
    # Kenya's requester has nothing to answer until the provider accepts.
    assert "0 matches waiting for your answer" in page

    page = _dashboard(client, world.iplc_representative)
    assert "1 draft or returned record of yours" in page and "Community seed registers" in page

    page = _dashboard(client, world.helpdesk_agent)
    assert "1 case assigned to you" in page and "0 cases nobody has taken" in page
    assert f"/en/matchmaking/cases/{world.case.pk}/" in page  # type: ignore[attr-defined]

    page = _dashboard(client, world.learner)
    assert "Invasive species" in page and "Get a role" in page
    assert 'action="/en/people/access/"' in page


def test_a_person_without_a_role_asks_for_one_from_the_dashboard(world: World, client: Client) -> None:
    page = _dashboard(client, world.learner)
    assert "Get a role" in page and 'name="message"' in page
    response = client.post("/en/people/access/", {"organisation": world.kenyan_ngo.pk, "message": "Hello"})
    assert response["Location"] == "/en/work/"
    page = client.get("/en/work/").content.decode()
    assert "your request is waiting for a decision" in page
    # One request at a time: the form gives way to the request's state.
    assert 'name="message"' not in page
    assert AccessRequest.objects.filter(requester=world.learner, outcome="").count() == 1
    # People with a role are not asked to get one.
    assert "Get a role" not in _dashboard(client, world.authorised_user)


@pytest.mark.parametrize("person", ["secretariat", "focal_point", "learner"])
def test_the_dashboard_reads_a_handful_of_queries(
    busy_world: World, client: Client, django_assert_max_num_queries: Any, person: str
) -> None:
    client.force_login(getattr(busy_world, person))
    client.get("/en/work/")
    # Session, person, roles, one query per record type for reviews and drafts (the tests' own
    # record types included), and one or two per area (the help desk: its desks and their counts,
    # and the person's own questions; whether their consent as an alumnus is asked; whether they
    # asked for translations; their Parties' national targets): it does not grow with the work
    # waiting.
    with django_assert_max_num_queries(37):
        assert client.get("/en/work/").status_code == 200
