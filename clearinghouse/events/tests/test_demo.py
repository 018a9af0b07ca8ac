"""The demo's events: written in the six languages, loaded once however often `loaddemo` runs,
with a round table to come whose published schedule the scheduler made and keeps every rule, a
past round table whose matches are followed in matchmaking, and an evaluation with enough
answers for its results to show."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from clearinghouse.core.demo import demo_data
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.events import demo, schedules, scheduling, surveys
from clearinghouse.events.models import (
    BroughtItem,
    Certificate,
    Event,
    EventKind,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Slot,
    SurveyAnswer,
    SurveyResponse,
    Table,
)
from clearinghouse.matchmaking.models import MatchState

PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = demo_data("clearinghouse.events", "demo-events.yaml")["events"]
    return rows


def test_every_demo_event_is_written_in_one_language_and_titled_in_two_more() -> None:
    rows = _rows()
    originals = Counter(next(iter(row["title"])) for row in rows)
    assert set(originals) == set(CONTENT_LANGUAGES)
    for row in rows:
        titles = row["title"]
        assert set(titles) <= set(CONTENT_LANGUAGES) and len(titles) >= 3, titles
        assert all(text.strip() for text in titles.values()), titles
        assert row["description"].strip()
    assert {row["kind"] for row in rows} == set(EventKind.values)


def test_demo_participants_have_addresses_no_real_person_can_receive() -> None:
    people = demo_data("clearinghouse.events", "demo-events.yaml")["people"]
    assert len(people) >= 40
    assert len({facts["country"] for facts in people.values()}) >= 30
    for key, facts in people.items():
        assert key.isascii() and "@" not in key
        assert {"name", "country", "gender", "sector", "language", "organisation"} <= set(facts), key
        assert all(str(facts[name]).strip() for name in ("name", "organisation")), key


@pytest.fixture
def loaded(db: None) -> str:
    # Test settings name the test server as a host; the demo people are harmless here.
    out = StringIO()
    call_command("loadreference", stdout=out)
    call_command("importplan", PLAN_FILE, stdout=out)
    call_command("loaddemo", "--allow-production", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in (
            Event,
            Registration,
            Slot,
            Table,
            BroughtItem,
            MeetingRequest,
            Meeting,
            SurveyResponse,
            SurveyAnswer,
            Certificate,
        )
    }


def test_the_demo_events_load_once_with_a_published_valid_schedule_and_answers(loaded: str) -> None:
    before = _counts()
    again = demo.load()
    # Loading again adds nothing: each event, registration, meeting and answer exists once.
    assert _counts() == before
    assert "9 (0 new)" in again[0]
    assert "Events (/events/)" in loaded

    events = list(Event.objects.filter(live=True))
    assert len(events) == len(_rows())
    assert {event.original_language for event in events} == set(CONTENT_LANGUAGES)
    for event in events:
        assert event.title.get(event.original_language) and event.description.get(event.original_language)
        assert len(set(event.title) - {event.original_language}) >= 2, event.title
        # Shown in the venue's own zone.
        assert event.time_zone and event.zone.key == event.time_zone
    assert any(event.is_past() for event in events) and any(not event.is_past() for event in events)

    upcoming = next(event for event in events if event.is_round_table and not event.is_past())
    assert upcoming.schedule_published_at is not None
    instance = scheduling.parse_instance(schedules.instance_for(upcoming))
    meetings = list(Meeting.objects.filter(request__event=upcoming).select_related("request"))
    placed = scheduling.Schedule(
        tuple(
            scheduling.Meeting(meeting.request_id, meeting.slot_id, meeting.table_id) for meeting in meetings
        ),
        objective=sum(meeting.request.priority for meeting in meetings),
        seconds=0.0,
    )
    assert placed.meetings and scheduling.check(instance, placed) == []
    # Requests still to answer wait for Kenya's officer, who brings Kenya's published need.
    officer = Registration.objects.get(event=upcoming, email="officer.ke@demo.clearinghouse.example")
    assert officer.person is not None and officer.side == "seeker"
    assert officer.items.filter(identifier__startswith="CB-NEED-KE-").exists()
    assert MeetingRequest.objects.filter(invitee=officer, status=RequestStatus.PENDING).count() >= 2
    assert Meeting.objects.filter(request__requester=officer).exists()

    past = next(event for event in events if event.is_round_table and event.is_past())
    held = Meeting.objects.filter(request__event=past, held=True)
    assert held.count() >= 5
    followed = [meeting.match for meeting in held if meeting.match is not None]
    assert len(followed) == 2
    assert all(match.state == MatchState.PROPOSED for match in followed)

    full = next(event for event in events if event.capacity and event.accepts_nominations)
    statuses = Counter(full.registrations.values_list("status", flat=True))
    assert statuses[RegistrationStatus.CONFIRMED] == full.capacity
    assert statuses[RegistrationStatus.WAITLISTED] >= 2
    assert statuses[RegistrationStatus.NOMINATED] == 1
    assert full.registrations.filter(nominated_by__isnull=False, funded=True).count() == 2

    responses = SurveyResponse.objects.filter(survey__event__in=events)
    # Enough answers for the public figures to show (below the privacy threshold they hide).
    assert responses.count() >= surveys.PUBLIC_MINIMUM
    (survey,) = {response.survey for response in responses}
    assert (
        survey.results_public
        and survey.invitations.filter(answered_at__isnull=False).count() == responses.count()
    )
    # Anonymous: no answer points to the person who gave it.
    assert not responses.filter(registration__isnull=False).exists()
    assert len(set(responses.values_list("language", flat=True))) >= 4
    assert Certificate.objects.filter(registration__checked_in_at__isnull=True).count() == 0
    assert (
        not Registration.objects.filter(person__isnull=True)
        .exclude(email__endswith=demo.PARTICIPANTS_DOMAIN)
        .exists()
    )
