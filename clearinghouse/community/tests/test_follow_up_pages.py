"""The follow-up's pages: the organiser sets it from the event's or course's page and reads the
answers; the alumnus answers through their link, once, and may open a need or a ticket."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearinghouse.community import follow_up
from clearinghouse.community.models import FollowUpRequest
from clearinghouse.community.tests.follow_up_helpers import alumnus, took_part
from clearinghouse.events.tests.factories import published
from clearinghouse.helpdesk.models import Ticket
from clearinghouse.helpdesk.tests.factories import desk
from clearinghouse.learning.tests.factories import course
from clearinghouse.needs.models import Need

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_organisers_find_the_follow_up_on_the_event_page_and_set_it(world: Any) -> None:
    event = published(world)
    url = reverse("community:follow_up_set", args=[event.identifier])
    organiser = _signed_in(world.authorised_user)
    assert url in organiser.get(event.get_absolute_url()).content.decode()
    # Someone who does not manage the event sees no link and may not open the page.
    assert url not in _signed_in(world.outsider).get(event.get_absolute_url()).content.decode()
    assert _signed_in(world.outsider).get(url).status_code == 403
    assert _signed_in(world.outsider).post(url, {"months_after": 6}).status_code == 403
    assert Client().get(url).status_code == 302  # to sign in

    response = organiser.post(url, {"months_after": 30})
    assert response.status_code == 200 and follow_up.follow_up_of(event) is None
    response = organiser.post(url, {"months_after": 9})
    assert response.status_code == 302
    assert follow_up.follow_up_of(event).months_after == 9  # type: ignore[union-attr]


def test_the_set_page_takes_a_course_and_refuses_other_records(world: Any) -> None:
    the_course = course(world)
    organiser = _signed_in(world.authorised_user)
    url = reverse("community:follow_up_set", args=[the_course.identifier])
    assert url in organiser.get(the_course.get_absolute_url()).content.decode()
    assert organiser.post(url, {"months_after": 3}).status_code == 302
    assert organiser.get(reverse("community:follow_up_set", args=["NEED-KE-0001"])).status_code == 404


def _sent(world: Any, **who: Any) -> FollowUpRequest:
    event = published(world)
    took_part(
        alumnus(who.pop("name", "Amani Otieno"), **who), event, timezone.localdate() - timedelta(days=400)
    )
    follow_up.set_follow_up(event, actor=world.authorised_user, months=6)
    follow_up.run()
    return FollowUpRequest.objects.get()


def _answer_url(request: FollowUpRequest) -> str:
    return reverse("community:follow_up_answer", args=[follow_up.token_for(request)])


def test_an_alumnus_without_account_answers_once_and_asks_the_help_desk(world: Any) -> None:
    desk()
    request = _sent(world, language="fr")
    url = _answer_url(request)
    page = Client().get(url)
    assert page.status_code == 200
    assert 'value="need"' not in page.content.decode()  # no account: no need to open
    answer = {
        "applied": "some",
        "applied_how": "<script>alert(1)</script> A list of invasive species for our district.",
        "changed": "",
        "help_needed": "Training for the customs officers.",
        "then": "ticket",
    }
    response = Client().post(url, answer)
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.answered_at is not None and request.ticket is not None
    ticket = Ticket.objects.get()
    assert ticket.requester is None and ticket.requester_email == "amani.otieno@example.org"
    assert "Training for the customs officers." in ticket.articles.get().body
    # The page shows the answer, escaped.
    assert "&lt;script&gt;" in response.content.decode() and "<script>alert" not in response.content.decode()

    again = Client().post(url, answer | {"applied": "much", "then": ""})
    assert again.status_code == 409
    assert Ticket.objects.count() == 1
    request.refresh_from_db()
    assert request.applied == "some"


def test_a_bad_link_shows_an_error_and_saves_nothing(world: Any) -> None:
    request = _sent(world)
    forged = _answer_url(request)[:-3] + "xx/"
    response = Client().post(forged, {"applied": "much"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.answered_at is None


def test_the_link_answers_only_its_own_request_whoever_is_signed_in(world: Any) -> None:
    request = _sent(world)
    other = FollowUpRequest.objects.create(
        follow_up=request.follow_up,
        participation=took_part(alumnus("Layla Haddad"), request.follow_up.event, timezone.localdate()),  # type: ignore[arg-type]
        due_on=timezone.localdate(),
        sent_at=timezone.now(),
    )
    client = _signed_in(world.outsider)
    client.post(_answer_url(request), {"applied": "much", "request": other.pk, "then": ""})
    other.refresh_from_db()
    request.refresh_from_db()
    assert other.answered_at is None and request.applied == "much"


def test_a_party_officer_opens_a_draft_need_from_the_answer(world: Any) -> None:
    request = _sent(world, person=world.authorised_user, country=world.kenya)
    url = _answer_url(request)
    client = _signed_in(world.authorised_user)
    assert 'value="need"' in client.get(url).content.decode()
    response = client.post(
        url,
        {"applied": "much", "help_needed": "A field guide to invasive plants.\nIn Swahili.", "then": "need"},
    )
    request.refresh_from_db()
    need = request.need
    assert need is not None and need.owner_country == world.kenya and not need.live
    assert response.status_code == 302 and response["Location"].startswith(
        f"/en/needs/edit/{need.identifier}/"
    )
    assert need.title == {"en": "A field guide to invasive plants."}


def test_someone_who_may_not_register_needs_is_not_offered_one_and_a_forced_one_is_refused(
    world: Any,
) -> None:
    request = _sent(world, person=world.learner)
    url = _answer_url(request)
    assert 'value="need"' not in Client().get(url).content.decode()
    response = Client().post(url, {"applied": "much", "help_needed": "A mentor.", "then": "need"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.answered_at is None and not Need.objects.exists()


def test_organisers_read_the_answers_and_the_secretariat_lists_every_follow_up(world: Any) -> None:
    request = _sent(world, name="Amani Otieno")
    follow_up.answer(
        follow_up.token_for(request),
        follow_up.Answer("much", changed="Our district adopted an early-warning protocol."),
        language="en",
    )
    event = request.follow_up.event
    assert event is not None
    page = _signed_in(world.authorised_user).get(reverse("community:follow_up_set", args=[event.identifier]))
    content = page.content.decode()
    assert "Amani Otieno" in content and "early-warning protocol" in content
    listing = _signed_in(world.secretariat).get(reverse("community:follow_up_list"))
    assert event.identifier in listing.content.decode()
    assert _signed_in(world.authorised_user).get(reverse("community:follow_up_list")).status_code == 403
