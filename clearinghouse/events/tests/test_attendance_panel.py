"""The attendance panel of the event's page (core's detail.html includes it): links by role,
and the participation tables when they may be shown."""

from __future__ import annotations

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event, Gender
from clearinghouse.events.tests.attendance_factories import make_event, register


def _panel(event: Event, user: object) -> str:
    request = RequestFactory().get("/en/")
    request.user = user  # type: ignore[assignment]
    return Template('{% include "events/attendance/panel.html" %}').render(
        Context({"event": event, "request": request})
    )


def test_organisers_get_the_desk_and_exact_figures(world: World) -> None:
    event = make_event(world)
    for number in range(3):
        register(event, f"Person {number}", gender=Gender.WOMAN)
    html = _panel(event, world.authorised_user)
    assert "Check-in desk" in html and "Certificates of attendance" in html
    assert "Exact figures" in html and "fewer than 5" not in html


def test_before_the_event_others_see_nothing_and_after_it_protected_figures(world: World) -> None:
    coming = make_event(world)
    register(coming, "Listed", listed=True)
    html = _panel(coming, world.outsider)
    assert "Participants (Excel)" in html
    assert "<table" not in html and "Check-in desk" not in html
    past = make_event(world, past=True)
    for number in range(3):
        register(past, f"Person {number}", gender=Gender.WOMAN, checked_in_at=timezone.now())
    html = _panel(past, world.outsider)
    assert "fewer than 5" in html and "Check-in desk" not in html


def test_a_participant_finds_their_ticket_and_certificate(world: World) -> None:
    past = make_event(world, past=True)
    register(past, "Mei Wang", person=world.learner, checked_in_at=timezone.now())
    html = _panel(past, world.learner)
    assert "Your ticket" in html and "Your certificate of attendance" in html
