"""FAQ entries are one registered record type: searched in the language they are written in
(Arabic, Chinese and Spanish words find them), faceted by help topic, syndicated, counted by
monitoring, with identifiers of their own; they are not matched."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.helpdesk.models import FaqEntry
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_faq import published_entry, secretariat_organisation
from clearinghouse.publishing import registry
from clearinghouse.search import labels, service
from clearinghouse.search.documents import SearchQuery

pytestmark = pytest.mark.django_db


def test_faq_entries_are_registered_once_searched_and_syndicated_but_not_matched() -> None:
    faq = registry.of(FaqEntry)
    assert faq.code == "FAQ" and faq.name == "faqentry"
    assert faq.side is None and faq.matching is None
    assert faq.feed is not None and registry.feed("faq") is faq.feed
    assert faq.search is not None and faq.search.title == "question" and faq.search.texts == ("answer",)
    assert set(registry.dimensions(faq)) >= {"topic", "language", "party", "region"}
    assert registry.for_identifier("CB-FAQ-SCBD-000001") is faq


@pytest.fixture
def entries(world: World, django_capture_on_commit_callbacks: Any) -> dict[str, FaqEntry]:
    topic = factories.topic("needs", name={"en": "Registering needs", "ar": "تسجيل الاحتياجات"})
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "ar": published_entry(
                world,
                question={"ar": "كيف نسجّل احتياجات بلدنا في مجال بناء القدرات؟"},
                answer={"ar": "تفتح جهة الاتصال الوطنية صفحة الاحتياجات وتملأ النموذج المشترك."},
                topic=topic,
            ),
            "zh": published_entry(
                world,
                question={"zh": "我们可以用哪些语言填写记录？"},
                answer={"zh": "可使用联合国六种语言中的任何一种。"},
            ),
            "es": published_entry(
                world,
                question={"es": "¿Cómo nos inscribimos en un taller?"},
                answer={"es": "Abra la página del evento y pulse Inscribirse."},
            ),
        }


def test_an_entry_gets_an_identifier_of_its_type_and_owner(entries: dict[str, FaqEntry]) -> None:
    assert entries["ar"].identifier.startswith("CB-FAQ-SCBD-")
    assert entries["ar"].owner == secretariat_organisation()


@pytest.mark.parametrize(
    ("language", "words"),
    [("ar", "الاحتياجات"), ("zh", "语言"), ("es", "inscribimos taller")],
)
def test_search_finds_an_entry_by_words_of_its_own_language(
    entries: dict[str, FaqEntry], language: str, words: str
) -> None:
    result = service.search(SearchQuery(text=words, language=language, filters={"record_type": ["faqentry"]}))
    found = [hit.key for hit in result.hits if not hit.by_meaning]
    assert found == [entries[language].identifier]


def test_the_search_facet_names_the_help_topic_in_the_readers_language(entries: dict[str, FaqEntry]) -> None:
    facets = service.search(SearchQuery(filters={"record_type": ["faqentry"]})).facets
    assert facets["help_topic"] == {"needs": 1}
    assert facets["language"] == {"ar": 1, "zh": 1, "es": 1}
    assert labels.labels("help_topic", ["needs"], "ar") == {"needs": "تسجيل الاحتياجات"}
    assert labels.facet_title("help_topic") == "Help topic"


def test_the_feed_and_monitoring_count_published_entries(
    entries: dict[str, FaqEntry], client: Client
) -> None:
    feed = client.get("/feeds/faq/").content.decode()
    assert "语言" in feed and "Inscribirse" in feed
    assert registry.counts(registry.of(FaqEntry), "topic") == {"needs": 1, "": 2}
    assert registry.counts(registry.of(FaqEntry), "language") == {"ar": 1, "zh": 1, "es": 1}


def test_the_shared_record_page_resolves_to_the_faq_page(
    entries: dict[str, FaqEntry], client: Client
) -> None:
    entry = entries["es"]
    response = client.get(f"/r/{entry.identifier}")
    assert response.status_code == 302 and response["Location"].endswith(f"/helpdesk/faq/{entry.identifier}/")
    printable = client.get(f"/en/records/{entry.identifier}/print/").content.decode()
    # The question is the heading of the printable view, as a title is for other types.
    assert "¿Cómo nos inscribimos en un taller?" in printable


def test_markup_written_in_an_answer_reaches_feed_readers_as_text(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        published_entry(
            world,
            question={"en": "Can an answer hold markup?"},
            answer={"en": 'Written as <img src=x onerror="alert(1)"> by mistake.'},
        )
    feed = client.get("/feeds/faq/").content.decode()
    # The Atom summary is HTML to the reader: the answer's markup arrives escaped, shown as text.
    assert "&amp;lt;img src=x" in feed and "&lt;img" not in feed.replace("&amp;lt;img", "")
