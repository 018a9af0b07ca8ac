"""Rooms without network: the check-in list downloaded before the event, filled at the desk,
uploaded after it. Rows match by code; the earliest time wins; every problem is listed per row
and nothing is applied while there is one."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.events import attendance_lists
from clearinghouse.events import models as event_models
from clearinghouse.events.models import Event, Registration, RegistrationStatus
from clearinghouse.events.tests.attendance_factories import make_event, register
from clearinghouse.exchange.cells import FORMULA_STARTS


def _filled_workbook(content: bytes, times: dict[str, str]) -> bytes:
    """The downloaded workbook with times written against codes, as the desk would."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = next(sheet for sheet in workbook.worksheets if sheet.cell(2, 1).value == "name")
    codes = [str(cell.value) for cell in sheet[2]]
    code_column, time_column = codes.index("code") + 1, codes.index("checked_in_at") + 1
    for row in range(3, sheet.max_row + 1):
        code = sheet.cell(row, code_column).value
        if code in times:
            sheet.cell(row, time_column).value = times.pop(code)
    for code, value in times.items():
        # Codes the list did not have: new rows at the end.
        row = sheet.max_row + 1
        sheet.cell(row, code_column).value = code
        sheet.cell(row, time_column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "checkin.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _first_day(event: Event) -> str:
    assert event.starts_at is not None
    return timezone.localtime(event.starts_at, event.zone).strftime("%Y-%m-%d")


def test_the_list_holds_the_confirmed_participants_with_their_codes(world: World, client: Client) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi", organisation_name="KEFRI", country=world.kenya)
    register(event, "Baraka Waiting", status=RegistrationStatus.WAITLISTED)
    client.force_login(world.authorised_user)
    response = client.get(f"/fr/events/{event.identifier}/checkin/list.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    titles = workbook.sheetnames
    assert titles[0] == "Instructions"
    sheet = workbook.worksheets[1]
    assert [cell.value for cell in sheet[3]][:5] == ["Wanjiku Mwangi", "KEFRI", "Kenya", wanjiku.code, None]
    assert sheet.max_row == 3 or all(cell.value is None for cell in sheet[4])
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/en/events/{event.identifier}/checkin/list.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert [(row["name"], row["code"]) for row in rows] == [("Wanjiku Mwangi", wanjiku.code)]
    client.force_login(world.outsider)
    assert client.get(f"/en/events/{event.identifier}/checkin/list.xlsx").status_code == 403


def test_a_check_in_code_never_starts_like_a_formula(monkeypatch: pytest.MonkeyPatch) -> None:
    # A spreadsheet reads "-x" as a formula, so an export would print the code as "'-x" and the
    # desk would read out a code with an apostrophe: such draws are thrown away.
    drawn = iter(["-aXpS1LGgpid0_bLSM1sCw", "_b7S1LGgpid0_bLSM1sCw", "K2pS1LGgpid0_bLSM1sCw"])
    monkeypatch.setattr(event_models.secrets, "token_urlsafe", lambda size: next(drawn))
    assert event_models._token() == "K2pS1LGgpid0_bLSM1sCw"
    monkeypatch.undo()
    assert all(not event_models._token().startswith((*FORMULA_STARTS, "_")) for _ in range(500))


def test_the_filled_list_adds_the_check_ins_and_an_earlier_one_wins(world: World, client: Client) -> None:
    event = make_event(world)
    assert event.starts_at is not None
    early = event.starts_at + timedelta(minutes=5)
    wanjiku = register(event, "Wanjiku Mwangi")
    baraka = register(event, "Baraka Otieno", checked_in_at=early)
    amani = register(event, "Amani Kiptoo", checked_in_at=event.starts_at + timedelta(hours=5))
    absent = register(event, "Absent Person")
    content = attendance_lists.checkin_list(event, "xlsx", "en")
    later = timezone.localtime(event.starts_at + timedelta(hours=2), event.zone).strftime("%H:%M")
    filled = _filled_workbook(
        content,
        {wanjiku.code: f"{_first_day(event)} {later}", baraka.code: later, amani.code: later},
    )
    client.force_login(world.authorised_user)
    response = client.post(f"/en/events/{event.identifier}/checkin/upload/", {"file": _upload(filled)})
    text = response.content.decode()
    assert response.status_code == 200, text
    assert "2 check-ins added." in text
    assert "1 person was already checked in earlier: that time is kept." in text
    by_name = {item.name: item for item in Registration.objects.filter(event=event)}
    assert timezone.localtime(by_name["Wanjiku Mwangi"].checked_in_at, event.zone).strftime("%H:%M") == later
    assert by_name["Wanjiku Mwangi"].checked_in_by == world.authorised_user
    assert by_name["Baraka Otieno"].checked_in_at == early
    # Recorded later at the desk than the sheet says: the sheet's earlier time wins.
    assert timezone.localtime(by_name["Amani Kiptoo"].checked_in_at, event.zone).strftime("%H:%M") == later
    assert by_name["Absent Person"].checked_in_at is None
    assert absent.checked_in_at is None


def test_bad_codes_and_bad_times_are_listed_per_row_and_nothing_is_applied(
    world: World, client: Client
) -> None:
    event, other = make_event(world), make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi")
    baraka = register(event, "Baraka Otieno")
    waiting = register(event, "Neema Waiting", status=RegistrationStatus.WAITLISTED)
    stranger = register(other, "Stranger")
    content = attendance_lists.checkin_list(event, "xlsx", "fr")
    filled = _filled_workbook(
        content,
        {
            wanjiku.code: "10:42",
            baraka.code: "half past ten",
            "made-up-code": "10:00",
            stranger.code: "10:00",
            waiting.code: "10:05",
        },
    )
    client.force_login(world.authorised_user)
    response = client.post(f"/fr/events/{event.identifier}/checkin/upload/", {"file": _upload(filled)})
    text = response.content.decode()
    assert response.status_code == 400
    # In the uploader's language, each with its row.
    assert "« half past ten »" in text or "half past ten" in text
    problems = attendance_lists.synchronise(
        event, _upload(filled), actor=world.authorised_user, language="en"
    ).problems
    messages = sorted(problem.message for problem in problems)
    assert messages == sorted(
        [
            "“half past ten” is not a time: write it as HH:MM, or YYYY-MM-DD HH:MM.",
            "No registration of this event has this code.",
            "This code is a registration for another event.",
            "This registration is not confirmed (On the waiting list): it cannot be checked in.",
        ]
    )
    assert all(problem.row and problem.row >= 3 for problem in problems)
    assert not Registration.objects.filter(event=event, checked_in_at__isnull=False).exists()


def test_a_time_outside_the_events_dates_is_refused(world: World) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi")
    filled = _filled_workbook(
        attendance_lists.checkin_list(event, "xlsx", "en"), {wanjiku.code: "1999-01-01 10:00"}
    )
    result = attendance_lists.synchronise(event, _upload(filled), actor=world.authorised_user, language="en")
    assert [problem.message for problem in result.problems] == [
        "1999-01-01 10:00 is outside the dates of the event."
    ]
    wanjiku.refresh_from_db()
    assert wanjiku.checked_in_at is None


def test_the_csv_list_round_trips_too(world: World) -> None:
    event = make_event(world)
    wanjiku = register(event, "=Wanjiku", email="wanjiku@example.org")
    rows = list(
        csv.DictReader(io.StringIO(attendance_lists.checkin_list(event, "csv", "en").decode("utf-8-sig")))
    )
    # A name a spreadsheet would run as a formula is written as text.
    assert rows[0]["name"] == "'=Wanjiku"
    rows[0]["checked_in_at"] = "09:15"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    result = attendance_lists.synchronise(
        event, _upload(text.getvalue().encode(), "list.csv"), actor=world.authorised_user, language="en"
    )
    assert (result.checked_in, result.problems) == (1, [])
    wanjiku.refresh_from_db()
    assert timezone.localtime(wanjiku.checked_in_at, event.zone).strftime("%H:%M") == "09:15"


def test_a_file_that_is_not_a_list_is_refused_as_a_whole(world: World) -> None:
    event = make_event(world)
    register(event, "Wanjiku Mwangi")
    for content in (b"", b"just,some\ncolumns,here\n", b"%PDF-1.7 not a list"):
        result = attendance_lists.synchronise(
            event, _upload(content, "x.csv"), actor=world.authorised_user, language="en"
        )
        assert len(result.problems) == 1 and result.problems[0].row is None
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_a_code_written_twice_counts_its_earlier_time(world: World) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi")
    content = f"code,checked_in_at\n{wanjiku.code},11:30\n{wanjiku.code},09:45\n".encode()
    result = attendance_lists.synchronise(
        event, _upload(content, "list.csv"), actor=world.authorised_user, language="en"
    )
    assert (result.checked_in, result.problems) == (1, [])
    wanjiku.refresh_from_db()
    assert timezone.localtime(wanjiku.checked_in_at, event.zone).strftime("%H:%M") == "09:45"


def test_only_organisers_upload_and_a_missing_file_is_asked_for(world: World, client: Client) -> None:
    event = make_event(world)
    wanjiku = register(event, "Wanjiku Mwangi")
    content = f"code,checked_in_at\n{wanjiku.code},10:00\n".encode()
    client.force_login(world.outsider)
    url = f"/en/events/{event.identifier}/checkin/upload/"
    assert client.post(url, {"file": _upload(content, "list.csv")}).status_code == 403
    client.force_login(world.authorised_user)
    response = client.post(url, {})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    wanjiku.refresh_from_db()
    assert wanjiku.checked_in_at is None
