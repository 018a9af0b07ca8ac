"""Registration's pages: the panel on the event's page, registering with and without an account,
the page behind the e-mailed link, nominating, the organiser's settings, questions and
participants, the public list and "My registrations"; in English and Arabic, without script."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events import registration as services
from clearinghouse.events.models import Registration, RegistrationStatus
from clearinghouse.events.tests.test_registration import Commit, commit, guest, make_event, sign_up

__all__ = ["commit"]


def _form(**values: str) -> dict[str, str]:
    return {"country": "", "organisation_name": "Nature Kenya", "gender": "woman", "sector": "ngo"} | values


def test_a_signed_in_person_registers_from_the_page(world: World, client: Client, commit: Commit) -> None:
    event = make_event(world, capacity=10)
    client.force_login(world.learner)
    page = client.get(f"/en/events/{event.identifier}/register/").content.decode()
    assert "10 places left." in page and 'name="email"' not in page
    with commit(execute=True):
        response = client.post(
            f"/en/events/{event.identifier}/register/",
            _form(listed="on", youth="on", country=str(world.kenya.pk)),
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.person == world.learner and registration.language == "en"
    assert registration.youth and registration.listed and registration.country == world.kenya
    page = client.get(response["Location"]).content.decode()
    assert "You are registered." in page and "Cancel my registration" in page
    # The event's own page carries the same panel.
    assert "You are registered." in client.get(f"/en/events/{event.identifier}/").content.decode()


def test_a_guest_registers_in_french_and_reaches_the_registration_by_its_link(
    world: World, client: Client, commit: Commit
) -> None:
    event = make_event(world, capacity=1)
    guest(event, 1)
    with commit(execute=True):
        response = client.post(
            f"/fr/events/{event.identifier}/register/", _form(name="Awa Diallo", email="awa@example.org")
        )
    registration = Registration.objects.get(email="awa@example.org")
    assert registration.language == "fr" and registration.status == RegistrationStatus.WAITLISTED
    assert response["Location"].startswith("/fr/events/registration/")
    page = client.get(response["Location"]).content.decode()
    assert "liste d’attente" in page or "liste d'attente" in page
    # The e-mail is in French and its link opens the same page.
    message = mail.outbox[-1]
    assert message.to == ["awa@example.org"] and "attente" in message.subject
    link = re.search(r"http\S+/fr/events/registration/\S+/", message.body)
    assert link is not None and link.group(0).endswith(response["Location"])


def test_bad_input_comes_back_with_its_message_and_saves_nothing(world: World, client: Client) -> None:
    event = make_event(world)
    question = services.add_question(
        event,
        actor=world.secretariat,
        values=services.QuestionInput("Your diet?", "text", [], True),
        language="en",
    )
    response = client.post(
        f"/en/events/{event.identifier}/register/", _form(name="Awa", email="not-an-address")
    )
    page = response.content.decode()
    # 400, not 200: the outbox and any other client read a refusal, not a registration received.
    assert response.status_code == 400 and "Enter a valid email address." in page
    assert "This field is required." in page
    assert not Registration.objects.exists()
    guest(event, 9, answers={question.pk: "Vegan"})
    response = client.post(
        f"/en/events/{event.identifier}/register/",
        _form(name="Guest", email="GUEST9@example.org", **{f"question_{question.pk}": "Fish"}),
    )
    assert response.status_code == 400 and "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_closed_registration_shows_why_and_no_form(world: World, client: Client) -> None:
    event = make_event(world, registration_closes_at=timezone.now() - timedelta(hours=2))
    page = client.get(f"/en/events/{event.identifier}/register/").content.decode()
    assert "Registration has closed." in page and 'name="email"' not in page


def test_an_offer_is_taken_from_the_panel(world: World, client: Client) -> None:
    event = make_event(world, capacity=1)
    first = guest(event, 1).registration
    mine = sign_up(event, world.learner).registration
    client.force_login(world.learner)
    assert (
        "You are on the waiting list, at position 1."
        in client.get(f"/en/events/{event.identifier}/register/").content.decode()
    )
    services.cancel(first, actor=None)
    page = client.get(f"/en/events/{event.identifier}/register/").content.decode()
    assert "A place is offered to you until" in page and "(Africa/Nairobi)" in page
    client.post(f"/en/events/{event.identifier}/register/take/")
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.CONFIRMED


def test_an_offer_is_let_go_by_the_emailed_link_without_an_account(world: World, client: Client) -> None:
    event = make_event(world, capacity=1)
    first = guest(event, 1).registration
    second = guest(event, 2).registration
    third = guest(event, 3).registration
    services.cancel(first, actor=None)
    second.refresh_from_db()
    client.post(f"/en/events/registration/{services.token_for(second)}/", {"action": "let-go"})
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CANCELLED and third.status == RegistrationStatus.OFFERED
    assert client.get("/en/events/registration/1:forged/").status_code == 404


def test_the_nomination_flow_end_to_end(world: World, client: Client, commit: Commit) -> None:
    event = make_event(world, capacity=3, accepts_nominations=True)
    client.force_login(world.focal_point)
    page = client.get(f"/en/events/{event.identifier}/").content.decode()
    assert "Nominate participants of your Party" in page
    with commit(execute=True):
        client.post(
            f"/en/events/{event.identifier}/nominate/",
            {
                "name": "Achieng Otieno",
                "email": "achieng@example.org",
                "country": str(world.kenya.pk),
                "funded": "on",
            },
        )
    nominated = Registration.objects.get()
    assert nominated.status == RegistrationStatus.NOMINATED and nominated.funded
    page = client.get(f"/en/events/{event.identifier}/nominate/").content.decode()
    assert "Achieng Otieno" in page and "Nominated, not yet registered" in page
    # Twice the same person: a clear error, nothing more saved.
    response = client.post(
        f"/en/events/{event.identifier}/nominate/",
        {"name": "Achieng", "email": "Achieng@Example.org", "country": str(world.kenya.pk)},
    )
    assert "already nominated or registered" in response.content.decode()
    assert Registration.objects.count() == 1
    # The nominee follows the e-mailed link, without an account.
    client.logout()
    link = re.search(r"http://[^/\s]+(/en/events/registration/\S+/)", mail.outbox[-1].body)
    assert link is not None
    page = client.get(link.group(1)).content.decode()
    assert "Complete your registration" in page
    client.post(link.group(1), _form(action="complete", listed="on"))
    nominated.refresh_from_db()
    assert nominated.status == RegistrationStatus.CONFIRMED and nominated.listed


def test_a_person_who_is_not_a_focal_point_cannot_nominate(world: World, client: Client) -> None:
    event = make_event(world, accepts_nominations=True)
    client.force_login(world.learner)
    assert client.get(f"/en/events/{event.identifier}/nominate/").status_code == 403
    response = client.post(
        f"/en/events/{event.identifier}/nominate/",
        {"name": "Someone", "email": "someone@example.org", "country": str(world.kenya.pk)},
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_the_organiser_sets_registration_and_more_places_are_offered(world: World, client: Client) -> None:
    event = make_event(world, capacity=1)
    guest(event, 1)
    guest(event, 2)
    client.force_login(world.secretariat)
    response = client.post(
        f"/en/events/{event.identifier}/registration/settings/",
        {
            "registration_opens_at": "2026-01-01T09:00",
            "registration_closes_at": "",
            "capacity": "2",
            "seat_offer_hours": "24",
            "requires_approval": "on",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 2 and event.requires_approval and event.seat_offer_hours == 24
    # 09:00 in Nairobi is 06:00 in UTC.
    assert event.registration_opens_at is not None and event.registration_opens_at.hour == 6
    assert Registration.objects.get(email="guest2@example.org").status == RegistrationStatus.OFFERED
    response = client.post(
        f"/en/events/{event.identifier}/registration/settings/",
        {
            "registration_opens_at": "2026-02-01T09:00",
            "registration_closes_at": "2026-01-01T09:00",
            "seat_offer_hours": "24",
        },
    )
    assert "Registration closes before it opens." in response.content.decode()
    client.force_login(world.learner)
    assert client.get(f"/en/events/{event.identifier}/registration/settings/").status_code == 403


def test_the_organiser_edits_the_questions(world: World, client: Client) -> None:
    event = make_event(world)
    client.force_login(world.secretariat)
    url = f"/en/events/{event.identifier}/registration/questions/"
    client.post(
        url, {"text": "Session", "kind": "choice", "choices": "Morning\nAfternoon\n", "required": "on"}
    )
    client.post(url, {"text": "Diet", "kind": "text"})
    response = client.post(url, {"text": "Pick", "kind": "choice", "choices": "Only one"})
    assert "Give at least two choices, one a line." in response.content.decode()
    session, diet = event.questions.all()
    assert session.choices == [{"en": "Morning"}, {"en": "Afternoon"}] and session.required
    client.post(f"{url}{diet.pk}/up/")
    assert [item.pk for item in event.questions.all()] == [diet.pk, session.pk]
    client.post(
        f"{url}{session.pk}/", {"text": "Which session?", "kind": "choice", "choices": "Morning\nEvening"}
    )
    session.refresh_from_db()
    assert session.text == {"en": "Which session?"} and session.choices[1] == {"en": "Evening"}
    client.post(f"{url}{diet.pk}/remove/")
    assert list(event.questions.all()) == [session]


def test_the_participants_page_counts_and_acts(world: World, client: Client, commit: Commit) -> None:
    event = make_event(world, capacity=2, requires_approval=True)
    pending = guest(event, 1).registration
    guest(event, 2)
    waiting = guest(event, 3).registration
    client.force_login(world.secretariat)
    url = f"/en/events/{event.identifier}/registration/participants/"
    page = client.get(url).content.decode()
    assert "2 waiting for approval" in page and "1 on the waiting list" in page and "0 places left" in page
    assert "guest3@example.org" in page and "position 1 on the waiting list" in page
    with commit(execute=True):
        client.post(f"{url}{pending.pk}/decline/", {"message": "Full house"})
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED
    client.post(f"{url}{waiting.pk}/role/", {"role": "speaker"})
    waiting.refresh_from_db()
    assert waiting.role == "speaker"
    client.force_login(world.learner)
    assert client.get(url).status_code == 403
    assert client.post(f"{url}{waiting.pk}/cancel/").status_code == 403


def test_the_public_list_shows_only_those_who_consented_and_nothing_else(
    world: World, client: Client
) -> None:
    event = make_event(world)
    guest(event, 1, listed=True)
    guest(event, 2, listed=False, contactable=True)
    page = client.get(f"/en/events/{event.identifier}/participants/").content.decode()
    assert "Guest 1" in page and "Nature Kenya" in page
    assert "Guest 2" not in page
    # No e-mail address, no gender, no status.
    assert "guest1@example.org" not in page and "Woman" not in page


def test_my_registrations_lists_the_persons_events(world: World, client: Client) -> None:
    event = make_event(world)
    other = make_event(world, title={"en": "Training on access and benefit-sharing"})
    sign_up(event, world.learner)
    # Registered without signing in, with the account's e-mail address: theirs too.
    sign_up(other, name="Mei", email="mei@example.org")
    client.force_login(world.learner)
    page = client.get("/en/events/mine/registrations/").content.decode()
    assert "Workshop on invasive species" in page and "Training on access and benefit-sharing" in page
    assert 'href="/en/events/mine/registrations/"' in page


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_registration_pages_in_english_and_arabic(
    world: World, client: Client, language: str, direction: str
) -> None:
    event = make_event(world, accepts_nominations=True)
    registration = guest(event, 1, listed=True).registration
    client.force_login(world.secretariat)
    paths = [
        f"{event.identifier}/register/",
        f"{event.identifier}/participants/",
        f"{event.identifier}/registration/settings/",
        f"{event.identifier}/registration/questions/",
        f"{event.identifier}/registration/participants/",
        f"registration/{services.token_for(registration)}/",
        "mine/registrations/",
    ]
    for path in paths:
        response = client.get(f"/{language}/events/{path}")
        assert response.status_code == 200, path
        assert f'<html lang="{language}" dir="{direction}">' in response.content.decode(), path


def test_the_participants_pages_cost_the_same_whatever_their_rows(world: World, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Both times someone waits: the waiting list's own queries are there both times.
    event = make_event(world, capacity=2)
    services.add_question(
        event,
        actor=world.secretariat,
        values=services.QuestionInput("Diet", "text", [], False),
        language="en",
    )
    client.force_login(world.secretariat)
    urls = [
        f"/en/events/{event.identifier}/registration/participants/",
        f"/en/events/{event.identifier}/participants/",
    ]

    def costs() -> list[int]:
        counted = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counted.append(len(queries))
        return counted

    for number in range(1, 4):
        guest(event, number, listed=True)
    costs()  # the first request fills caches (the person's roles, content types)
    few = costs()
    for number in range(4, 12):
        guest(event, number, listed=True)
    assert costs() == few


@pytest.mark.parametrize("value", ["99999999999999999999999999", "-1", "abc"])
def test_hostile_numbers_in_the_settings_and_answers_get_a_clear_answer(
    world: World, client: Client, value: str
) -> None:
    event = make_event(world)
    question = services.add_question(
        event,
        actor=world.secretariat,
        values=services.QuestionInput("Session", "choice", ["Morning", "Afternoon"], True),
        language="en",
    )
    client.force_login(world.secretariat)
    response = client.post(
        f"/en/events/{event.identifier}/registration/settings/",
        {"capacity": value, "seat_offer_hours": value},
    )
    assert response.status_code == 200 and 'class="error' in response.content.decode().replace(
        "errorlist", "error"
    )
    # A choice is its number in plain digits: other scripts' digits are not read as one.
    for answer in (value, "١", "1.0"):
        with pytest.raises(ValidationError):
            guest(event, 1, answers={question.pk: answer})
    assert not Registration.objects.exists()
