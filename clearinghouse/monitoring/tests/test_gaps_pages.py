"""The gap analysis' page (English and Arabic, right to left), its CSV download and its API
endpoint: public, in the reader's language, with a period filter and a bounded query count."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.matchmaking.tests.conftest import Commit, publish_need
from clearinghouse.monitoring.gaps_views import current_biennium
from clearinghouse.monitoring.tests.gaps_scene import Gapped, _matcher, build
from clearinghouse.support.tests.factories import terms

pytestmark = pytest.mark.django_db
__all__ = ["_matcher"]


@pytest.fixture
def scene(world: World, django_capture_on_commit_callbacks: Commit) -> Gapped:
    return build(world, django_capture_on_commit_callbacks)


def _this_biennium() -> str:
    return str(current_biennium())


def test_the_page_shows_accessible_tables_and_charts_in_english(scene: Gapped, client: Client) -> None:
    response = client.get("/en/statistics/gaps/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en" dir="ltr"' in page or 'dir="ltr"' in page
    assert "<caption>Needs, support on offer and matches, by GBF target</caption>" in page
    assert '<th scope="col">Needs without a match</th>' in page
    assert 'role="img"' in page and 'direction="ltr"' in page
    assert "Reduce the introduction of invasive alien species" in page
    assert scene.in_matchmaking.identifier in page or "Invasive species early warning" in page
    assert "Download these figures (CSV)" in page
    assert "Support under way" in page


def test_the_page_reads_right_to_left_in_arabic(scene: Gapped, client: Client) -> None:
    page = client.get("/ar/statistics/gaps/").content.decode()
    assert 'dir="rtl"' in page
    assert 'direction="rtl"' in page
    assert "أفريقيا" in page
    # The labels of targets come in the reader's language, not as codes.
    assert ">GBF-T6<" not in page
    assert "Needs without a match" not in page


def test_the_page_answers_head(scene: Gapped, client: Client) -> None:
    response = client.head("/en/statistics/gaps/")
    assert response.status_code == 200
    assert response.content == b""
    assert client.head("/en/statistics/gaps/csv/").status_code == 200


def test_the_period_filter_narrows_the_figures(scene: Gapped, client: Client) -> None:
    year = timezone.localdate().year
    empty = client.get("/en/statistics/gaps/", {"period": str(year - 5)}).content.decode()
    assert "0 needs registered in" in empty
    assert f'<option value="{year - 5}" selected>' in empty
    # Without a period, the current biennium is shown and chosen in the form.
    default = client.get("/en/statistics/gaps/").content.decode()
    assert f'<option value="{_this_biennium()}" selected>' in default


def test_a_period_not_offered_is_refused_in_the_readers_language(client: Client, db: None) -> None:
    response = client.get("/fr/statistics/gaps/", {"period": "1999-2000"})
    assert response.status_code == 400
    assert "Choose a year or a biennium" not in response.content.decode()
    assert client.get("/en/statistics/gaps/csv/", {"period": "nonsense"}).status_code == 400
    assert client.get("/api/v1/statistics/gaps/", {"period": ""}).status_code == 400
    # Other parameters (a campaign's, a link checker's) leave the current biennium.
    assert client.get("/en/statistics/gaps/", {"utm_source": "newsletter"}).status_code == 200


def test_the_csv_holds_the_same_figures(scene: Gapped, client: Client) -> None:
    response = client.get("/en/statistics/gaps/csv/", {"period": str(scene.period.end.year)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Table", "Code", "Name", "Figure", "Value"]
    year = scene.period.end.year
    # The waiting need was registered 300 days ago: this year or the last.
    registered = sum(
        timezone.localtime(need.first_published_at).year == year
        for need in (scene.matched, scene.in_matchmaking, scene.waiting)
        if need.first_published_at
    )
    assert ["In short", "", "", "Needs registered", str(registered)] in rows
    by_target = {(row[1], row[3]): row[4] for row in rows if row[0] == "GBF target"}
    assert by_target[("GBF-T6", "Needs without a match")] == "1"
    assert by_target[("GBF-T6", "Support on offer")] == "1"
    assert ["Funnel", "matched", "Matched", "Needs", "1"] in rows


def test_the_api_gives_the_same_figures(scene: Gapped, client: Client) -> None:
    response = client.get("/api/v1/statistics/gaps/", {"period": _this_biennium()})
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == _this_biennium()
    target = next(table for table in data["breakdowns"] if table["dimension"] == "target")
    t6 = next(row for row in target["rows"] if row["key"] == "GBF-T6")
    assert (t6["needs"], t6["support"], t6["matches"], t6["unmatched"]) == (2, 1, 1, 1)
    assert [(stage["code"], stage["needs"]) for stage in data["funnel"]] == [
        ("registered", 3),
        ("in_matchmaking", 2),
        ("matched", 1),
        ("support_under_way", 1),
        ("addressed", 0),
    ]
    assert {row["currency"] for row in data["cofunding"]["by_currency"]} == {"KES", "USD"}
    assert client.get("/api/v1/statistics/gaps/", {"period": "2025-2030"}).status_code == 400
    assert client.get("/api/v1/statistics/gaps/", {"period": "2030"}).json()["needs"] == 0


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_page_costs_a_fixed_number_of_queries(scene: Gapped, client: Client) -> None:
    before = _queries(client, "/en/statistics/gaps/")
    for number in range(5):
        publish_need(
            scene.world,
            scene.commit,
            title=f"Taxonomists for group {number}",
            gbf_targets=terms(f"GBF-T{number + 10}"),
            subjects=terms("SUBJ-TAXONOMY"),
        )
    # Five more needs, with targets and subjects not seen before, cost no query more.
    assert _queries(client, "/en/statistics/gaps/") == before
    # A fixed cost per matched type of support (five for initiatives, matched since harvesting).
    assert before <= 66


def test_the_default_period_is_the_current_biennium(db: None) -> None:
    period = current_biennium()
    assert period.start.year % 2 == 1
    assert period.end == date(period.start.year + 1, 12, 31)
