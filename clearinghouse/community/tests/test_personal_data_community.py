"""A person's community data is in their download, and closing their account anonymises their
alumnus record (its participations and answers still count), takes them out of every community,
ends their open mentoring relations, and keeps the discussions they wrote in."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from clearinghouse.accounts import closure
from clearinghouse.accounts.personal_data import gather
from clearinghouse.community.models import (
    Alumnus,
    Applied,
    DirectMessage,
    FollowUp,
    FollowUpRequest,
    Membership,
    MentoringNote,
    MentoringStatus,
    Mentorship,
    Post,
)
from clearinghouse.community.tests.statistics_factories import alumnus, community, member, post, took_part
from clearinghouse.core.testing import World
from clearinghouse.events.models import Gender
from clearinghouse.events.tests.attendance_factories import make_event
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.publishing.registry import measures

pytestmark = pytest.mark.django_db

PASSWORD = "otieno-passphrase-2026"  # core.testing.make_user gives Kenya's authorised user this one


@pytest.fixture
def otieno(world: World) -> dict[str, Any]:
    """Kenya's authorised user as an alumnus with everything the community holds about a person."""
    person = world.authorised_user
    now = timezone.now()
    workshop = make_event(world)
    record = alumnus(
        "Otieno Odhiambo",
        person=person,
        email=person.email.lower(),
        country=world.kenya,
        gender=Gender.MAN,
        about="Customs officer, Mombasa.",
        in_directory=True,
        accepts_messages=True,
    )
    taking_part = took_part(record, workshop, timezone.localdate() - timedelta(days=200))
    follow_up = FollowUp.objects.create(event=workshop)
    answered = FollowUpRequest.objects.create(
        follow_up=follow_up,
        participation=taking_part,
        due_on=timezone.localdate(),
        sent_at=now,
        answered_at=now,
        applied=Applied.MUCH,
        applied_how="We now inspect timber shipments for beetles.",
    )
    where = community(world)
    member(where, person)
    reply = post(post(where, world.focal_point, now).topic, person, now, body="At Mombasa we check pallets.")
    DirectMessage.objects.create(
        sender=world.focal_point, recipient=person, body="Could you share the checklist?"
    )
    DirectMessage.objects.create(sender=person, recipient=world.focal_point, body="Here it is.")
    relation = Mentorship.objects.create(
        mentee=person,
        mentor=world.trainer,
        topic="Risk analysis for imports",
        request="I lead the port's inspections.",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 1),
        status=MentoringStatus.ACTIVE,
        started_at=now,
    )
    MentoringNote.objects.create(mentorship=relation, author=person, body="Read the IPPC guide.")
    return {"person": person, "alumnus": record, "answered": answered, "reply": reply, "relation": relation}


def test_the_download_holds_the_persons_community_data(otieno: dict[str, Any]) -> None:
    data = gather(otieno["person"])
    [record] = data["alumnus"]
    assert record["about"] == "Customs officer, Mombasa."
    assert record["took_part_in"][0]["activity"] == "event"
    assert data["community_memberships"][0]["status"] == "active"
    assert [item["body"] for item in data["community_posts"]["posts"]] == ["At Mombasa we check pallets."]
    assert [item["body"] for item in data["direct_messages"]["received"]] == [
        "Could you share the checklist?"
    ]
    assert [item["body"] for item in data["direct_messages"]["sent"]] == ["Here it is."]
    assert data["mentoring"][0]["you_are"] == "mentee"
    assert data["mentoring"][0]["your_notes"][0]["body"] == "Read the IPPC guide."
    assert data["follow_up_answers"][0]["applied_how"] == "We now inspect timber shipments for beetles."


def test_closing_anonymises_the_alumnus_and_keeps_what_is_counted(otieno: dict[str, Any]) -> None:
    year = Period.years(timezone.localdate().year)
    counted_before = measure_values(measures()["community.applied"], year)
    closure.close_account(user=otieno["person"], password=PASSWORD)

    record = Alumnus.objects.get(pk=otieno["alumnus"].pk)
    assert record.name == "" and record.about == "" and record.organisation_name == ""
    assert record.email.endswith("@closed.invalid") and "otieno" not in record.email
    assert not record.in_directory and not record.accepts_messages
    # Counted as before, anonymously: the participation and the answer stay.
    assert record.participations.count() == 1
    assert FollowUpRequest.objects.filter(pk=otieno["answered"].pk).exists()
    assert measure_values(measures()["community.applied"], year) == counted_before
    # Out of every community; the discussion keeps the reply.
    assert not Membership.objects.filter(person=otieno["person"]).exists()
    assert Post.objects.get(pk=otieno["reply"].pk).body == "At Mombasa we check pallets."
    # Nobody will read what was sent to them; what they sent stays with its recipient.
    assert not DirectMessage.objects.filter(recipient=otieno["person"]).exists()
    assert DirectMessage.objects.filter(sender=otieno["person"]).count() == 1
    relation = Mentorship.objects.get(pk=otieno["relation"].pk)
    assert relation.status == MentoringStatus.ENDED and relation.end_reason and relation.finished_at
    assert relation.notes.count() == 1
