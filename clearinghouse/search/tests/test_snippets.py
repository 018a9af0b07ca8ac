"""Snippets: escaped text from the stored record, the query's words in <mark>."""

from __future__ import annotations

from clearinghouse.search.snippets import snippet
from clearinghouse.search.text import parse_query


def terms(text: str) -> frozenset[str]:
    return parse_query(text).terms


def test_matches_are_marked_and_everything_else_is_escaped() -> None:
    html = snippet('Forests & rivers < 5 km "away"', "en", terms("forest"))
    assert html == "<mark>Forests</mark> &amp; rivers &lt; 5 km &quot;away&quot;"


def test_rich_text_shows_without_its_markup() -> None:
    assert snippet("<p>Restoring <b>forests</b> &amp; wetlands</p>", "en", terms("forests")) == (
        "Restoring <mark>forests</mark> &amp; wetlands"
    )


def test_only_the_matching_chinese_characters_are_marked() -> None:
    assert snippet("加强森林保护能力", "zh", terms("森林")) == "加强<mark>森林</mark>保护能力"


def test_arabic_matches_keep_their_vowel_marks() -> None:
    assert "<mark>الْغَابَاتُ</mark>" in snippet("إدارة الْغَابَاتُ في كينيا", "ar", terms("الغابات"))


def test_a_long_text_is_cut_around_the_matches() -> None:
    text = "word " * 200 + "mangroves " + "word " * 200
    html = snippet(text, "en", terms("mangroves"))
    assert html.startswith("…")
    assert html.endswith("…")
    assert "<mark>mangroves</mark>" in html
    assert len(html) < 300
