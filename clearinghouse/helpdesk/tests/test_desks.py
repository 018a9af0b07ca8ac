"""Desk management (desks.py and its pages): the Secretariat sets desks and topics up; a desk's
leads keep its hours, closed days and service levels; bad input gets a clear error and saves
nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clearinghouse.helpdesk import desks
from clearinghouse.helpdesk.models import Desk, HelpTopic, ServiceLevel
from clearinghouse.helpdesk.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    return factories.desk("central", agents=[world.helpdesk_agent])


def desk_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "part": "settings",
        "code": "eastern-africa",
        "name_en": "Eastern Africa help desk",
        "name_fr": "Service d'assistance pour l'Afrique de l'Est",
        "name_ar": "مكتب المساعدة لشرق أفريقيا",
        "languages": ["en", "fr"],
        "regions": ["Africa"],
        "active": "on",
    }
    data.update(changes)
    return data


def test_the_secretariat_sets_up_a_regional_desk_with_its_agents(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.secretariat)
    response = client.post(
        reverse("helpdesk:desk_new"),
        desk_data(
            countries=[world.kenya.pk], agents=[world.helpdesk_agent.pk], leads=[world.helpdesk_agent.pk]
        ),
    )
    assert response.status_code == 302
    desk = Desk.objects.get(code="eastern-africa")
    assert desk.name["ar"] == "مكتب المساعدة لشرق أفريقيا" and not desk.is_central
    assert list(desk.agents.all()) == [world.helpdesk_agent] and list(desk.countries.all()) == [world.kenya]
    assert desk.regions == ["Africa"]


def test_a_second_central_desk_is_refused_with_a_clear_error(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.secretariat)
    response = client.post(reverse("helpdesk:desk_new"), desk_data(is_central="on"))
    assert response.status_code == 200
    assert "already the central desk" in response.content.decode()
    assert not Desk.objects.filter(code="eastern-africa").exists()


def test_only_agents_and_the_secretariat_can_be_agents_of_a_desk(world, central) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(desks.DeskError) as refused:
        desks.save_desk(
            None,
            actor=world.secretariat,
            fields={"code": "other", "name": {"en": "Other"}, "languages": ["en"]},
            agents=[world.outsider],
        )
    assert "agents" in refused.value.message_dict
    assert world.outsider not in desks.eligible_agents()
    assert {world.helpdesk_agent, world.secretariat} <= set(desks.eligible_agents())


def test_a_lead_keeps_the_hours_but_not_the_settings(world, central, client) -> None:  # type: ignore[no-untyped-def]
    central.leads.add(world.helpdesk_agent)
    client.force_login(world.helpdesk_agent)
    url = reverse("helpdesk:desk_edit", args=[central.code])
    assert client.post(url, desk_data(code="central")).status_code == 403
    hours = {"part": "calendar", "time_zone": "Africa/Nairobi", "holiday_country": "KE"}
    hours |= {"d0_1_opens": "08:00", "d0_1_closes": "12:00", "d0_2_opens": "13:00", "d0_2_closes": "16:30"}
    assert client.post(url, hours).status_code == 302
    central.refresh_from_db()
    assert central.opening_hours == {"0": [["08:00", "12:00"], ["13:00", "16:30"]]}
    assert central.time_zone == "Africa/Nairobi" and central.holiday_country == "KE"
    client.force_login(world.trainer)
    assert client.get(url).status_code == 403


def test_overlapping_or_half_given_hours_are_refused_and_nothing_changes(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.secretariat)
    url = reverse("helpdesk:desk_edit", args=[central.code])
    base = {"part": "calendar", "time_zone": "UTC", "holiday_country": ""}
    overlapping = client.post(
        url,
        base | {"d1_1_opens": "09:00", "d1_1_closes": "13:00", "d1_2_opens": "12:00", "d1_2_closes": "17:00"},
    )
    assert "must not overlap" in overlapping.content.decode()
    half = client.post(url, base | {"d2_1_opens": "09:00"})
    assert "Give both the opening and the closing time" in half.content.decode()
    never = client.post(url, base)
    assert "at least one period in the week" in never.content.decode()
    unknown_zone = client.post(
        url, base | {"time_zone": "Mars/Olympus", "d0_1_opens": "09:00", "d0_1_closes": "10:00"}
    )
    assert unknown_zone.status_code == 200 and "Mars/Olympus" in unknown_zone.content.decode()
    central.refresh_from_db()
    assert (
        central.time_zone == "UTC"
        and central.opening_hours == Desk._meta.get_field("opening_hours").default()
    )


def test_closed_days_are_added_and_removed(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.secretariat)
    url = reverse("helpdesk:desk_edit", args=[central.code])
    client.post(url, {"part": "closure", "closure-date": "2026-12-24", "closure-reason": "Staff retreat"})
    closure = central.closures.get()
    assert closure.date == date(2026, 12, 24) and closure.reason == "Staff retreat"
    again = client.post(url, {"part": "closure", "closure-date": "2026-12-24"})
    assert "already closed that day" in again.content.decode()
    client.post(url, {"part": "closure_remove", "closure": closure.pk})
    assert not central.closures.exists()


def test_service_levels_per_topic_are_set_replaced_and_checked(world, central, client) -> None:  # type: ignore[no-untyped-def]
    technical = factories.topic("technical")
    client.force_login(world.secretariat)
    url = reverse("helpdesk:desk_edit", args=[central.code])
    level = {"part": "level", "level-topic": technical.pk, "level-first_response_hours": "2"}
    level |= {"level-resolution_hours": "8", "level-warn_at_percent": "70"}
    assert client.post(url, level).status_code == 302
    client.post(url, level | {"level-resolution_hours": "10"})
    saved = ServiceLevel.objects.get(desk=central, topic=technical)
    assert saved.resolution_hours == Decimal("10") and saved.warn_at_percent == 70
    backwards = client.post(url, level | {"level-resolution_hours": "1"})
    assert "Resolution cannot be due before the first response." in backwards.content.decode()
    assert ServiceLevel.objects.get(desk=central, topic=technical).resolution_hours == Decimal("10")
    page = client.get(url).content.decode()
    assert "open tickets keep the due times" in page


def test_the_secretariat_manages_help_topics_in_six_languages(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.secretariat)
    data = {"code": "technical", "name_en": "Technical problem", "name_zh": "技术问题", "position": "3"}
    assert client.post(reverse("helpdesk:topics"), data | {"active": "on"}).status_code == 302
    topic = HelpTopic.objects.get(code="technical")
    assert topic.name == {"en": "Technical problem", "zh": "技术问题"} and topic.active
    nameless = client.post(
        reverse("helpdesk:topic_edit", args=[topic.pk]), {"code": "technical", "position": "1"}
    )
    assert "Name the topic in at least one language." in nameless.content.decode()
    client.force_login(world.helpdesk_agent)
    assert client.get(reverse("helpdesk:topics")).status_code == 403


def test_people_outside_the_help_desk_see_no_desk(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.outsider)
    assert client.get(reverse("helpdesk:desks")).status_code == 403
    with pytest.raises(PermissionDenied):
        desks.add_closure(central, actor=world.outsider, date=date(2026, 12, 24))


def test_a_code_that_names_a_page_of_the_help_desk_is_refused(world, central, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.secretariat)
    response = client.post(reverse("helpdesk:desk_new"), desk_data(code="manage"))
    assert response.status_code == 200
    assert "names a page of the help desk" in response.content.decode()
    assert not Desk.objects.filter(code="manage").exists()
