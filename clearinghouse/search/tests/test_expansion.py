"""A query naming a concept in one language finds the records that name it in another: the
vocabularies' labels, country names and the glossary carry its names in the six languages."""

from __future__ import annotations

import pytest

from clearinghouse.search import expansion, semantic, service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.tests.factories import document
from clearinghouse.search.text import parse_query
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _words_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No retriever: what is found here is found by the words and their translations."""
    monkeypatch.setattr(semantic, "get_retriever", lambda: None)


@pytest.fixture
def records(labels: None) -> None:
    load_vocabularies(data_files())
    service.index(
        [
            document(
                "EN-IAS",
                title="Managing invasive alien species on islands",
                text="Eradication of rats and invasive plants on small islands.",
            ),
            document(
                "ES-IAS",
                language="es",
                title="Control de especies exóticas invasoras",
                text="Capacitación en erradicación de roedores.",
            ),
            document("EN-REEF", title="Coral reef monitoring", text="Survey methods for rangers."),
        ]
    )


def keys(text: str) -> list[str]:
    return [hit.key for hit in service.search(SearchQuery(text=text)).hits]


def test_a_spanish_label_finds_the_english_record(records: None) -> None:
    assert sorted(keys("especies exóticas invasoras")) == ["EN-IAS", "ES-IAS"]
    assert keys("especies exóticas invasoras")[0] == "ES-IAS", "the words as typed rank first"


def test_arabic_typed_without_hamza_and_with_ha_finds_the_concept(records: None) -> None:
    # The label is الأنواع الغريبة الغازية: typed without hamza, ta marbuta as ha.
    assert sorted(keys("الانواع الغريبه الغازيه")) == ["EN-IAS", "ES-IAS"]


def test_chinese_and_russian_labels_find_it_too(records: None) -> None:
    assert sorted(keys("外来入侵物种")) == ["EN-IAS", "ES-IAS"]
    assert sorted(keys("инвазивных чужеродных видов")) == ["EN-IAS", "ES-IAS"]


def test_expanded_terms_are_marked_in_snippets(records: None) -> None:
    hits = {hit.key: hit for hit in service.search(SearchQuery(text="especies exoticas invasoras")).hits}
    # The English record holds none of the Spanish words: what is marked is the translation.
    assert hits["EN-IAS"].snippet == "Eradication of rats and <mark>invasive</mark> plants on small islands."
    assert not hits["EN-IAS"].by_meaning


def test_words_that_name_no_concept_are_left_as_typed(records: None) -> None:
    parsed = parse_query("coral reef")
    assert expansion.expand(parsed, "coral reef") == parsed
    assert keys("coral reef") == ["EN-REEF"]


def test_a_concept_adds_alternatives_to_its_words_only(records: None) -> None:
    parsed = parse_query("formación especies exóticas invasoras")
    expanded = expansion.expand(parsed, "formación especies exóticas invasoras")
    assert len(expanded.clauses) == len(parsed.clauses)
    assert all(
        len(alternatives) <= len(parsed.clauses[index]) + expansion.MAX_ALTERNATIVES
        for index, alternatives in enumerate(expanded.clauses)
    )
    english = expansion.label_terms("Invasive alien species", "en")
    assert english in expanded.clauses[1] and english in expanded.clauses[3]
    assert english not in expanded.clauses[0], "formación is not part of the concept's name"


def test_a_changed_label_is_read_again(records: None) -> None:
    term = Term.objects.get(code="SUBJ-INVASIVE-ALIEN-SPECIES")
    assert keys("bioinvasiones") == []
    term.labels = term.labels | {"es": "Bioinvasiones"}
    term.save()
    assert "EN-IAS" in keys("bioinvasiones")


def test_country_names_are_concepts_too(records: None) -> None:
    from clearinghouse.core.testing import make_country

    make_country(
        "KE",
        "KEN",
        {"ar": "كينيا", "zh": "肯尼亚", "en": "Kenya", "fr": "Kenya", "ru": "Кения", "es": "Kenia"},
    )
    service.index([document("KE-1", title="Training in Kenya", text="Rangers.")])
    assert keys("Kenia") == ["KE-1"]
    assert keys("كينيا") == ["KE-1"]


@pytest.mark.usefixtures("glossary")
def test_the_glossary_answers_the_queries_that_found_nothing() -> None:
    service.index(
        [
            document("EN-CORAL", title="Coral reef monitoring course", text="Survey methods for rangers."),
            document(
                "FR-FORET", language="fr", title="Gestion durable des forêts", text="Inventaire forestier."
            ),
            document("EN-FOREST", title="Community forest monitoring", text="Rangers patrol the forests."),
            document("EN-BUDGET", title="Budget planning", text="Accounting for projects."),
        ]
    )
    assert "EN-CORAL" in keys("corail")
    found = keys("الغابات")
    assert "EN-FOREST" in found and "FR-FORET" in found
    assert "EN-BUDGET" not in found


def test_a_long_label_is_found_when_the_query_leaves_out_an_inner_word(records: None) -> None:
    # "инвазивные чужеродные виды" typed without its middle word, as people shorten it.
    assert "EN-IAS" in keys("инвазивных видов")
    # Its first word alone is not the concept.
    assert "EN-IAS" not in keys("инвазивных")


def test_a_word_without_names_elsewhere_is_not_asked_of_the_other_languages(records: None) -> None:
    from clearinghouse.search import hybrid
    from clearinghouse.search.backends.base import Match
    from clearinghouse.search.models import SearchEntry

    service.index(
        [document("ES-ERR", language="es", title="Erradicación de roedores", text="Trampas en islas.")]
    )
    ids = dict(SearchEntry.objects.values_list("key", "id"))

    def translated(text: str) -> list[str]:
        typed = parse_query(text)
        main = Match(clauses=expansion.expand(typed, text).clauses)
        found = hybrid._translated(service.get_backend(), main, typed, 10)
        return sorted(key for key, entry in ids.items() if entry in found)

    # "erradicación" has no names in other languages: the English record cannot hold it, so
    # the records holding the concept's names are ranked without it.
    assert translated("erradicación especies exóticas invasoras") == ["EN-IAS", "ES-IAS"]
    assert translated("especies exóticas invasoras") == [], "every word has names: the matches say it"
    assert translated("erradicación roedores") == [], "no word has names"
    found = keys("erradicación especies exóticas invasoras")
    assert found[0] == "ES-IAS", "the record holding every word typed"
    assert found.index("EN-IAS") < found.index("ES-ERR"), "the concept weighs more than the lone word"


def test_the_names_a_query_gets_do_not_depend_on_the_order_of_a_set() -> None:
    # Twenty spellings of one word, each the first term of a concept: in a set their order
    # follows the process's hash seed; the names found (and so those kept under the cap of
    # alternatives) must come in one order in every process.
    terms = [f"t{number:02d}" for number in range(20)]
    lexicon = expansion.Lexicon(
        expansion.Concept(f"C{term}", ((term,), (f"other{term}",))) for term in reversed(terms)
    )
    found = lexicon.found([frozenset(terms)])
    assert [label for _start, _end, _concept, label in found] == [(term,) for term in terms]
