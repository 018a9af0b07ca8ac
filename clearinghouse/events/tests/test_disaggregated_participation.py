"""Disaggregated participation: registered and attended by country, region, gender, IPLC,
youth, sector and role; publicly no figure under 5 and none that gives one away; exact for the
event's organisers and the Secretariat."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events import statistics
from clearinghouse.events.models import Event, Gender, RegistrationStatus
from clearinghouse.events.statistics import Dimension, Figure, Hidden
from clearinghouse.events.tests.attendance_factories import make_event, register
from clearinghouse.geo.models import Country, RegionalGroup


def _people(event: Event, count: int, *, attended: int = 0, **facts: object) -> None:
    prefix = "-".join(str(value) for value in facts.values()) or "p"
    for number in range(count):
        register(
            event,
            f"{prefix} {event.pk} {number}",
            checked_in_at=timezone.now() if number < attended else None,
            **facts,
        )


def _figures(breakdown: statistics.Breakdown) -> dict[str, tuple[Figure, Figure]]:
    return {row.key: (row.registered, row.attended) for row in breakdown.rows}


def test_exact_counts_by_gender(world: World) -> None:
    event = make_event(world, past=True)
    _people(event, 7, attended=6, gender=Gender.WOMAN)
    _people(event, 3, attended=1, gender=Gender.MAN)
    _people(event, 2, gender="")
    register(event, "Waiting", status=RegistrationStatus.WAITLISTED, gender=Gender.MAN)
    table = statistics.participation(Event.objects.filter(pk=event.pk), "gender", exact=True)
    assert _figures(table) == {
        "woman": (Figure(7), Figure(6)),
        "man": (Figure(3), Figure(1)),
        "": (Figure(2), Figure(0)),
    }
    assert (table.total.registered, table.total.attended) == (Figure(12), Figure(7))
    assert [row.label for row in table.rows] == ["Woman", "Man", "Not given"]


def test_publicly_small_figures_are_hidden_and_so_is_their_complement(world: World) -> None:
    event = make_event(world, past=True)
    _people(event, 9, attended=8, gender=Gender.WOMAN)
    _people(event, 6, attended=5, gender=Gender.MAN)
    _people(event, 2, attended=2, gender=Gender.ANOTHER)
    table = statistics.participation(Event.objects.filter(pk=event.pk), Dimension.GENDER)
    figures = _figures(table)
    # 2 people of another gender: under 5.
    assert figures["another"][0] == Figure(None, Hidden.FEWER)
    # Total 17 minus 9 would give the 2 away: the smaller of the others (6) is hidden too.
    assert figures["man"][0] == Figure(None, Hidden.COMPLEMENT)
    assert figures["woman"][0] == Figure(9)
    assert table.total.registered == Figure(17)
    assert (figures["another"][1], figures["man"][1], figures["woman"][1]) == (
        Figure(None, Hidden.FEWER),
        Figure(None, Hidden.COMPLEMENT),
        Figure(8),
    )
    assert str(figures["another"][0]) == "fewer than 5"


def test_a_yes_no_breakdown_with_a_small_side_hides_both(world: World) -> None:
    event = make_event(world, past=True)
    _people(event, 12, represents_iplc=False)
    _people(event, 3, represents_iplc=True)
    figures = _figures(statistics.participation(Event.objects.filter(pk=event.pk), Dimension.IPLC))
    assert figures["yes"][0].value is None and figures["no"][0].value is None


def test_when_nothing_can_cover_a_small_figure_the_total_is_hidden(world: World) -> None:
    event = make_event(world, past=True)
    _people(event, 3, role="speaker")
    table = statistics.participation(Event.objects.filter(pk=event.pk), Dimension.ROLE)
    assert table.total.registered == Figure(None, Hidden.FEWER)
    other = make_event(world, past=True)
    _people(other, 3, role="speaker")
    _people(other, 7, role="participant", attended=0)
    # Attended: 0 participants shown, 0 speakers shown; nothing under 5 above zero.
    table = statistics.participation(Event.objects.filter(pk=other.pk), Dimension.ROLE)
    assert _figures(table)["participant"][1] == Figure(0)


def test_countries_are_protected_within_their_regional_group(world: World) -> None:
    uganda = Country.objects.create(
        code="UG", alpha3="UGA", names={"en": "Uganda"}, regional_group=RegionalGroup.AFRICA
    )
    france = Country.objects.create(
        code="FR", alpha3="FRA", names={"en": "France"}, regional_group=RegionalGroup.WEOG
    )
    event = make_event(world, past=True)
    _people(event, 8, country=world.kenya)
    _people(event, 2, country=uganda)
    _people(event, 6, country=world.tanzania)
    _people(event, 20, country=france)
    figures = _figures(statistics.participation(Event.objects.filter(pk=event.pk), Dimension.COUNTRY))
    assert figures["UG"][0] == Figure(None, Hidden.FEWER)
    # Africa's 16 minus Kenya's 8 would give Uganda's 2 away: Tanzania's 6 is hidden.
    assert figures["TZ"][0] == Figure(None, Hidden.COMPLEMENT)
    assert figures["KE"][0] == Figure(8) and figures["FR"][0] == Figure(20)
    regions = _figures(statistics.participation(Event.objects.filter(pk=event.pk), Dimension.REGION))
    assert regions[RegionalGroup.AFRICA.value][0] == Figure(16)


def test_a_filter_on_the_participants_party(world: World) -> None:
    event = make_event(world, past=True)
    _people(event, 6, country=world.kenya, gender=Gender.WOMAN)
    _people(event, 6, country=world.tanzania, gender=Gender.MAN)
    table = statistics.participation(
        Event.objects.filter(pk=event.pk), "gender", exact=True, party=world.kenya
    )
    assert _figures(table) == {"woman": (Figure(6), Figure(0))}


def test_an_unknown_breakdown_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="Unknown breakdown"):
        statistics.participation(Event.objects.none(), "shoe_size")


def test_the_event_panel_is_public_after_the_event_and_exact_for_organisers(
    world: World, client: Client
) -> None:
    past, coming = make_event(world, past=True), make_event(world)
    _people(past, 3, gender=Gender.WOMAN)
    _people(coming, 3, gender=Gender.WOMAN)
    anonymous = statistics.event_panel(past, None)
    gender = next(table for table in anonymous if table.by == Dimension.GENDER)
    assert gender.rows[0].registered.value is None and not gender.exact
    assert statistics.event_panel(coming, None) == []
    for organiser in (world.authorised_user, world.secretariat):
        tables = statistics.event_panel(coming, organiser)
        gender = next(table for table in tables if table.by == Dimension.GENDER)
        assert gender.exact and gender.rows[0].registered == Figure(3)


def test_the_participation_page_hides_small_figures_and_refuses_bad_filters(
    world: World, client: Client
) -> None:
    event = make_event(world, past=True)
    _people(event, 3, gender=Gender.WOMAN, attended=3)
    _people(event, 9, gender=Gender.MAN, attended=4)
    page = client.get("/en/events/participation/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "fewer than 5" in text and "<svg" in text
    assert ">3<" not in text
    client.force_login(world.secretariat)
    text = client.get("/en/events/participation/", {"kind": "workshop"}).content.decode()
    assert "fewer than 5" not in text and ">3<" in text
    client.logout()
    for bad in ({"year": "last year"}, {"kind": "party"}, {"party": "XX"}, {"region": "Atlantis"}):
        response = client.get("/en/events/participation/", bad)
        assert response.status_code == 400, bad
        assert "errorlist" in response.content.decode()
    assert (
        "No Party has the code XX."
        in client.get("/en/events/participation/", {"party": "XX"}).content.decode()
    )


def test_the_page_reads_right_to_left_in_arabic(world: World, client: Client) -> None:
    event = make_event(world, past=True)
    _people(event, 10, gender=Gender.WOMAN)
    _people(event, 6, gender=Gender.MAN)
    text = client.get("/ar/events/participation/").content.decode()
    assert 'dir="rtl"' in text
    # The bars grow from the right: 6 of 10 starts at 40.
    assert '<rect x="40" y="0" width="60"' in text
    assert '<rect x="0" y="0" width="60"' in client.get("/en/events/participation/").content.decode()
