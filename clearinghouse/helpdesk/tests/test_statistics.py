"""The help desk's figures on a small known set of tickets: counts by dimension, times and the
share within target, satisfaction, Parties assisted per year, cases, FAQ entries; the period and
desk filters; the page (agents see their desks only) and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role
from clearinghouse.accounts.roles import forget_appointments
from clearinghouse.core.testing import World, give_second_factor, make_user
from clearinghouse.helpdesk import statistics
from clearinghouse.helpdesk.models import Channel, Desk, FaqEntry, Status, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_faq import answered_ticket, published_entry
from clearinghouse.matchmaking.models import Case
from clearinghouse.needs.models import Need

pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _set(ticket: Ticket, **fields: Any) -> None:
    """Times and outcomes written straight to the row: the figures read only the row."""
    Ticket.objects.filter(pk=ticket.pk).update(**fields)


@pytest.fixture
def desks(world: World) -> dict[str, Desk]:
    central = factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)
    africa = factories.desk("africa", central=False, host=world.kenyan_ngo, name={"en": "Africa desk"})
    return {"central": central, "africa": africa}


@pytest.fixture
def known(world: World, desks: dict[str, Desk], django_capture_on_commit_callbacks: Any) -> dict[str, Ticket]:
    """Four tickets counted and one merged (left out):

    one  central, web, en, Kenya, needs; 2025-03-03 10:00; answered after 2 h (due 4 h), closed
         after 10 h (due 16 h), rated 5
    two  africa, e-mail, fr, Tanzania, needs; 2026-02-02 09:00; answered after 6 h (due 4 h),
         closed after 30 h (due 16 h), rated 3; kept as a published FAQ entry
    three africa, e-mail, fr, Kenya, events; 2026-02-03 09:00; answered after 1 h (due 4 h), still
         open past its resolution due time; became a matchmaking case
    four central, phone, ar, no Party, no topic; 2026-02-04; new, its targets still ahead
    """
    needs, events = factories.topic("needs"), factories.topic("events")
    made = {
        "one": factories.ticket(desk=desks["central"], topic=needs, country=world.kenya),
        "two": answered_ticket(
            world,
            desk=desks["africa"],
            topic=needs,
            country=world.tanzania,
            language="fr",
            channel=Channel.EMAIL,
        ),
        "three": factories.ticket(
            desk=desks["africa"], topic=events, country=world.kenya, language="fr", channel=Channel.EMAIL
        ),
        "four": factories.ticket(desk=desks["central"], language="ar", channel=Channel.PHONE),
        "merged": factories.ticket(desk=desks["central"], country=world.tanzania),
    }
    hours = timedelta(hours=1)
    one, two, three = _at(2025, 3, 3, 10), _at(2026, 2, 2, 9), _at(2026, 2, 3, 9)
    _set(
        made["one"],
        created_at=one,
        first_response_at=one + 2 * hours,
        first_response_due=one + 4 * hours,
        closed_at=one + 10 * hours,
        resolution_due=one + 16 * hours,
        status=Status.CLOSED,
        satisfaction=5,
    )
    _set(
        made["two"],
        created_at=two,
        first_response_at=two + 6 * hours,
        first_response_due=two + 4 * hours,
        closed_at=two + 30 * hours,
        resolution_due=two + 16 * hours,
        status=Status.CLOSED,
        waiting_since=None,
        satisfaction=3,
    )
    need = Need.objects.create(
        identifier="CB-NEED-KE-000001", owner_country=world.kenya, original_language="en"
    )
    _set(
        made["three"],
        created_at=three,
        first_response_at=three + hours,
        first_response_due=three + 4 * hours,
        resolution_due=three + 16 * hours,
        status=Status.OPEN,
        case=Case.objects.create(need=need),
    )
    far = _at(2100, 1, 1)
    _set(made["four"], created_at=_at(2026, 2, 4), first_response_due=far, resolution_due=far)
    _set(made["merged"], status=Status.MERGED, merged_into=made["one"], closed_at=one, created_at=one)
    with django_capture_on_commit_callbacks(execute=True):
        entry = published_entry(
            world, question={"fr": "Où est le formulaire ?"}, answer={"fr": "Sous Mon travail."}
        )
    FaqEntry.objects.filter(pk=entry.pk).update(
        source_ticket=made["two"], first_published_at=_at(2026, 2, 10)
    )
    return made


def _rows(table: statistics.Breakdown) -> dict[str, int]:
    return {row.key: row.count for row in table.rows}


def test_tickets_are_counted_by_every_dimension(known: dict[str, Ticket]) -> None:
    report = statistics.report(statistics.Filters())
    assert report.total == 4  # the merged ticket counts in the one it went into
    tables = {table.name: _rows(table) for table in report.breakdowns}
    assert tables["channel"] == {"web": 1, "email": 2, "phone": 1}
    assert tables["desk"] == {"central": 2, "africa": 2}
    assert tables["topic"] == {"needs": 2, "events": 1, "": 1}
    assert tables["party"] == {"KE": 2, "TZ": 1, "": 1}
    assert tables["region"] == {"Africa": 3, "": 1}
    assert tables["language"] == {"en": 1, "fr": 2, "ar": 1}
    assert tables["status"] == {"closed": 2, "open": 1, "new": 1}
    party = next(table for table in report.breakdowns if table.name == "party")
    # Most first, the tickets without a Party last, named in the reader's language.
    assert [row.label for row in party.rows] == ["Kenya", "Tanzania", "Not known"]
    assert party.total == 4 and party.rows[0].bar == 100 and party.rows[1].bar == 50


def test_times_are_medians_and_90th_percentiles_with_the_share_within_target(
    known: dict[str, Ticket],
) -> None:
    first, resolution = statistics.report(statistics.Filters()).timings
    # First responses after 1, 2 and 6 hours; two met their due time.
    assert (first.count, first.median, first.p90) == (3, timedelta(hours=2), timedelta(hours=6))
    assert (first.within_target, first.judged, first.share_within_target) == (2, 3, 66.7)
    # Closed after 10 and 30 hours, one in time; the open ticket past its due time missed it
    # already; the new ticket's targets are still ahead and are not judged.
    assert (resolution.count, resolution.median, resolution.p90) == (
        2,
        timedelta(hours=10),
        timedelta(hours=30),
    )
    assert (resolution.within_target, resolution.judged, resolution.share_within_target) == (1, 3, 33.3)


def test_satisfaction_parties_cases_and_faq_entries(known: dict[str, Ticket]) -> None:
    report = statistics.report(statistics.Filters())
    assert report.satisfaction.rated == 2 and report.satisfaction.average == Decimal("4.00")
    assert report.satisfaction.distribution == ((1, 0), (2, 0), (3, 1), (4, 0), (5, 1))
    # The annex's indicator: distinct Parties assisted, per year.
    assert report.parties_by_year == ((2025, 1), (2026, 2))
    assert report.parties_assisted == 2
    assert report.to_matchmaking == 1
    assert report.faq_published == 1


def test_the_period_and_the_desk_narrow_every_figure(
    known: dict[str, Ticket], desks: dict[str, Desk]
) -> None:
    year = statistics.report(statistics.Filters(date(2026, 1, 1), date(2026, 12, 31)))
    assert year.total == 3 and year.parties_by_year == ((2026, 2),) and year.satisfaction.rated == 1
    assert year.faq_published == 1
    # The last day counts whole: a ticket at 09:00 on 2 February is in a period ending that day.
    assert statistics.report(statistics.Filters(date(2026, 2, 2), date(2026, 2, 2))).total == 1
    africa = statistics.report(statistics.Filters(desks=[desks["africa"].pk]))
    assert africa.total == 2 and africa.to_matchmaking == 1 and africa.faq_published == 1
    central = statistics.report(statistics.Filters(desks=[desks["central"].pk]))
    assert central.total == 2 and central.faq_published == 0 and central.satisfaction.rated == 1


def test_the_report_costs_a_fixed_number_of_queries(known: dict[str, Ticket], world: World) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            statistics.report(statistics.Filters())
        return len(context.captured_queries)

    before = queries()
    for _ in range(5):
        factories.ticket(desk=known["one"].desk, country=world.tanzania)
    assert queries() == before


# --- the page and the CSV -----------------------------------------------------------------------------


@pytest.fixture
def regional_agent(desks: dict[str, Desk]) -> Any:
    """An agent of the Africa desk only."""
    agent = make_user("kofi", "Kofi", "Mensah", "fr")
    appointments.appoint(actor=None, user=agent, role=Role.HELPDESK_AGENT)
    give_second_factor(agent)
    forget_appointments(agent)
    desks["africa"].agents.add(agent)
    return agent


def test_the_page_shows_the_secretariat_every_desk_in_accessible_tables(
    known: dict[str, Ticket], world: World, client: Client
) -> None:
    client.force_login(world.secretariat)
    page = client.get("/en/helpdesk/statistics/").content.decode()
    assert "4 tickets counted." in page
    assert '<th scope="row">Parties assisted</th><td>2</td>' in page
    assert '<th scope="row" dir="auto">Africa desk</th><td>2</td>' in page
    assert "66.7 % (2 of 3)" in page
    rtl = client.get("/ar/helpdesk/statistics/").content.decode()
    assert 'dir="rtl"' in rtl.split("<head", 1)[0]


def test_a_regional_agent_sees_only_their_desk_and_others_nothing(
    known: dict[str, Ticket], world: World, regional_agent: Any, client: Client
) -> None:
    client.force_login(regional_agent)
    page = client.get("/en/helpdesk/statistics/").content.decode()
    assert "2 tickets counted." in page
    # Another desk is not among the choices: asking for it is refused.
    assert client.get("/en/helpdesk/statistics/", {"desk": "central"}).status_code == 400
    # The help desk's home leads agents to the page; nobody else reaches either.
    assert 'href="/en/helpdesk/statistics/"' in client.get("/en/helpdesk/").content.decode()
    for person in (world.outsider, world.focal_point):
        client.force_login(person)
        assert client.get("/en/helpdesk/").status_code == 403
        assert client.get("/en/helpdesk/statistics/").status_code == 403
        assert client.get("/en/helpdesk/statistics/csv/").status_code == 403


def test_a_period_ending_before_it_starts_is_refused_in_the_readers_language(
    known: dict[str, Ticket], world: World, client: Client
) -> None:
    client.force_login(world.secretariat)
    response = client.get("/es/helpdesk/statistics/", {"start": "2026-03-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "El período termina antes de empezar." in response.content.decode()


def test_the_csv_holds_the_same_figures(known: dict[str, Ticket], world: World, client: Client) -> None:
    client.force_login(world.secretariat)
    response = client.get("/en/helpdesk/statistics/csv/", {"desk": "africa"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Item", "Figure"]
    assert ["Tickets", "Total", "2"] in rows
    assert ["By Party", "Tanzania", "1"] in rows and ["By Party", "Kenya", "1"] in rows
    assert ["First response", "Median (hours)", "1.0"] in rows
    assert ["Parties assisted", "2026", "2"] in rows
    assert ["Matchmaking", "Tickets that became matchmaking cases", "1"] in rows
