"""The national pages in Arabic, the read-only API and the monitoring measures."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearinghouse.accounts.models import Appointment, Role
from clearinghouse.core.testing import World
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.national import services
from clearinghouse.national.models import NationalReport, NationalTarget
from clearinghouse.national.tests.conftest import gbf
from clearinghouse.publishing.registry import measures

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_the_targets_page_reads_right_to_left_in_arabic(world: World, client: Client) -> None:
    services.save_target(
        world.kenya,
        actor=world.focal_point,
        code="T3",
        language="ar",
        title="حماية ٣٠٪ من المناطق البرية والبحرية",
        gbf_targets=gbf("GBF-T3"),
    )
    page = client.get(reverse("national:targets", args=["KE"]).replace("/en/", "/ar/", 1)).content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "حماية ٣٠٪ من المناطق البرية والبحرية" in page
    # The page's own words are Arabic, and so is the GBF target's label.
    assert "الغايات الوطنية" in page


def test_the_api_gives_a_partys_targets_and_reports(
    world: World, kenyan_target: NationalTarget, kenyan_report: NationalReport, client: Client
) -> None:
    targets = client.get("/api/v1/national/ke/targets/").json()["results"]
    assert targets == [
        {
            "identifier": str(kenyan_target.identifier),
            "government": "KE",
            "code": "T6",
            "original_language": "en",
            "title": {"en": "Halve the spread of invasive alien species"},
            "description": {},
            "gbf_targets": ["GBF-T6"],
            "adopted_year": 2025,
            "nbsap": {"name": "", "year": None, "url": ""},
            "retired": False,
        }
    ]
    reports = client.get("/api/v1/national/KE/reports/").json()["results"]
    assert [(report["kind"], report["year"]) for report in reports] == [("nr7", 2026)]
    assert client.get("/api/v1/national/TZ/targets/").json()["results"] == []
    assert client.get("/api/v1/national/QQ/targets/").status_code == 404


def test_monitoring_counts_targets_per_party_and_parties_with_targets(
    world: World, kenyan_target: NationalTarget
) -> None:
    services.save_target(world.kenya, actor=world.focal_point, code="T3", language="en", title="Conserve")
    services.save_target(
        world.tanzania, actor=world.other_focal_point, code="T1", language="en", title="Plan"
    )
    retired = services.save_target(
        world.tanzania, actor=world.other_focal_point, code="T2", language="en", title="X"
    )
    services.retire_target(retired, actor=world.other_focal_point)
    today = timezone.localdate()
    now, last_year = Period(today, today), Period.years(today.year - 1)
    targets, parties = (measures()[code] for code in ("national.targets", "national.parties_with_targets"))
    assert measure_values(targets, now, dimension="party") == {"KE": 2, "TZ": 1}
    assert measure_values(parties, now) == {"": 2}
    assert measure_values(targets, last_year) == {"": 0}


def test_a_focal_point_reaches_their_partys_targets_and_reports_from_the_header_and_dashboard(
    world: World, client: Client, kenyan_target: NationalTarget
) -> None:
    mine = reverse("national:mine")
    client.force_login(world.focal_point)
    work = client.get(reverse("workspace:dashboard")).content.decode()
    assert f'href="{mine}"' in work
    # The dashboard counts Kenya's targets in force and links to them and to the reports.
    assert "1 national target" in work and "0 national reports" in work
    assert f'href="{reverse("national:targets", args=["KE"])}"' in work
    assert f'href="{reverse("national:reports", args=["KE"])}"' in work
    response = client.get(mine)
    assert response.status_code == 302 and response["Location"] == reverse("national:targets", args=["KE"])


def test_someone_who_keeps_two_parties_chooses_between_them(world: World, client: Client) -> None:
    Appointment.objects.create(user=world.focal_point, role=Role.AUTHORISED_USER, country=world.tanzania)
    client.force_login(world.focal_point)
    page = client.get(reverse("national:mine")).content.decode()
    assert reverse("national:targets", args=["KE"]) in page
    assert reverse("national:targets", args=["TZ"]) in page


def test_the_place_is_only_for_those_who_keep_a_partys_targets(world: World, client: Client) -> None:
    mine = f'href="{reverse("national:mine")}"'
    for person in (world.learner, world.partner_editor, world.secretariat):
        client.force_login(person)
        assert mine not in client.get(reverse("workspace:dashboard")).content.decode()
    # The Secretariat keeps every Party's: the address leads to the list of them.
    assert client.get(reverse("national:mine"))["Location"] == reverse("national:index")
