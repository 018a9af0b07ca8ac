"""Each day's views and downloads of records, by the reader's country: counted once per reader's
GET, never for HEAD, robots or unpublished records, at the cost of one query per page, and read
back by the usage measures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.publishing import documents, usage, workflow
from clearinghouse.publishing.models import DailyUsage, Usage
from clearinghouse.publishing.registry import measures
from clearinghouse.publishing.tests.testapp.models import Note
from clearinghouse.support import services
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import blank_pdf, sample
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
ROBOTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1",
    "curl/8.5.0",
    "python-requests/2.32.3",
)


def _note(world: World, *, publish: bool = True) -> Note:
    note = workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={"original_language": "en", "title": {"en": "Mangrove restoration"}, "year": 2026},
    )
    if publish:
        workflow.submit(note, actor=world.authorised_user)
        workflow.publish(note, actor=world.focal_point)
        note.refresh_from_db()
    return note


def _counts(identifier: str, kind: Usage = Usage.VIEW) -> dict[str, int]:
    return {
        row.country: row.count
        for row in DailyUsage.objects.filter(identifier=identifier, kind=kind, day=timezone.localdate())
    }


def test_two_views_in_a_day_make_one_row_of_two_and_two_countries_two_rows(world: World) -> None:
    usage.count_use("CB-NOTE-KE-000001", Usage.VIEW)
    usage.count_use("CB-NOTE-KE-000001", Usage.VIEW)
    usage.count_use("CB-NOTE-KE-000001", Usage.VIEW, "KE")
    usage.count_use("CB-NOTE-KE-000001", Usage.DOWNLOAD, "TZ")
    assert _counts("CB-NOTE-KE-000001") == {"": 2, "KE": 1}
    assert _counts("CB-NOTE-KE-000001", Usage.DOWNLOAD) == {"TZ": 1}
    # The type is kept on the row, so counts by type need no join.
    assert set(DailyUsage.objects.values_list("record_type", flat=True)) == {"NOTE"}


def test_a_new_day_starts_a_new_row_in_the_sites_time_zone(world: World, monkeypatch: Any) -> None:
    usage.count_use("CB-NOTE-KE-000001", Usage.VIEW)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(usage.timezone, "localdate", lambda: tomorrow)
    usage.count_use("CB-NOTE-KE-000001", Usage.VIEW)
    assert sorted(DailyUsage.objects.values_list("day", "count")) == [
        (tomorrow - timedelta(days=1), 1),
        (tomorrow, 1),
    ]


def test_a_request_that_creates_the_days_row_first_is_added_to(world: World, monkeypatch: Any) -> None:
    atomic = transaction.atomic

    @contextmanager
    def beaten_to_it() -> Iterator[None]:
        # Another request creates today's row between this one's update and its create.
        DailyUsage.objects.create(
            day=timezone.localdate(),
            identifier="CB-NOTE-KE-000001",
            record_type="NOTE",
            kind=Usage.VIEW,
            country="KE",
            count=1,
        )
        with atomic():
            yield

    monkeypatch.setattr(usage.transaction, "atomic", beaten_to_it)
    usage.count_use("CB-NOTE-KE-000001", Usage.VIEW, "KE")
    assert _counts("CB-NOTE-KE-000001") == {"KE": 2}


def test_an_identifier_of_no_record_type_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="not the identifier of a record"):
        usage.count_use("not-a-record", Usage.VIEW)
    assert not DailyUsage.objects.exists()


def test_readers_views_count_by_the_country_they_act_for(world: World, client: Client) -> None:
    note = _note(world)
    page = f"/en/records/{note.identifier}/"
    assert client.get(page, headers={"user-agent": BROWSER}).status_code == 200
    assert client.get(page).status_code == 200
    client.force_login(world.other_focal_point)  # acts for Tanzania
    client.get(page)
    client.force_login(world.partner_editor)  # the Kenyan NGO's editor: its country
    client.get(page)
    client.force_login(world.learner)  # no role: nothing tells their country
    client.get(page)
    assert _counts(note.identifier) == {"": 3, "TZ": 1, "KE": 1}


def test_head_requests_robots_and_unpublished_records_are_not_counted(world: World, client: Client) -> None:
    note = _note(world)
    page = f"/en/records/{note.identifier}/"
    assert client.head(page).status_code == 200
    for robot in ROBOTS:
        assert client.get(page, headers={"user-agent": robot}).status_code == 200
    assert not DailyUsage.objects.exists()
    draft = _note(world, publish=False)
    client.force_login(world.authorised_user)
    assert client.get(f"/en/records/{draft.identifier}/").status_code == 200
    assert not DailyUsage.objects.exists()


@pytest.mark.parametrize(
    "reader", [None, "focal_point", "partner_editor"], ids=["anonymous", "party", "organisation"]
)
def test_counting_a_view_adds_one_query_to_the_page(
    world: World, client: Client, monkeypatch: Any, reader: str | None
) -> None:
    note = _note(world)
    page = f"/en/records/{note.identifier}/"
    if reader:
        client.force_login(getattr(world, reader))
    client.get(page)  # today's row exists from now on, as it does for every view but the first

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    counted = queries()
    monkeypatch.setattr(usage, "count_use", lambda *args: None)
    uncounted = queries()
    assert counted - uncounted == 1
    assert sum(_counts(note.identifier).values()) == 2


def test_a_records_pdf_counts_as_a_download(world: World, client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(documents, "pdf", lambda request, record: b"%PDF-1.7")
    note = _note(world)
    assert client.get(f"/en/records/{note.identifier}/pdf/").status_code == 200
    assert client.head(f"/en/records/{note.identifier}/pdf/").status_code == 200
    assert _counts(note.identifier, Usage.DOWNLOAD) == {"": 1}


@pytest.fixture
def resource(world: World, tmp_path: Path) -> Any:
    load_vocabularies(data_files())
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        found = published(Resource, world, sample(Resource, world))
        version = services.add_version(
            found,
            actor=world.authorised_user,
            language="en",
            upload=SimpleUploadedFile("guide.pdf", blank_pdf()),
        )
        services.submit(found, actor=world.authorised_user)
        workflow.publish(found, actor=world.focal_point)
        yield found, version


def test_a_resource_files_downloads_count_beside_its_lifetime_counters(
    world: World, client: Client, resource: Any
) -> None:
    found, version = resource
    client.force_login(world.other_focal_point)
    assert client.get(f"/en/support/download/{version.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/en/support/download/{version.pk}/").status_code == 200
    assert (
        client.get(f"/en/support/download/{version.pk}/", headers={"user-agent": ROBOTS[0]}).status_code
        == 200
    )
    assert _counts(found.identifier, Usage.DOWNLOAD) == {"TZ": 1, "": 1}
    version.refresh_from_db()
    assert version.download_count == 3  # the lifetime counter counts every download, as before
    # The resource's page counts as a view of it.
    client.get(found.get_absolute_url())
    assert _counts(found.identifier) == {"": 1}


def _day(on: date, identifier: str, kind: Usage, country: str, count: int) -> None:
    DailyUsage.objects.create(
        day=on,
        identifier=identifier,
        record_type=identifier.split("-")[1],
        kind=kind,
        country=country,
        count=count,
    )


def test_the_usage_measures_sum_the_days_of_the_period_by_type_and_party(world: World) -> None:
    world.tanzania.sids = True
    world.tanzania.save()
    _day(date(2025, 3, 1), "CB-NOTE-KE-000001", Usage.VIEW, "KE", 4)
    _day(date(2025, 3, 2), "CB-NOTE-KE-000001", Usage.VIEW, "TZ", 2)
    _day(date(2025, 12, 31), "CB-RES-KE-000002", Usage.VIEW, "", 5)
    _day(date(2026, 1, 1), "CB-NOTE-KE-000001", Usage.VIEW, "KE", 100)  # after the period
    _day(date(2025, 3, 1), "CB-NOTE-KE-000001", Usage.DOWNLOAD, "KE", 7)
    views, downloads = measures()["usage.views"], measures()["usage.downloads"]
    year = Period.years(2025)
    assert measure_values(views, year) == {"": 11}
    assert measure_values(downloads, year) == {"": 7}
    assert measure_values(views, year, dimension="record_type") == {"NOTE": 6, "RES": 5}
    assert measure_values(views, year, dimension="party") == {"KE": 4, "TZ": 2, "": 5}
    assert measure_values(views, year, dimension="ldc") == {"no": 4, "yes": 2, "": 5}
    assert measure_values(views, year, dimension="sids") == {"no": 4, "yes": 2, "": 5}
    assert measure_values(views, year, dimension="regional_group") == {"Africa": 6, "": 5}


def test_a_view_counted_today_is_in_todays_period(world: World, client: Client) -> None:
    note = _note(world)
    client.get(f"/en/records/{note.identifier}/")
    today = timezone.localdate()
    assert measure_values(measures()["usage.views"], Period(today, today)) == {"": 1}
    yesterday = today - timedelta(days=1)
    assert measure_values(measures()["usage.views"], Period(yesterday, yesterday)) == {"": 0}
