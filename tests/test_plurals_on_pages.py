"""Counts on real pages read as each language writes them: the action plan's 110 activities,
the needs list and the search results, in Chinese, Russian and Arabic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from clearinghouse import plan
from clearinghouse.core import catalogues
from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.needs.models import Need
from clearinghouse.plan.importer import import_plan
from clearinghouse.publishing import workflow
from clearinghouse.search import service
from clearinghouse.search.tests.factories import document
from clearinghouse.vocabularies.services import DATA_DIR, data_files, load_vocabularies

PLAN_FILE = Path(plan.__file__).resolve().parent / "data" / "decision-XIII-23-ar.txt"


@pytest.fixture(autouse=True)
def _compiled() -> None:
    catalogues.compile_all()


def status(page: str) -> str:
    """The text of the page's count (its role="status" paragraph)."""
    found = re.search(r'<p role="status">(.*?)</p>', page, re.S)
    assert found, "no count on the page"
    return found[1].strip()


@pytest.mark.django_db
def test_the_plan_counts_its_110_activities_in_each_language(world: World, client: Client) -> None:
    load_vocabularies([DATA_DIR / "aichi-targets.json", DATA_DIR / "gbf-targets.json"])
    import_plan(PLAN_FILE)
    # 110: Arabic "few" (3 to 10 after the hundreds), Russian "many".
    assert status(client.get("/zh/plan/").content.decode()) == "110 项活动"
    assert status(client.get("/ru/plan/").content.decode()) == "110 мероприятий"
    assert status(client.get("/ar/plan/").content.decode()) == "110 أنشطة"
    assert status(client.get("/fr/plan/").content.decode()) == "110 activités"


def _publish_need(world: World, title: str) -> None:
    need = workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values("en", title, "Invasive alien species at the border"),
    )
    workflow.submit(need, actor=world.authorised_user)
    workflow.publish(need, actor=world.focal_point)


@pytest.mark.django_db
def test_the_needs_list_counts_none_one_and_two_needs(world: World, client: Client) -> None:
    load_vocabularies(data_files())

    def counts() -> list[str]:
        return [status(client.get(f"/{prefix}/needs/").content.decode()) for prefix in ("zh", "ru", "ar")]

    assert counts() == ["0 项需求", "0 потребностей", "لا احتياجات"]
    _publish_need(world, "Training customs officers")
    assert counts() == ["1 项需求", "1 потребность", "احتياج واحد"]
    _publish_need(world, "Training port inspectors")
    assert counts() == ["2 项需求", "2 потребности", "احتياجان"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("total", "chinese", "russian", "arabic"),
    [
        (3, "3 条结果", "3 результата", "3 نتائج"),
        (11, "11 条结果", "11 результатов", "11 نتيجةً"),
        (21, "21 条结果", "21 результат", "21 نتيجةً"),
    ],
)
def test_search_counts_its_results(
    client: Client, total: int, chinese: str, russian: str, arabic: str
) -> None:
    service.index([document(f"EN-{n}", title=f"Mangrove restoration {n}") for n in range(total)])
    shown = [
        status(client.get(f"/{prefix}/search/", {"q": "mangrove"}).content.decode())
        for prefix in ("zh", "ru", "ar")
    ]
    assert shown == [chinese, russian, arabic]
