"""Personal agendas: the page, the iCal file and the PDF, in the reader's language and the
event's time; seen by the participant once published, by the organisers always, by no one else."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from icalendar import Calendar

from clearinghouse.core.testing import World
from clearinghouse.events import schedules
from clearinghouse.events.models import BroughtItem, Meeting
from clearinghouse.events.tests.schedule_scene import Scene, accepted, build_scene


def _published(world: World) -> Scene:
    scene = build_scene(world)
    # Out of time order on purpose: the agenda sorts them.
    Meeting.objects.create(
        request=accepted(scene.mei, scene.akinyi, about="CB-NEED-KE-000007"),
        slot=scene.slots[2],
        table=scene.tables[1],
    )
    Meeting.objects.create(
        request=accepted(scene.pierre, scene.mei, 3), slot=scene.slots[0], table=scene.tables[0]
    )
    BroughtItem.objects.create(registration=scene.akinyi, identifier="CB-OFFER-KE-000003")
    schedules.publish(scene.event, actor=scene.organiser)
    return scene


def _url(scene: Scene, language: str = "en", suffix: str = "") -> str:
    return f"/{language}/events/{scene.event.identifier}/agenda/{scene.mei.pk}/{suffix}"


def test_the_agenda_page_lists_the_meetings_in_time_order_in_the_event_s_time(
    world: World, client: Client
) -> None:
    scene = _published(world)
    client.force_login(world.learner)
    response = client.get(f"/en/events/{scene.event.identifier}/agenda/")
    assert response.status_code == 302 and response["Location"].endswith(_url(scene))
    page = client.get(_url(scene)).content.decode()
    assert page.index("With Pierre Lefèvre") < page.index("With Akinyi Njeri")
    # 10:00 in Nairobi (07:00 UTC), as English writes it, with the zone named.
    assert "10 a.m." in page and "Africa/Nairobi" in page
    assert "Table 1" in page and "Table 2" in page
    # What the meeting is about and what the other brings link to the records.
    assert 'href="/r/CB-NEED-KE-000007"' in page
    assert 'href="/r/CB-OFFER-KE-000003"' in page
    profiles = f"/en/events/{scene.event.identifier}/round-table/participants/"
    assert f"{profiles}#participant-{scene.akinyi.pk}" in page
    # Contact details stay with the organisers.
    assert scene.akinyi.email not in page


def test_the_agenda_page_speaks_the_reader_s_language(world: World, client: Client) -> None:
    scene = _published(world)
    client.force_login(world.learner)
    page = client.get(_url(scene, "ar")).content.decode()
    assert 'dir="rtl"' in page
    assert "مع Pierre Lefèvre" in page


def test_the_ical_file_reads_back_with_each_meeting_at_its_time(world: World, client: Client) -> None:
    scene = _published(world)
    client.force_login(world.learner)
    response = client.get(_url(scene, "fr", "ical/"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    meetings = [
        (item.decoded("dtstart"), str(item["summary"]), str(item["location"]))
        for item in calendar.walk("VEVENT")
    ]
    assert meetings == [
        (
            scene.slots[0].starts_at.astimezone(UTC),
            "Rendez-vous avec Pierre Lefèvre",
            "Table 1, Gigiri, Nairobi",
        ),
        (
            scene.slots[2].starts_at.astimezone(UTC),
            "Rendez-vous avec Akinyi Njeri",
            "Table 2, Gigiri, Nairobi",
        ),
    ]
    assert all(item.decoded("dtend") > item.decoded("dtstart") for item in calendar.walk("VEVENT"))


def test_the_pdf(world: World, client: Client) -> None:
    scene = _published(world)
    client.force_login(world.learner)
    response = client.get(_url(scene, "zh", "pdf/"))
    if response.status_code == 503:
        pytest.skip("WeasyPrint or Pango is not installed here")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_without_weasyprint_the_pdf_says_so_politely(world: World, client: Client, monkeypatch: Any) -> None:
    from clearinghouse.events import schedule_agendas
    from clearinghouse.publishing.documents import PdfUnavailableError

    def unavailable(*args: object) -> bytes:
        raise PdfUnavailableError

    monkeypatch.setattr(schedule_agendas, "pdf", unavailable)
    scene = _published(world)
    client.force_login(world.learner)
    response = client.get(_url(scene, suffix="pdf/"))
    assert response.status_code == 503
    assert "Print command" in response.content.decode()


def test_no_one_sees_another_s_agenda(world: World, client: Client) -> None:
    scene = _published(world)
    client.force_login(world.outsider)  # Ivan, a participant too
    for suffix in ("", "pdf/", "ical/"):
        assert client.get(_url(scene, suffix=suffix)).status_code == 404
    client.logout()
    response = client.get(_url(scene))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_provisional_agenda_is_the_organisers_alone(world: World, client: Client) -> None:
    scene = build_scene(world)
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[0]
    )
    client.force_login(world.learner)
    assert client.get(_url(scene)).status_code == 404
    assert client.get(_url(scene, suffix="ical/")).status_code == 404
    client.force_login(scene.organiser)
    page = client.get(_url(scene)).content.decode()
    assert "Provisional" in page and "Pierre Lefèvre" in page


def test_the_panel_offers_each_reader_what_they_may_open(world: World) -> None:
    scene = build_scene(world)
    template = Template('{% include "events/schedule/panel.html" %}')

    def panel(user: Any) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return template.render(Context({"event": scene.event, "request": request}))

    from django.contrib.auth.models import AnonymousUser

    assert panel(AnonymousUser()).strip() == ""
    assert panel(world.helpdesk_agent).strip() == ""
    participant = panel(world.learner)
    assert "When I am free" in participant and "My agenda" not in participant
    organiser = panel(scene.organiser)
    assert "Slots and tables" in organiser
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[0]
    )
    schedules.publish(scene.event, actor=scene.organiser)
    assert "My agenda" in panel(world.learner)
