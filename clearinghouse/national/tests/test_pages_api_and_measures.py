"""The national pages in Arabic, the read-only API and the monitoring measures."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
