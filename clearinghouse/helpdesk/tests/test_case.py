"""A ticket becomes a matchmaking case without retyping: on the published need or request it
links (or the signed-in requester's Party's open need), with the ticket's first message as the
requester's words; without such a record, the agent is told what to link and nothing is made
up. The ticket shows its case, and the case the ticket it came from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from clearinghouse.core.testing import World
from clearinghouse.helpdesk import case as cases
from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import Desk, EventKind, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_agent import regional_desk
from clearinghouse.matching import index
from clearinghouse.matchmaking.models import Case
from clearinghouse.matchmaking.tests.conftest import publish_need, publish_request
from clearinghouse.needs.models import Need
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = pytest.mark.django_db

ARABIC_QUESTION = "نحتاج إلى تدريب موظفي الجمارك على التعرف على الأنواع الغريبة الغازية."


@pytest.fixture(autouse=True)
def _matcher(tmp_path: Path) -> Iterator[None]:
    # Publishing a need feeds the matcher: the word-hashing stand-in, in a directory of its own.
    with override_settings(
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
        MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder",
        MEDIA_ROOT=tmp_path / "media",
    ):
        index.forget()
        yield
        index.forget()


@pytest.fixture
def need(world: World, django_capture_on_commit_callbacks: Any) -> Need:
    load_vocabularies(data_files())
    return publish_need(world, django_capture_on_commit_callbacks)


@pytest.fixture
def central(world: World) -> Desk:
    return factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)


def _arabic_web_question(**fields: Any) -> Ticket:
    return factories.ticket(
        subject="طلب شريك للتدريب",
        body=ARABIC_QUESTION,
        language="ar",
        requester_name="سلمى",
        **fields,
    )


def test_an_arabic_web_question_becomes_a_case_on_the_need_it_links(
    world: World, central: Desk, need: Need, client: Client
) -> None:
    ticket = _arabic_web_question(records=[need.identifier])
    client.force_login(world.helpdesk_agent)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Open a matchmaking case" in page
    response = client.post(f"/en/helpdesk/tickets/{ticket.reference}/case/", {"identifier": need.identifier})
    assert response.status_code == 302
    case = Case.objects.get()
    ticket.refresh_from_db()
    # Nothing retyped: the case is the need's, with the requester's own words.
    assert ticket.case == case and case.need == need
    assert case.request_note == ARABIC_QUESTION
    assert case.opened_by == world.helpdesk_agent
    assert ticket.events.filter(kind=EventKind.CASE, detail=need.identifier).exists()
    # Each page leads to the other.
    assert case.get_absolute_url() in client.get(ticket.get_absolute_url()).content.decode()
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert ticket.get_absolute_url() in case_page and ARABIC_QUESTION in case_page


def test_without_a_published_need_or_request_nothing_is_invented(
    world: World, central: Desk, client: Client
) -> None:
    ticket = _arabic_web_question()
    with pytest.raises(services.HelpdeskError) as refused:
        cases.open_case(ticket, actor=world.helpdesk_agent)
    assert "link the published need or request this ticket is about" in str(refused.value.messages)
    client.force_login(world.helpdesk_agent)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "link the published need or request this ticket is about" in page
    response = client.post(f"/en/helpdesk/tickets/{ticket.reference}/case/", {"identifier": "X"}, follow=True)
    page = response.content.decode()
    assert '<li class="error">A matchmaking case is opened on a published need or request' in page
    assert "link the published need or request this ticket is about" in page
    assert not Case.objects.exists()
    ticket.refresh_from_db()
    assert ticket.case is None


def test_a_signed_in_requesters_party_needs_are_offered(world: World, central: Desk, need: Need) -> None:
    # The Kenyan authorised user asks while signed in; they link nothing.
    ticket = factories.ticket(requester=world.authorised_user, requester_email="", body="We need a partner.")
    assert cases.candidates(ticket) == [need]
    case = cases.open_case(ticket, actor=world.helpdesk_agent, identifier=need.identifier)
    assert case.need == need and case.request_note == "We need a partner."


def test_an_anonymous_requester_is_offered_only_what_the_ticket_links(
    world: World, central: Desk, need: Need
) -> None:
    ticket = factories.ticket(country=world.kenya)
    assert cases.candidates(ticket) == []


def test_a_case_on_a_request_keeps_the_requests_case(
    world: World, central: Desk, need: Need, django_capture_on_commit_callbacks: Any
) -> None:
    # A published request has its case from its publication: the ticket joins it.
    request = publish_request(world, django_capture_on_commit_callbacks, [need])
    ticket = _arabic_web_question(records=[request.identifier])
    case = cases.open_case(ticket, actor=world.helpdesk_agent)
    assert case.request == request and Case.objects.count() == 1
    assert list(case.tickets.all()) == [ticket]
    with pytest.raises(services.HelpdeskError):
        cases.open_case(ticket, actor=world.helpdesk_agent)


def test_a_regional_desks_agent_opens_the_case_too(world: World, central: Desk, need: Need) -> None:
    # The trainer is also an agent of a partner institution's desk.
    africa = regional_desk(world.trainer)
    ticket = _arabic_web_question(desk=africa, records=[need.identifier])
    case = cases.open_case(ticket, actor=world.trainer)
    assert case.opened_by == world.trainer


def test_only_the_desks_agents_open_a_case(world: World, central: Desk, need: Need) -> None:
    ticket = _arabic_web_question(records=[need.identifier])
    with pytest.raises(services.NotAllowed):
        cases.open_case(ticket, actor=world.focal_point)
    assert not Case.objects.exists()
