"""Whatever is typed, the page and the API answer with results or a clear message, never an
error: empty and very long queries, punctuation or emoji alone, scripts mixed in one query, and
the operators and quoting of the engines and of SQL. The same on SQLite and PostgreSQL (run the
suite with DATABASE_URL=postgres://...)."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.search import service
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db

NO_WORDS = "Your search had no words to look for; all records are shown."
TOO_LONG = "Your search was too long; only the first 200 characters were used."

QUERIES = {
    "empty": "",
    "blank": "   \t ",
    "2,000 characters of words": ("forest restoration " * 106)[:2000],
    "one 2,000-character word": "a" * 2000,
    "punctuation only": "!!! ??? ... ;;; ,,, --- ///",
    "emoji only": "🌳🌍🐝🦋",
    "Arabic, Latin and Chinese": "الغابات forest 森林保护",
    "a double quote": '"',
    "unbalanced quotes": '"forest restoration',
    "three quotes": '"""',
    "star": "forest*",
    "star alone": "*",
    "NEAR": "forest NEAR/3 mangrove",
    "NEAR as a function": "NEAR(forest mangrove, 5)",
    "boolean words": "AND OR NOT",
    "boolean operators": "forest AND NOT mangrove OR seed",
    "caret": "^forest",
    "column filter": "title:forest",
    "parentheses": "( forest ) )(",
    "ampersand, bar, bang, colon": "& | ! : forest & | !",
    "apostrophe": "'",
    "apostrophes in words": "l'écosystème d'eau douce",
    "backslash": "\\",
    "backslashes in words": "forest\\ \\mangrove\\",
    "SQL": "'; DROP TABLE search_searchentry; --",
    "SQL condition": "1' OR '1'='1",
    "LIKE wildcards": "% _ %%",
    "tsquery syntax": "forest:* & !mangrove <-> seed",
    "FTS5 syntax": "{title body}: forest + mangrove",
    "markup": "<script>alert(1)</script>",
    "bidi override": "\u202eforest",
    "combining marks alone": "\u0301\u0301\u0651",
    "tatweel alone": "ـــ",
    "minus signs": "-forest --mangrove",
}


@pytest.fixture(autouse=True)
def records() -> None:
    service.index(
        [
            document("EN-1", title="Forest restoration", text="Mangrove and seed bank restoration."),
            document("AR-1", language="ar", title="حماية الغابات", text="تدريب على إدارة الغابات"),
            document("ZH-1", language="zh", title="森林保护培训", text="红树林保护"),
            document("FR-1", language="fr", title="L'écosystème d'eau douce", text="Zones humides"),
        ]
    )


@pytest.mark.parametrize("text", QUERIES.values(), ids=QUERIES.keys())
def test_the_page_answers_any_query(client: Client, text: str) -> None:
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()


@pytest.mark.parametrize("text", QUERIES.values(), ids=QUERIES.keys())
def test_the_api_answers_any_query(client: Client, text: str) -> None:
    response = client.get("/api/v1/search/", {"q": text})
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["total"], int)
    assert len(body["hits"]) <= body["total"]


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("!!! ??? ...", NO_WORDS),
        ("🌳🌍🐝", NO_WORDS),
        ("\u0301\u0301", NO_WORDS),
        ("forest restoration " * 110, TOO_LONG),
        ("a" * 2000, TOO_LONG),
    ],
)
def test_a_query_changed_before_searching_says_so(client: Client, text: str, notice: str) -> None:
    assert client.get("/api/v1/search/", {"q": text}).json()["notice"] == notice
    assert notice in client.get("/en/search/", {"q": text}).content.decode()


def test_the_notice_is_in_the_readers_language(client: Client) -> None:
    page = client.get("/ar/search/", {"q": "🌳"}).content.decode()
    assert NO_WORDS not in page
    assert 'class="notice"' in page


def test_scripts_mixed_in_one_query_each_find_their_words(client: Client) -> None:
    for text, key in [("الغابات", "AR-1"), ("森林保护", "ZH-1"), ("forest", "EN-1")]:
        assert [hit["key"] for hit in client.get("/api/v1/search/", {"q": text}).json()["hits"]] == [key]
    # All the words of a query must match: one record holds none of the three scripts together.
    assert client.get("/api/v1/search/", {"q": "الغابات forest 森林保护"}).json()["total"] == 0


def test_operators_are_words_and_sql_is_text(client: Client) -> None:
    for text in ("forest*", "^forest", "( forest )", "forest & | !", "forest\\"):
        assert [hit["key"] for hit in client.get("/api/v1/search/", {"q": text}).json()["hits"]] == ["EN-1"]
    # An engine's column filter is two words, both wanted.
    assert client.get("/api/v1/search/", {"q": "title:forest"}).json()["total"] == 0
    assert client.get("/api/v1/search/", {"q": "'; DROP TABLE search_searchentry; --"}).json()["total"] == 0
    assert client.get("/api/v1/search/", {"q": "forest"}).json()["total"] == 1


def test_a_null_character_is_refused_clearly(client: Client) -> None:
    response = client.get("/api/v1/search/", {"q": "forest\x00"})
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["q"]
    page = client.get("/en/search/", {"q": "forest\x00"})
    assert page.status_code == 200
    assert "Null characters are not allowed." in page.content.decode()
