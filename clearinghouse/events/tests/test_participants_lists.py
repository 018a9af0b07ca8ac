"""Participants' lists through the exchange engine: exported with the facts and answers for
organisers (only those who agreed to be listed for others), imported as confirmed
registrations from a partner's list, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.events import attendance_lists
from clearinghouse.events.models import Gender, Registration, RegistrationQuestion, RegistrationStatus, Sector
from clearinghouse.events.tests.attendance_factories import make_event, register


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_organisers_export_facts_and_answers_others_only_the_listed(world: World, client: Client) -> None:
    event = make_event(world)
    question = RegistrationQuestion.objects.create(event=event, text={"en": "Dietary needs?"})
    register(
        event,
        "Wanjiku Mwangi",
        country=world.kenya,
        gender=Gender.WOMAN,
        represents_iplc=True,
        sector=Sector.IPLC,
        listed=True,
        answers={str(question.pk): "Vegetarian"},
    )
    register(event, "Private Person", country=world.tanzania, gender=Gender.MAN)
    client.force_login(world.authorised_user)
    rows = _csv_rows(client.get(f"/en/events/{event.identifier}/participants.csv").content)
    assert [row["name"] for row in rows] == ["Private Person", "Wanjiku Mwangi"]
    wanjiku = rows[1]
    assert (wanjiku["email"], wanjiku["country"], wanjiku["gender"], wanjiku["represents_iplc"]) == (
        "wanjiku.mwangi@example.org",
        "KE",
        "woman",
        "yes",
    )
    assert wanjiku[f"answer.{question.pk}"] == "Vegetarian"
    client.logout()
    public = _csv_rows(client.get(f"/en/events/{event.identifier}/participants.csv").content)
    assert [row["name"] for row in public] == ["Wanjiku Mwangi"]
    # No contact details, facts or answers for the public.
    assert public[0]["email"] == "" and public[0]["gender"] == "" and f"answer.{question.pk}" not in public[0]


def test_after_the_event_only_those_who_agreed_to_be_contacted_keep_their_address(world: World) -> None:
    event = make_event(world, past=True)
    register(event, "Agrees", contactable=True)
    register(event, "Declines", contactable=False)
    rows = _csv_rows(attendance_lists.participants_export(event, "csv", "en", organiser=True))
    assert {row["name"]: row["email"] for row in rows} == {"Agrees": "agrees@example.org", "Declines": ""}


def test_an_exported_workbook_imports_into_another_event(world: World, client: Client) -> None:
    source, target = make_event(world), make_event(world, capacity=10)
    register(
        source,
        "Wanjiku Mwangi",
        country=world.kenya,
        gender=Gender.WOMAN,
        youth=True,
        sector=Sector.NGO,
        language="ar",
    )
    register(
        source, "Neema Mushi", country=world.tanzania, gender=Gender.WOMAN, represents_iplc=True, listed=True
    )
    client.force_login(world.authorised_user)
    workbook = client.get(f"/en/events/{source.identifier}/participants.xlsx").content
    response = client.post(
        f"/en/events/{target.identifier}/participants/import/",
        {"file": SimpleUploadedFile("participants.xlsx", workbook)},
    )
    assert response.status_code == 200, response.content.decode()
    assert "2 participants registered." in response.content.decode()
    imported = {item.name: item for item in Registration.objects.filter(event=target)}
    wanjiku, neema = imported["Wanjiku Mwangi"], imported["Neema Mushi"]
    assert wanjiku.status == RegistrationStatus.CONFIRMED
    assert (wanjiku.country, wanjiku.gender, wanjiku.youth, wanjiku.sector, wanjiku.language) == (
        world.kenya,
        Gender.WOMAN,
        True,
        Sector.NGO,
        "ar",
    )
    assert (neema.country, neema.represents_iplc, neema.listed) == (world.tanzania, True, True)
    # New codes: a registration's check-in code is its own.
    assert not set(Registration.objects.filter(event=source).values_list("code", flat=True)) & {
        wanjiku.code,
        neema.code,
    }


def test_a_partners_csv_with_problems_saves_nothing_and_says_where(world: World) -> None:
    event = make_event(world)
    register(event, "Already Here", email="here@example.org")
    content = (
        b"name,email,country,gender,youth\n"
        b"Good Person,good@example.org,KE,woman,no\n"
        b",missing@example.org,KE,,\n"
        b"Bad Mail,not-an-address,KE,,\n"
        b"Somewhere,somewhere@example.org,XX,,\n"
        b"Odd,odd@example.org,KE,robot,maybe\n"
        b"Again,here@example.org,,,\n"
        b"Twice,good@example.org,,,\n"
    )
    result = attendance_lists.import_participants(
        event, SimpleUploadedFile("partner.csv", content), actor=world.authorised_user, language="en"
    )
    found = sorted((problem.row, problem.column) for problem in result.problems)
    assert found == [
        (3, "name"),
        (4, "email"),
        (5, "country"),
        (6, "gender"),
        (6, "youth"),
        (7, "email"),
        (8, "email"),
    ]
    assert "This person is already registered." in {problem.message for problem in result.problems}
    assert "The same e-mail address is on row 2." in {problem.message for problem in result.problems}
    assert Registration.objects.filter(event=event).count() == 1


def test_an_import_past_the_places_left_saves_nothing(world: World) -> None:
    event = make_event(world, capacity=2)
    register(event, "Seated")
    content = b"name,email\nOne,one@example.org\nTwo,two@example.org\n"
    result = attendance_lists.import_participants(
        event, SimpleUploadedFile("partner.csv", content), actor=world.authorised_user, language="en"
    )
    assert [problem.message for problem in result.problems] == [
        "The event has 1 place left; the file has 2 participants."
    ]
    assert Registration.objects.filter(event=event).count() == 1


def test_only_organisers_import(world: World, client: Client) -> None:
    event = make_event(world)
    client.force_login(world.outsider)
    content = SimpleUploadedFile("partner.csv", b"name,email\nOne,one@example.org\n")
    assert (
        client.post(f"/en/events/{event.identifier}/participants/import/", {"file": content}).status_code
        == 403
    )
    assert not Registration.objects.exists()


def test_the_workbook_is_in_the_organisers_language(world: World, client: Client) -> None:
    event = make_event(world, starts_at=timezone.now() + timedelta(days=5))
    register(event, "Wanjiku Mwangi")
    client.force_login(world.authorised_user)
    workbook = load_workbook(
        io.BytesIO(client.get(f"/es/events/{event.identifier}/participants.xlsx").content)
    )
    assert workbook.sheetnames[0] == "Instrucciones"
