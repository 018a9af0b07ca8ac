"""A progress report keeps the gap analysis taken with its data: its tables show those numbers in
the report's language, whatever happens to the records afterwards, until a draft's data is
refreshed."""

from __future__ import annotations

import pytest

from clearinghouse.core.testing import World
from clearinghouse.matchmaking.tests.conftest import Commit
from clearinghouse.monitoring import reports
from clearinghouse.monitoring.models import Report
from clearinghouse.monitoring.tests.gaps_scene import Gapped, _matcher, build
from clearinghouse.needs.models import Need

pytestmark = pytest.mark.django_db
__all__ = ["_matcher"]


@pytest.fixture
def scene(world: World, django_capture_on_commit_callbacks: Commit) -> Gapped:
    return build(world, django_capture_on_commit_callbacks)


def _funnel(report: Report, language: str) -> list[list[str]]:
    data = reports.report_data(report, language)
    return data.gaps[0].rows


def test_the_report_keeps_the_gap_analysis_taken_with_its_data(scene: Gapped) -> None:
    first, last = scene.period.start.year, scene.period.end.year
    report = reports.create(first, last)
    assert report.gaps["needs"] == 3
    english = _funnel(report, "en")
    assert english[0] == ["Registered", "3", "–"]
    tables = reports.report_data(report, "fr").gaps
    assert [table.caption for table in tables][:1] == ["L'entonnoir des besoins"]
    waiting = tables[-2]
    assert scene.waiting.identifier in waiting.rows[0][0]

    # A need registered later changes the gap analysis page, not the report...
    Need.objects.filter(pk=scene.waiting.pk).update(first_published_at=scene.matched.first_published_at)
    Need.objects.filter(pk=scene.in_matchmaking.pk).update(live=False)
    report.refresh_from_db()
    assert _funnel(report, "en") == english
    # ...until the draft's data is taken again.
    refreshed = reports.refresh(report)
    assert refreshed.gaps["needs"] == 2
    assert _funnel(refreshed, "en")[0][1] == "2"


def test_a_report_without_a_gap_analysis_shows_no_gap_tables(scene: Gapped) -> None:
    first, last = scene.period.start.year, scene.period.end.year
    report = reports.create(first, last)
    Report.objects.filter(pk=report.pk).update(gaps={})
    report.refresh_from_db()
    assert reports.report_data(report, "en").gaps == []
