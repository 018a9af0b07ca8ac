"""The round-table pages work without JavaScript, in English and in Arabic (right to left),
show the services' refusals, and are closed to people outside the round table."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearinghouse.events import roundtables
from clearinghouse.events.models import MeetingRequest, RequestStatus, Side
from clearinghouse.events.tests.roundtable.conftest import Scene, register, scheduled
from clearinghouse.matchmaking.models import Match
from clearinghouse.needs.models import Need
from clearinghouse.vocabularies.models import Term


def url(scene: Scene, tail: str, language: str = "en") -> str:
    return f"/{language}/events/{scene.event.identifier}/{tail}"


def test_the_items_page_brings_and_removes_a_record(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.authorised_user)
    scene.seeker.items.all().delete()
    page = client.get(url(scene, "round-table/items/")).content.decode()
    assert scene.need.identifier in page and "Write a short need" in page
    response = client.post(
        url(scene, "round-table/items/"), {"action": "bring", "identifier": scene.need.identifier}
    )
    assert (
        response.status_code == 302 and scene.seeker.items.filter(identifier=scene.need.identifier).exists()
    )
    client.post(url(scene, "round-table/items/"), {"action": "drop", "identifier": scene.need.identifier})
    assert not scene.seeker.items.exists()


def test_a_short_offer_with_missing_fields_comes_back_with_its_errors(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.partner_editor)
    response = client.post(
        url(scene, "round-table/items/"),
        {
            "action": "write",
            "owner": f"organisation:{scene.world.kenyan_ngo.pk}",
            "language": "en",
            "title": "",
        },
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_the_participants_page_and_the_request_form(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.authorised_user)
    page = client.get(url(scene, "round-table/participants/")).content.decode()
    assert "Akinyi Njeri" in page and scene.offer.identifier in page and "Suggested for you" in page
    form = url(scene, f"round-table/participants/{scene.provider.pk}/request/")
    response = client.post(form, {"priority": "3", "message": "x" * 2001})
    assert response.status_code == 200 and not MeetingRequest.objects.exists()
    response = client.post(
        form, {"priority": "3", "message": "Let us meet.", "about": scene.offer.identifier}
    )
    assert response.status_code == 302 and MeetingRequest.objects.get().about == scene.offer.identifier


def test_pages_are_closed_to_people_outside_the_round_table(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.outsider)
    for tail in ("round-table/items/", "round-table/participants/", "meetings/", "round-table/proposals/"):
        assert client.get(url(scene, tail)).status_code == 403
    client.force_login(scene.world.authorised_user)
    assert client.get(url(scene, "round-table/proposals/")).status_code == 403


def test_the_invitee_accepts_on_my_meetings_then_records_the_outcome(scene: Scene, client: Client) -> None:
    request = roundtables.request_meeting(
        scene.event, scene.provider, actor=scene.world.authorised_user, priority=2
    )
    client.force_login(scene.world.partner_editor)
    page = client.get(url(scene, "meetings/", "ar"))
    assert 'dir="rtl"' in page.content.decode()
    client.post(url(scene, f"meetings/requests/{request.pk}/answer/"), {"answer": "accept", "note": "Yes."})
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    meeting = scheduled(request, timezone.now() + timedelta(hours=2))
    page = client.get(url(scene, "meetings/")).content.decode()
    assert "once the meeting has started" in page
    response = client.post(url(scene, f"meetings/{meeting.pk}/outcome/"), {"outcome": "match"}, follow=True)
    assert "once the meeting has started" in response.content.decode()
    meeting.slot.starts_at = timezone.now() - timedelta(minutes=5)
    meeting.slot.ends_at = timezone.now() + timedelta(minutes=15)
    meeting.slot.save()
    response = client.post(url(scene, f"meetings/{meeting.pk}/outcome/"), {"outcome": "match"}, follow=True)
    assert "The help desk follows the match up" in response.content.decode()
    assert Match.objects.get().state == "accepted"


def test_the_organiser_proposes_from_the_page(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.secretariat)
    page = client.get(url(scene, "round-table/proposals/")).content.decode()
    assert scene.offer.identifier in page
    client.post(
        url(scene, "round-table/proposals/"),
        {
            "seeker": scene.seeker.pk,
            "provider": scene.provider.pk,
            "about": scene.need.identifier,
            "priority": "3",
        },
    )
    assert MeetingRequest.objects.get().proposed_by == scene.world.secretariat


def test_statistics_in_full_for_organisers_and_small_counts_hidden_from_the_public(
    scene: Scene, client: Client
) -> None:
    roundtables.request_meeting(scene.event, scene.provider, actor=scene.world.authorised_user, priority=2)
    public = client.get(url(scene, "round-table/statistics/")).content.decode()
    assert "fewer than 5" in public
    client.force_login(scene.world.secretariat)
    full = client.get(url(scene, "round-table/statistics/")).content.decode()
    assert "Meetings requested</dt><dd>1</dd>" in full


def test_the_event_page_panel_shows_my_side_and_counts(scene: Scene) -> None:
    roundtables.request_meeting(scene.event, scene.provider, actor=scene.world.authorised_user, priority=2)
    request = RequestFactory().get("/")
    request.user = scene.world.partner_editor
    panel = render_to_string("events/roundtable/panel.html", {"event": scene.event, "request": request})
    assert "you bring 1 record" in panel and "waiting for your answer: 1" in panel
    request.user = scene.world.secretariat
    panel = render_to_string("events/roundtable/panel.html", {"event": scene.event, "request": request})
    assert "Propose meetings" in panel and "My meetings" not in panel


def test_the_event_page_includes_the_round_table_panel(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.authorised_user)
    page = client.get(f"/en/events/{scene.event.identifier}/").content.decode()
    assert "Matchmaking round table" in page and f"/en/events/{scene.event.identifier}/meetings/" in page


def test_the_participants_page_reads_a_fixed_number_of_queries(
    scene: Scene, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(scene.world.secretariat)
    with CaptureQueriesContext(connection) as few:
        client.get(url(scene, "round-table/participants/"))
    # Three more participants, each bringing the same published need.
    for person in (scene.world.focal_point, scene.world.iplc_representative, scene.world.trainer):
        register(scene.event, person, side=Side.SEEKER).items.create(identifier=scene.need.identifier)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url(scene, "round-table/participants/")).content.decode()
    assert "Pierre Lefèvre" in page


def test_a_short_need_written_on_the_page_is_submitted_and_brought(scene: Scene, client: Client) -> None:
    def term(vocabulary: str, code: str) -> int:
        return Term.objects.get(vocabulary__name=vocabulary, code=code).pk

    client.force_login(scene.world.authorised_user)
    response = client.post(
        url(scene, "round-table/items/"),
        {
            "action": "write",
            "owner": f"country:{scene.world.kenya.pk}",
            "language": "en",
            "title": "Seagrass mapping",
            "description": "Our marine park needs its seagrass beds mapped.",
            "support_types": [term("support-types", "training")],
            "subjects": [term("subjects", "SUBJ-INVASIVE-ALIEN-SPECIES")],
            "priority": "high",
            "instruments": [term("instruments", "CBD")],
            "capacity_levels": [term("capacity-levels", "individual")],
        },
        follow=True,
    )
    need = Need.objects.get(title__en="Seagrass mapping")
    assert f"{need.identifier} is submitted for review and brought" in response.content.decode()
    assert scene.seeker.items.filter(identifier=need.identifier).exists()
