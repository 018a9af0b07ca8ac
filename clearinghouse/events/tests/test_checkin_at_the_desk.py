"""The check-in desk: a code scanned or typed, or a name picked from the list; twice changes
nothing; undo; wrong codes say what is wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events import attendance, permissions
from clearinghouse.events.models import RegistrationStatus
from clearinghouse.events.tests.attendance_factories import make_event, register


def _desk(client: Client, event_identifier: str) -> str:
    return f"/en/events/{event_identifier}/checkin/"


def test_the_events_organisers_run_the_desk_and_no_one_else(world: World, client: Client) -> None:
    event = make_event(world)
    assert permissions.is_organiser(world.authorised_user, event)
    client.force_login(world.authorised_user)
    assert client.get(_desk(client, event.identifier)).status_code == 200
    client.force_login(world.outsider)
    assert client.get(_desk(client, event.identifier)).status_code == 403
    client.logout()
    assert client.get(_desk(client, event.identifier)).status_code == 302


def test_a_scanned_code_checks_the_person_in_and_the_counts_follow(world: World, client: Client) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi", organisation_name="KEFRI")
    register(event, "Baraka Otieno")
    client.force_login(world.authorised_user)
    page = client.post(_desk(client, event.identifier), {"code": f"  {wanjiku.code} "}, follow=True)
    text = page.content.decode()
    assert "Checked in: Wanjiku Mwangi (KEFRI)." in text
    assert "1 of 2 expected participants checked in." in text
    wanjiku.refresh_from_db()
    assert wanjiku.checked_in_at is not None
    assert wanjiku.checked_in_by == world.authorised_user


def test_checking_in_twice_keeps_the_first_time_and_says_who_did_it(world: World, client: Client) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi")
    client.force_login(world.authorised_user)
    client.post(_desk(client, event.identifier), {"code": wanjiku.code})
    wanjiku.refresh_from_db()
    first = wanjiku.checked_in_at
    client.force_login(world.secretariat)
    text = client.post(_desk(client, event.identifier), {"code": wanjiku.code}, follow=True).content.decode()
    assert "Wanjiku Mwangi was already checked in at" in text
    assert "by Otieno Odhiambo" in text
    wanjiku.refresh_from_db()
    assert (wanjiku.checked_in_at, wanjiku.checked_in_by) == (first, world.authorised_user)


def test_a_person_is_found_by_name_and_checked_in_with_the_button(world: World, client: Client) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi")
    register(event, "Baraka Otieno")
    register(event, "Wanjiku Waiting", status=RegistrationStatus.WAITLISTED)
    client.force_login(world.authorised_user)
    found = client.get(_desk(client, event.identifier), {"q": "wanjiku"}).content.decode()
    assert "Wanjiku Mwangi" in found
    # Only the confirmed are expected at the desk.
    assert "Wanjiku Waiting" not in found and "Baraka" not in found.split("Find by name")[1]
    response = client.post(_desk(client, event.identifier), {"registration": wanjiku.pk, "q": "wanjiku"})
    assert response["Location"].endswith("?q=wanjiku")
    wanjiku.refresh_from_db()
    assert wanjiku.attended


def test_undo_takes_back_a_check_in(world: World, client: Client) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi")
    client.force_login(world.authorised_user)
    client.post(_desk(client, event.identifier), {"code": wanjiku.code})
    text = client.post(
        f"/en/events/{event.identifier}/checkin/undo/", {"registration": wanjiku.pk}, follow=True
    ).content.decode()
    assert "Check-in of Wanjiku Mwangi undone." in text
    assert "0 of 1 expected participant checked in." in text
    wanjiku.refresh_from_db()
    assert (wanjiku.checked_in_at, wanjiku.checked_in_by) == (None, None)


def test_an_unknown_code_says_so_and_changes_nothing(world: World, client: Client) -> None:
    event = make_event(world)
    register(event, "Wanjiku Mwangi")
    client.force_login(world.authorised_user)
    text = client.post(
        _desk(client, event.identifier), {"code": "no-such-code"}, follow=True
    ).content.decode()
    assert "No registration has the code “no-such-code”." in text
    assert attendance.counts(event) == (0, 1)


def test_a_code_of_another_event_names_that_event(world: World, client: Client) -> None:
    event, other = make_event(world), make_event(world)
    stranger = register(other, "Neema Mushi")
    client.force_login(world.authorised_user)
    text = client.post(_desk(client, event.identifier), {"code": stranger.code}, follow=True).content.decode()
    assert "This code is a registration for another event: Workshop on invasive species" in text
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


@pytest.mark.parametrize(
    "status", [RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED]
)
def test_a_registration_that_is_not_confirmed_is_not_checked_in(world: World, status: str) -> None:
    event = make_event(world)
    waiting = register(event, "Baraka Otieno", status=status)
    with pytest.raises(ValidationError, match="is not confirmed"):
        attendance.registration_by_code(event, waiting.code)
    with pytest.raises(ValidationError, match="is not confirmed"):
        attendance.check_in(waiting, actor=world.authorised_user)
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_the_desk_speaks_arabic_right_to_left(world: World, client: Client) -> None:
    event = make_event(world)
    client.force_login(world.secretariat)
    page = client.get(f"/ar/events/{event.identifier}/checkin/").content.decode()
    assert 'dir="rtl"' in page


def test_a_confirmed_participant_sees_their_ticket_with_its_qr_code(world: World, client: Client) -> None:
    event = make_event(world)
    mine = register(event, "Mei Wang", person=world.learner)
    client.force_login(world.learner)
    page = client.get(f"/en/events/{event.identifier}/ticket/").content.decode()
    assert "<svg" in page and mine.code in page
    mine.status = RegistrationStatus.WAITLISTED
    mine.save()
    response = client.get(f"/en/events/{event.identifier}/ticket/")
    assert response.status_code == 404
    assert "<svg" not in response.content.decode()
    assert "not confirmed yet" in response.content.decode()


def test_the_printable_ticket_is_a_pdf(world: World, client: Client) -> None:
    pytest.importorskip("weasyprint", exc_type=ImportError)
    event = make_event(world)
    register(event, "Mei Wang", person=world.learner)
    client.force_login(world.learner)
    response = client.get(f"/en/events/{event.identifier}/ticket/pdf/")
    if response.status_code == 503:
        pytest.skip("WeasyPrint's system libraries (Pango) are missing")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
