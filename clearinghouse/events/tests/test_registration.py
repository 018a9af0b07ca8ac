"""Registration's rules: open and closed, places and the waiting list with priority, offers that
are taken, let go or lapse, approval, nomination by focal points, the questions, and e-mails in
the person's language. Bad input comes back with a clear message and saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clearinghouse.core.testing import World, make_user
from clearinghouse.events import registration as services
from clearinghouse.events import tasks
from clearinghouse.events.models import (
    Event,
    EventKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)

Commit = Callable[..., AbstractContextManager[Any]]
_numbers = iter(range(1, 10_000))


def make_event(world: World, **values: Any) -> Event:
    """A published workshop in Nairobi in a month, registration open since yesterday."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "identifier": f"CB-EVENT-KE-{next(_numbers):06d}",
        "owner_country": world.kenya,
        "original_language": "en",
        "title": {"en": "Workshop on invasive species", "fr": "Atelier sur les espèces envahissantes"},
        "kind": EventKind.WORKSHOP,
        "starts_at": now + timedelta(days=30),
        "ends_at": now + timedelta(days=31),
        "time_zone": "Africa/Nairobi",
        "state": "published",
        "live": True,
        "registration_opens_at": now - timedelta(days=1),
    } | values
    return Event.objects.create(**fields)


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Commit:
    """Runs what waits for the commit (the e-mails), as the real transaction's end would."""
    return django_capture_on_commit_callbacks


def sign_up(
    event: Event,
    person: Any = None,
    *,
    name: str = "",
    email: str = "",
    language: str = "en",
    answers: dict[int, Any] | None = None,
    **consents: bool,
) -> services.Outcome:
    return services.register(
        event,
        person=person,
        name=name,
        email=email,
        facts=services.Facts(country=None, organisation_name="Nature Kenya", gender="woman", sector="ngo"),
        answers=answers or {},
        consents=services.Consents(**consents),
        language=language,
    )


def guest(event: Event, number: int, **kwargs: Any) -> services.Outcome:
    return sign_up(event, name=f"Guest {number}", email=f"guest{number}@example.org", **kwargs)


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# --- registering --------------------------------------------------------------------------------


def test_a_signed_in_person_registers_with_their_accounts_name_and_email(
    world: World, commit: Commit
) -> None:
    event = make_event(world)
    with commit(execute=True):
        outcome = services.register(
            event,
            person=world.learner,
            name="Someone else",
            email="other@example.org",
            facts=services.Facts(
                country=world.kenya,
                organisation_name="Nature Kenya",
                gender="woman",
                represents_iplc=True,
                youth=True,
                sector="iplc",
            ),
            answers={},
            consents=services.Consents(listed=True, contactable=True),
            language="zh-hans",
        )
    registration = outcome.registration
    assert registration.status == RegistrationStatus.CONFIRMED
    # Name and e-mail come from the account, never from what was typed beside it.
    assert (registration.name, registration.email) == ("Mei Wang", "mei@example.org")
    assert registration.person == world.learner and registration.language == "zh-hans"
    assert registration.represents_iplc and registration.youth and registration.sector == "iplc"
    assert registration.role == "participant" and registration.listed and registration.contactable
    assert [message.to for message in mail.outbox] == [["mei@example.org"]]


def test_someone_without_an_account_registers_to_a_published_event(world: World) -> None:
    event = make_event(world)
    outcome = guest(event, 1)
    assert outcome.registration.person is None
    assert outcome.registration.email == "guest1@example.org"


def test_without_name_or_email_nobody_is_registered(world: World) -> None:
    event = make_event(world)
    with pytest.raises(ValidationError) as error:
        sign_up(event, name=" ", email="")
    assert set(error.value.message_dict) == {"name", "email"}
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"registration_opens_at": None}, "Registration for this event is not open."),
        ({"registration_opens_at": timezone.now() + timedelta(days=2)}, "Registration is not open yet."),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "Registration has closed."),
        (
            {"starts_at": timezone.now() - timedelta(days=3), "ends_at": timezone.now() - timedelta(days=2)},
            "This event has already taken place.",
        ),
        ({"live": False}, "This event is not published"),
    ],
)
def test_registration_outside_its_window_is_refused(
    world: World, values: dict[str, Any], message: str
) -> None:
    event = make_event(world, **values)
    with pytest.raises(ValidationError) as error:
        guest(event, 1)
    assert message in messages_of(error)
    assert not Registration.objects.exists()


def test_registering_twice_is_refused_by_account_and_by_email_whatever_its_case(world: World) -> None:
    event = make_event(world)
    sign_up(event, world.learner)
    with pytest.raises(ValidationError) as error:
        sign_up(event, world.learner)
    assert "already registered" in messages_of(error)
    with pytest.raises(ValidationError):
        sign_up(event, name="Mei", email="MEI@Example.ORG")
    assert Registration.objects.count() == 1
    # A cancelled registration is history: the person may register again.
    services.cancel(Registration.objects.get(), actor=world.learner)
    assert sign_up(event, world.learner).registration.status == RegistrationStatus.CONFIRMED


def test_two_requests_at_once_meet_the_databases_constraint_with_the_same_message(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(world)
    guest(event, 1)
    # The second request read "not registered" before the first one's commit.
    monkeypatch.setattr(services, "active_registration", lambda *args, **kwargs: None)
    with pytest.raises(ValidationError) as error:
        guest(event, 1)
    assert "already registered" in messages_of(error)
    assert Registration.objects.count() == 1


def test_past_capacity_people_join_the_waiting_list_at_their_position(world: World) -> None:
    event = make_event(world, capacity=2)
    assert [guest(event, number).registration.status for number in (1, 2)] == ["confirmed", "confirmed"]
    third, fourth = guest(event, 3), guest(event, 4)
    assert (third.registration.status, third.position) == (RegistrationStatus.WAITLISTED, 1)
    assert (fourth.registration.status, fourth.position) == (RegistrationStatus.WAITLISTED, 2)
    assert services.free_places(event) == 0


def test_pending_registrations_hold_a_place_while_the_organiser_approves(
    world: World, commit: Commit
) -> None:
    event = make_event(world, capacity=1, requires_approval=True)
    first = guest(event, 1, language="fr").registration
    assert first.status == RegistrationStatus.PENDING
    assert guest(event, 2).registration.status == RegistrationStatus.WAITLISTED
    with pytest.raises(PermissionDenied):
        services.approve(first, actor=world.outsider)
    mail.outbox.clear()
    with commit(execute=True):
        services.approve(first, actor=world.secretariat, message="Bienvenue !")
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    # In the language the person registered in, with the organiser's message.
    assert "approuvée" in mail.outbox[0].subject and "Bienvenue !" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.approve(first, actor=world.secretariat)


def test_declining_frees_the_place_for_the_next_waiting(world: World, commit: Commit) -> None:
    event = make_event(world, capacity=1, requires_approval=True)
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    mail.outbox.clear()
    with commit(execute=True):
        services.decline(first, actor=world.secretariat, message="The workshop is for customs officers.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.DECLINED
    assert second.status == RegistrationStatus.OFFERED
    assert sorted(message.to[0] for message in mail.outbox) == ["guest1@example.org", "guest2@example.org"]
    assert any("customs officers" in message.body for message in mail.outbox)


# --- the questions ------------------------------------------------------------------------------


def _questions(event: Event, world: World) -> dict[str, RegistrationQuestion]:
    add = services.add_question
    return {
        "diet": add(
            event,
            actor=world.secretariat,
            values=services.QuestionInput("Your diet?", "text", [], True),
            language="en",
        ),
        "visa": add(
            event,
            actor=world.secretariat,
            values=services.QuestionInput("Need a visa?", "yes_no", [], True),
            language="en",
        ),
        "session": add(
            event,
            actor=world.secretariat,
            values=services.QuestionInput("Session", "choice", ["Morning", "Afternoon"], False),
            language="en",
        ),
        "topics": add(
            event,
            actor=world.secretariat,
            values=services.QuestionInput("Topics", "choices", ["Plants", "Insects", "Fish"], False),
            language="en",
        ),
    }


def test_answers_are_checked_against_the_questions(world: World) -> None:
    event = make_event(world)
    q = _questions(event, world)
    with pytest.raises(ValidationError) as error:
        guest(event, 1, answers={q["visa"].pk: "yes"})
    assert error.value.message_dict == {f"question_{q['diet'].pk}": ["Answer this question."]}
    with pytest.raises(ValidationError) as error:
        guest(event, 1, answers={q["diet"].pk: "None", q["visa"].pk: "maybe", q["session"].pk: "7"})
    assert error.value.message_dict == {
        f"question_{q['visa'].pk}": ["Answer yes or no."],
        f"question_{q['session'].pk}": ["Choose among the answers given."],
    }
    with pytest.raises(ValidationError):
        guest(event, 1, answers={q["diet"].pk: "x", q["visa"].pk: "no", q["topics"].pk: ["0", "3"]})
    assert not Registration.objects.exists()
    registration = guest(
        event,
        1,
        answers={
            q["diet"].pk: "Vegetarian",
            q["visa"].pk: "no",
            q["session"].pk: "1",
            q["topics"].pk: ["0", "2"],
        },
    ).registration
    assert services.shown_answers(registration) == [
        ("Your diet?", "Vegetarian"),
        ("Need a visa?", "No"),
        ("Session", "Afternoon"),
        ("Topics", "Plants, Fish"),
    ]


def test_removing_or_rewording_a_question_keeps_earlier_answers_readable(world: World) -> None:
    event = make_event(world)
    q = _questions(event, world)
    registration = guest(event, 1, answers={q["diet"].pk: "Vegan", q["visa"].pk: "yes"}).registration
    services.remove_question(q["diet"], actor=world.secretariat)
    services.edit_question(
        q["visa"],
        actor=world.secretariat,
        values=services.QuestionInput("Do you need a visa letter?", "yes_no", [], True),
        language="en",
    )
    assert services.shown_answers(registration) == [("Your diet?", "Vegan"), ("Need a visa?", "Yes")]


def test_the_organiser_edits_a_question_in_their_language_and_reorders(world: World) -> None:
    event = make_event(world)
    q = _questions(event, world)
    services.edit_question(
        q["session"],
        actor=world.secretariat,
        values=services.QuestionInput("Séance", "choice", ["Matin", "Après-midi"], True),
        language="fr",
    )
    q["session"].refresh_from_db()
    # The French words join the English ones: nothing written before is lost.
    assert q["session"].text == {"en": "Session", "fr": "Séance"}
    assert q["session"].choices == [{"en": "Morning", "fr": "Matin"}, {"en": "Afternoon", "fr": "Après-midi"}]
    services.move_question(q["topics"], actor=world.secretariat, up=True)
    assert [item.pk for item in event.questions.all()] == [
        q["diet"].pk,
        q["visa"].pk,
        q["topics"].pk,
        q["session"].pk,
    ]
    with pytest.raises(ValidationError) as error:
        services.add_question(
            event, actor=world.secretariat, values=services.QuestionInput("Pick", "choice", ["One"], False)
        )
    assert "at least two choices" in messages_of(error)
    with pytest.raises(PermissionDenied):
        services.add_question(
            event, actor=world.outsider, values=services.QuestionInput("Why?", "text", [], False)
        )


# --- the waiting list ---------------------------------------------------------------------------


def test_a_cancellation_offers_the_place_to_the_highest_priority_then_the_longest_waiting(
    world: World, commit: Commit
) -> None:
    event = make_event(world, capacity=1, seat_offer_hours=24)
    first = guest(event, 1).registration
    early = guest(event, 2).registration
    late = guest(event, 3).registration
    Registration.objects.filter(pk=late.pk).update(priority=5)
    assert services.position(Registration.objects.get(pk=late.pk)) == 1
    mail.outbox.clear()
    with commit(execute=True):
        services.cancel(first, actor=None)
    late.refresh_from_db()
    early.refresh_from_db()
    assert late.status == RegistrationStatus.OFFERED and early.status == RegistrationStatus.WAITLISTED
    assert late.offer_expires_at is not None
    assert timedelta(hours=23) < late.offer_expires_at - timezone.now() <= timedelta(hours=24)
    assert [message.to for message in mail.outbox] == [["guest3@example.org"]]
    assert "Africa/Nairobi" in mail.outbox[0].body
    # The offered place is held: a newcomer waits behind.
    assert guest(event, 4).registration.status == RegistrationStatus.WAITLISTED


def test_taking_an_offer_confirms_and_letting_it_go_offers_the_next(world: World) -> None:
    event = make_event(world, capacity=1)
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    third = guest(event, 3).registration
    services.cancel(first, actor=None)
    second.refresh_from_db()
    services.let_offer_go(second)
    third.refresh_from_db()
    assert third.status == RegistrationStatus.OFFERED
    taken = services.take_offer(third)
    assert taken.status == RegistrationStatus.CONFIRMED and taken.offer_expires_at is None
    with pytest.raises(ValidationError) as error:
        services.take_offer(Registration.objects.get(pk=second.pk))
    assert "No place is offered to you now." in messages_of(error)


def test_taking_an_offer_waits_for_approval_when_the_organiser_approves_each(world: World) -> None:
    event = make_event(world, capacity=1, requires_approval=True)
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    services.decline(first, actor=world.secretariat)
    second.refresh_from_db()
    assert services.take_offer(second).status == RegistrationStatus.PENDING


def test_a_lapsed_offer_expires_and_the_next_is_offered_by_the_periodic_job(
    world: World, commit: Commit
) -> None:
    event = make_event(world, capacity=1)
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    third = guest(event, 3).registration
    services.cancel(first, actor=None)
    Registration.objects.filter(pk=second.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        services.take_offer(Registration.objects.get(pk=second.pk))
    assert "has passed" in messages_of(error)
    mail.outbox.clear()
    with commit(execute=True):
        assert tasks.lapse_offers.call_local() == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.EXPIRED and third.status == RegistrationStatus.OFFERED
    assert sorted(message.to[0] for message in mail.outbox) == ["guest2@example.org", "guest3@example.org"]
    # Run again (after a crash, say): nothing more happens.
    assert tasks.lapse_offers.call_local() == 0


def test_a_lapsed_offer_is_also_noticed_when_a_page_is_read(world: World) -> None:
    event = make_event(world, capacity=1)
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    third = guest(event, 3).registration
    services.cancel(first, actor=None)
    Registration.objects.filter(pk=second.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))
    assert [item.pk for item in services.refresh(event)] == [third.pk]


def test_raising_the_capacity_offers_as_many_places_as_it_adds(world: World) -> None:
    event = make_event(world, capacity=1)
    for number in range(1, 6):
        guest(event, number)
    values = services.Settings(
        registration_opens_at=event.registration_opens_at,
        registration_closes_at=None,
        capacity=3,
        requires_approval=False,
        accepts_nominations=False,
        seat_offer_hours=12,
    )
    offered = services.update_settings(event, actor=world.secretariat, values=values)
    assert [item.email for item in offered] == ["guest2@example.org", "guest3@example.org"]
    assert event.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 2
    # Never more offers than free places: a second pass finds nothing to offer.
    assert services.refresh(event) == []
    with pytest.raises(ValidationError) as error:
        services.offer_next(event, actor=world.secretariat)
    assert "No place is free" in messages_of(error)


def test_settings_refuse_a_closing_before_the_opening(world: World) -> None:
    event = make_event(world)
    now = timezone.now()
    values = services.Settings(now, now - timedelta(days=1), None, False, False, 48)
    with pytest.raises(ValidationError) as error:
        services.update_settings(event, actor=world.secretariat, values=values)
    assert "registration_closes_at" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.update_settings(event, actor=world.learner, values=values)


def test_only_the_person_or_an_organiser_cancels(world: World) -> None:
    event = make_event(world)
    registration = sign_up(event, world.learner).registration
    with pytest.raises(PermissionDenied):
        services.cancel(registration, actor=world.outsider)
    assert services.cancel(registration, actor=world.secretariat).status == RegistrationStatus.CANCELLED


# --- nomination ---------------------------------------------------------------------------------


def test_a_nomination_completed_by_its_link_is_confirmed_or_tops_the_waiting_list(
    world: World, commit: Commit
) -> None:
    event = make_event(world, capacity=1, accepts_nominations=True)
    guest(event, 1)
    ordinary = guest(event, 2).registration
    with commit(execute=True):
        nominated = services.nominate(
            event,
            actor=world.focal_point,
            country=world.kenya,
            name="Achieng Otieno",
            email="achieng@example.org",
            funded=True,
            language="fr",
        )
    assert nominated.status == RegistrationStatus.NOMINATED and nominated.nominated_by == world.focal_point
    assert nominated.nominated_for == world.kenya and nominated.funded
    # The e-mail is in the language it was nominated in, and carries the link.
    message = mail.outbox[-1]
    assert message.to == ["achieng@example.org"] and "nommé" in message.subject
    token = services.token_for(nominated)
    assert token in message.body
    found = services.from_token(token)
    outcome = services.complete_nomination(
        found,
        person=None,
        facts=services.Facts(gender="woman", sector="government"),
        answers={},
        consents=services.Consents(listed=True),
        language="fr",
    )
    assert (outcome.registration.status, outcome.position) == (RegistrationStatus.WAITLISTED, 1)
    assert outcome.registration.country == world.kenya
    assert services.position(Registration.objects.get(pk=ordinary.pk)) == 2
    with pytest.raises(ValidationError):
        services.complete_nomination(
            found,
            person=None,
            facts=services.Facts(),
            answers={},
            consents=services.Consents(),
            language="fr",
        )


def test_a_nomination_is_confirmed_when_a_place_is_free(world: World) -> None:
    event = make_event(world, capacity=5, accepts_nominations=True, requires_approval=True)
    nominated = services.nominate(
        event,
        actor=world.focal_point,
        country=world.kenya,
        name="Achieng",
        email="achieng@example.org",
        funded=False,
        language="en",
    )
    outcome = services.complete_nomination(
        nominated,
        person=world.outsider,
        facts=services.Facts(),
        answers={},
        consents=services.Consents(),
        language="ru",
    )
    assert outcome.registration.status == RegistrationStatus.CONFIRMED
    assert outcome.registration.person == world.outsider


def test_who_may_nominate_whom(world: World) -> None:
    event = make_event(world, accepts_nominations=True)
    values = {"name": "Achieng", "email": "achieng@example.org", "funded": False, "language": "en"}
    with pytest.raises(PermissionDenied):
        services.nominate(event, actor=world.learner, country=world.kenya, **values)
    # A focal point nominates for their own Party only.
    with pytest.raises(PermissionDenied):
        services.nominate(event, actor=world.other_focal_point, country=world.kenya, **values)
    closed = make_event(world, accepts_nominations=False)
    with pytest.raises(PermissionDenied):
        services.nominate(closed, actor=world.focal_point, country=world.kenya, **values)
    services.nominate(event, actor=world.focal_point, country=world.kenya, **values)
    with pytest.raises(ValidationError) as error:
        services.nominate(
            event, actor=world.focal_point, country=world.kenya, **values | {"email": "ACHIENG@example.org"}
        )
    assert "already nominated or registered" in messages_of(error)
    assert Registration.objects.count() == 1


def test_a_focal_point_sees_and_withdraws_their_partys_nominations(world: World) -> None:
    event = make_event(world, accepts_nominations=True, capacity=1)
    nominated = services.nominate(
        event,
        actor=world.focal_point,
        country=world.kenya,
        name="Achieng",
        email="achieng@example.org",
        funded=False,
        language="en",
    )
    assert list(services.nominations(event, world.focal_point)) == [nominated]
    assert list(services.nominations(event, world.other_focal_point)) == []
    with pytest.raises(PermissionDenied):
        services.withdraw_nomination(nominated, actor=world.other_focal_point)
    assert (
        services.withdraw_nomination(nominated, actor=world.focal_point).status
        == RegistrationStatus.CANCELLED
    )


def test_a_forged_link_names_no_registration(world: World) -> None:
    with pytest.raises(ValidationError):
        services.from_token("1:forged")


def test_emails_go_in_the_accounts_language_over_the_page_language(world: World, commit: Commit) -> None:
    event = make_event(world)
    spanish = make_user("carmen", "Carmen", "Ruiz", "es")
    with commit(execute=True):
        sign_up(event, spanish, language="en")
    assert "inscrito" in mail.outbox[-1].subject or "inscrita" in mail.outbox[-1].subject


def test_a_place_offered_the_day_before_is_held_until_the_event_starts_not_beyond(world: World) -> None:
    starts = timezone.now() + timedelta(hours=5)
    event = make_event(
        world, capacity=1, seat_offer_hours=48, starts_at=starts, ends_at=starts + timedelta(hours=8)
    )
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    services.cancel(first, actor=None)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.OFFERED and second.offer_expires_at == starts


def test_a_newcomer_never_jumps_the_queue_when_an_offer_has_lapsed(world: World, commit: Commit) -> None:
    event = make_event(world, capacity=1)
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    third = guest(event, 3).registration
    services.cancel(first, actor=None)
    Registration.objects.filter(pk=second.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=5))
    mail.outbox.clear()
    with commit(execute=True):
        newcomer = guest(event, 4)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.EXPIRED and third.status == RegistrationStatus.OFFERED
    assert (newcomer.registration.status, newcomer.position) == (RegistrationStatus.WAITLISTED, 1)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "guest2@example.org",
        "guest3@example.org",
        "guest4@example.org",
    ]


def test_the_demo_registers_its_people_once(world: World) -> None:
    from clearinghouse.events import demo_registrations

    # The demo finds its people by their demo addresses.
    for person, address in ((world.learner, "learner"), (world.focal_point, "focalpoint.ke")):
        person.email = f"{address}@demo.clearinghouse.example"
        person.save()
    event = make_event(world, capacity=3, accepts_nominations=True)
    make_event(world, registration_opens_at=None)
    demo_registrations.load()
    statuses = sorted(event.registrations.values_list("status", flat=True))
    # The learner and five guests: three places, three on the waiting list; one nomination.
    assert statuses.count("confirmed") == 3 and statuses.count("waitlisted") == 3
    assert statuses.count("nominated") == 1
    demo_registrations.load()
    assert event.registrations.count() == 7
    assert Registration.objects.filter(event__registration_opens_at__isnull=True).count() == 0
