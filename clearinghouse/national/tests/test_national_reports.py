"""National reports: one sixth and one seventh report per Party, each with a link or a document
reference, kept by the Party's own people."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from clearinghouse.core.testing import World
from clearinghouse.national import services
from clearinghouse.national.models import NationalReport, ReportKind

_SEVENTH = {"kind": ReportKind.SEVENTH, "year": 2026, "title": "Seventh report", "language": "en"}


def test_a_report_needs_a_link_or_a_document_reference(world: World) -> None:
    with pytest.raises(ValidationError, match="link to the report"):
        services.save_report(world.kenya, actor=world.focal_point, values=_SEVENTH)
    report = services.save_report(
        world.kenya, actor=world.focal_point, values=_SEVENTH | {"document": "CHM-NR7-KE-1"}
    )
    assert report.document == "CHM-NR7-KE-1"


def test_a_party_has_one_seventh_report_but_several_voluntary_ones(
    world: World, kenyan_report: NationalReport
) -> None:
    with pytest.raises(ValidationError, match="already has a report of this kind"):
        services.save_report(
            world.kenya, actor=world.focal_point, values=_SEVENTH | {"url": "https://example.org/2"}
        )
    voluntary = _SEVENTH | {"kind": ReportKind.VOLUNTARY, "url": "https://example.org/v"}
    services.save_report(world.kenya, actor=world.focal_point, values=voluntary)
    services.save_report(world.kenya, actor=world.focal_point, values=voluntary | {"year": 2027})
    assert NationalReport.objects.filter(party=world.kenya).count() == 3


def test_another_partys_focal_point_cannot_add_or_retire_a_report(
    world: World, kenyan_report: NationalReport, client: Client
) -> None:
    with pytest.raises(PermissionDenied):
        services.retire_report(kenyan_report, actor=world.other_focal_point)
    client.force_login(world.other_focal_point)
    assert client.post(reverse("national:retire_report", args=["KE", kenyan_report.pk])).status_code == 403
    kenyan_report.refresh_from_db()
    assert kenyan_report.retired_at is None


def test_the_focal_point_adds_a_report_on_the_page_and_the_public_reads_it(
    world: World, client: Client
) -> None:
    client.force_login(world.authorised_user)
    response = client.post(
        reverse("national:add_report", args=["KE"]),
        {
            "kind": "nr6",
            "year": "2019",
            "title": "Sixth national report",
            "language": "en",
            "url": "https://example.org/6",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("national:reports", args=["KE"])).content.decode()
    assert "Sixth national report" in page and "https://example.org/6" in page
