"""A round table from start to end, through the services people use: Kenya's focal point
nominates a participant, who completes the registration; a provider registers; both say what
they bring; the seeker asks for a meeting, the provider accepts; the organiser sets slots and
tables, runs the scheduler and publishes; both get their agendas, are checked in, meet, and the
match they record opens a case the help desk follows."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from clearinghouse.events import attendance, registration, roundtables, schedules
from clearinghouse.events.models import Meeting, Outcome, RegistrationStatus, Side
from clearinghouse.events.tests.roundtable.conftest import Scene, round_table
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Case, CaseState


def test_nominated_registered_scheduled_met_and_followed_in_matchmaking(scene: Scene) -> None:
    world = scene.world
    now = timezone.now()
    event = round_table(
        world,
        identifier="CB-EVENT-XX-000002",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=5),
        capacity=20,
        accepts_nominations=True,
    )
    # Kenya's focal point nominates its officer, funded; the officer completes the registration.
    with scene.commit(execute=True):
        nominee = registration.nominate(
            event,
            actor=world.focal_point,
            country=world.kenya,
            name=world.authorised_user.get_full_name(),
            email=world.authorised_user.email,
            funded=True,
            language="en",
        )
    assert nominee.status == RegistrationStatus.NOMINATED
    assert any(world.authorised_user.email in message.to for message in mail.outbox)
    seeker = registration.complete_nomination(
        nominee,
        person=world.authorised_user,
        facts=registration.Facts(country=world.kenya, gender="woman", sector="government"),
        answers={},
        consents=registration.Consents(listed=True, contactable=True),
        language="en",
    ).registration
    assert (seeker.status, seeker.funded, seeker.nominated_for) == (
        RegistrationStatus.CONFIRMED,
        True,
        world.kenya,
    )
    # The provider registers on their own.
    provider = registration.register(
        event,
        person=world.partner_editor,
        facts=registration.Facts(country=world.kenya, sector="ngo"),
        answers={},
        consents=registration.Consents(listed=True),
        language="fr",
    ).registration
    assert provider.status == RegistrationStatus.CONFIRMED

    # What each brings, and the meeting the seeker asks for.
    roundtables.set_side(seeker, Side.SEEKER, actor=world.authorised_user)
    roundtables.bring(seeker, scene.need.identifier, actor=world.authorised_user)
    roundtables.set_side(provider, Side.PROVIDER, actor=world.partner_editor)
    roundtables.bring(provider, scene.offer.identifier, actor=world.partner_editor)
    request = roundtables.request_meeting(
        event, provider, actor=world.authorised_user, priority=3, about=scene.need.identifier
    )
    roundtables.answer(request, actor=world.partner_editor, accept=True)

    # The organiser's slots and tables; the provider is free only in the second slot.
    assert event.starts_at is not None
    slots = schedules.generate_slots(
        event,
        actor=world.secretariat,
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
        length=timedelta(minutes=25),
        pause=timedelta(minutes=5),
    )
    schedules.add_tables(event, actor=world.secretariat, count=2)
    schedules.set_availability(provider, actor=world.partner_editor, slots=slots[1:2], max_meetings=4)
    outcome = schedules.build_schedule(event, actor=world.secretariat)
    meeting = Meeting.objects.get(request=request)
    assert meeting.slot == slots[1]
    assert (outcome.scheduled, outcome.objective, outcome.unplaced) == (1, 3, 0)

    mail.outbox.clear()
    with scene.commit(execute=True):
        schedules.publish(event, actor=world.secretariat)
    # Each gets their agenda, in their own language.
    assert {address for message in mail.outbox for address in message.to} == {
        world.authorised_user.email,
        world.partner_editor.email,
    }
    seeker.event.refresh_from_db()
    assert schedules.may_see_agenda(world.authorised_user, seeker)
    assert not schedules.may_see_agenda(world.partner_editor, seeker)

    # The day comes: both are checked in at the desk, and meet.
    during = meeting.slot.starts_at + timedelta(minutes=10)
    attendance.check_in(seeker, actor=world.secretariat, at=during - timedelta(hours=1))
    attendance.check_in(provider, actor=world.secretariat, at=during - timedelta(hours=1))
    roundtables.record_outcome(meeting, actor=world.partner_editor, outcome=Outcome.MATCH, now=during)
    recorded = roundtables.record_outcome(
        meeting, actor=world.authorised_user, outcome=Outcome.MATCH, now=during
    )
    assert recorded.notice == ""

    # Matchmaking follows it: the need's case, a match with the offer, seen by the help desk.
    meeting.refresh_from_db()
    match = meeting.match
    assert match is not None
    assert (match.case.need, match.support_identifier) == (scene.need, scene.offer.identifier)
    assert match.case.state == CaseState.IN_MATCHMAKING
    assert sides.is_coordinator(world.helpdesk_agent)
    assert Case.objects.filter(pk=match.case.pk, state=CaseState.IN_MATCHMAKING).exists()
    figures = roundtables.statistics(event)
    assert (figures.requested, figures.accepted, figures.scheduled, figures.matches) == (1, 1, 1, 1)
