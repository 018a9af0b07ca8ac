"""Rows in several languages in one workbook: the "language" column says it; left empty, the
workbook's language, unless the texts are clearly in another of the six. A language that is no
language is a problem of its row."""

from __future__ import annotations

import pytest

from clearinghouse.core.testing import World
from clearinghouse.needs.models import Need
from clearinghouse.needs.offline.filling import FRENCH_NEED, fill_workbook
from clearinghouse.needs.offline.importer import import_workbook
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.vocabularies.services import data_files, load_vocabularies

ENGLISH = {
    "title": "Training in plant taxonomy for protected area staff",
    "description": "Rangers cannot identify invasive species in the field and inventories stay incomplete.",
    "gap": "",
}
CHINESE = {"title": "保护区工作人员植物分类培训", "description": "护林员无法识别入侵物种。", "gap": ""}


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _languages(world: World, rows: list[dict[str, object]]) -> list[str]:
    result = import_workbook(
        world.authorised_user, world.kenya, fill_workbook(build_workbook("fr"), rows), "fr"
    )
    assert result.problems == []
    return list(Need.objects.order_by("identifier").values_list("original_language", flat=True))


def test_rows_without_a_language_are_in_the_workbooks_language(world: World) -> None:
    assert _languages(world, [FRENCH_NEED]) == ["fr"]


def test_rows_clearly_in_another_language_get_that_language(world: World) -> None:
    assert _languages(world, [FRENCH_NEED, FRENCH_NEED | ENGLISH, FRENCH_NEED | CHINESE]) == [
        "fr",
        "en",
        "zh",
    ]
    need = Need.objects.get(original_language="zh")
    assert need.title == {"zh": CHINESE["title"]}


def test_short_texts_keep_the_workbooks_language(world: World) -> None:
    # "GIS training" could be read as English, but two words say too little to overrule the workbook.
    short = FRENCH_NEED | {"title": "GIS training", "description": "Drones, GIS", "gap": ""}
    assert _languages(world, [short]) == ["fr"]


def test_the_language_column_wins_over_detection(world: World) -> None:
    rows = [FRENCH_NEED | ENGLISH | {"language": "es — español"}, FRENCH_NEED | {"language": "EN"}]
    assert _languages(world, rows) == ["es", "en"]


def test_a_language_outside_the_six_is_taken_by_its_code(world: World) -> None:
    # Content may be written in any language (docs/records.md, "Languages of content").
    assert _languages(world, [FRENCH_NEED | {"language": "sw"}]) == ["sw"]


def test_a_language_nobody_knows_is_a_problem(world: World) -> None:
    rows = [FRENCH_NEED | {"language": "elvish"}]
    result = import_workbook(
        world.authorised_user, world.kenya, fill_workbook(build_workbook("en"), rows), "en"
    )
    [problem] = result.problems
    assert problem.row == 3
    assert problem.column.endswith("(Language of the texts)")
    assert not Need.objects.exists()
