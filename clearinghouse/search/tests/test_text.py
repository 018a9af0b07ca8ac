"""Text processing: the same terms for a word however it is typed, in each of the six languages."""

from __future__ import annotations

import pytest

from clearinghouse.search.text import (
    MAX_QUERY_CLAUSES,
    MAX_QUERY_LENGTH,
    index_terms,
    normalise,
    parse_query,
    stem_arabic,
)


def query_terms(text: str) -> set[str]:
    return set(parse_query(text).terms)


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("الغابات", "الْغَابَاتُ"),  # vowel marks
        ("الغابات", "الغابة"),  # singular with ta marbuta
        ("الغابات", "والغابات"),  # conjunction attached
        ("الغابات", "بالغابات"),  # preposition and article attached
        ("المحميات", "محمية"),
        ("أنواع", "انواع"),  # hamza on alef left out
        ("إدارة", "ادارة"),
        ("مستوى", "مستوي"),  # alef maqsura typed as ya
        ("تؤدي", "تودي"),  # hamza on waw left out
        ("المحـــميات", "المحميات"),  # tatweel
        ("٢٠٣٠", "2030"),  # Arabic-Indic digits
    ],
)
def test_arabic_spellings_of_one_word_meet(written: str, typed: str) -> None:
    assert index_terms(written, "ar") == index_terms(typed, "ar")
    assert query_terms(typed) <= set(index_terms(written, "ar"))


def test_arabic_normalisation_folds_letter_forms_and_drops_marks() -> None:
    assert normalise("أإآٱ ى ة ؤ ئ") == "اااا ي ه و ي"
    assert normalise("الْغَابَاتُ") == "الغابات"


def test_arabic_light_stemmer_keeps_two_letters_at_least() -> None:
    assert stem_arabic("الغابات") == "غاب"
    assert stem_arabic("ات") == "ات"
    assert stem_arabic("وال") == "وال"


def test_arabic_function_words_are_not_indexed() -> None:
    assert index_terms("في الغابات من المحميات", "ar") == ["غاب", "محم"]


@pytest.mark.parametrize(
    ("language", "text", "typed"),
    [
        ("en", "Forests", "forest"),
        ("en", "conservation of forests", "conserving forests"),
        ("fr", "écosystèmes forestiers", "ecosystemes"),
        ("es", "Conservación de bosques", "conservacion bosque"),
        ("ru", "сохранение лесов", "леса"),
        ("ru", "ёлка", "елки"),
    ],
)
def test_words_are_stemmed_and_accents_folded_in_the_european_languages(
    language: str, text: str, typed: str
) -> None:
    # A query's Latin words are of unknown language: one of its variants must meet the index.
    indexed = set(index_terms(text, language))
    for clause in parse_query(typed).clauses:
        assert any(set(variant) <= indexed for variant in clause), (typed, clause, indexed)


def test_chinese_runs_become_overlapping_bigrams() -> None:
    assert index_terms("森林保护", "zh") == ["森林", "林保", "保护"]
    assert index_terms("林", "zh") == ["林"]


def test_chinese_mixed_with_latin_script_is_split_by_script() -> None:
    assert index_terms("GBF目标3", "zh") == ["gbf", "目标", "3"]


def test_a_chinese_query_is_a_phrase_of_its_bigrams() -> None:
    assert parse_query("保护区").clauses == (((("保护", "护区")),),)


def test_japanese_kana_are_treated_like_chinese_characters() -> None:
    assert index_terms("もりの", "ja") == ["もり", "りの"]


def test_latin_query_words_are_stemmed_in_english_french_and_spanish() -> None:
    (clause,) = parse_query("restauración").clauses
    assert ("restauracion",) in clause  # as it is (Spanish stems "restauración" the same)
    assert len(clause) == len(set(clause))


def test_function_words_of_any_latin_language_are_left_out_of_queries() -> None:
    assert parse_query("the forests of the world").clauses == parse_query("forests world").clauses


def test_the_same_function_makes_index_and_query_terms_for_words_of_other_scripts() -> None:
    assert set(index_terms("Охраняемые территории", "ru")) == query_terms("охраняемые территории")


@pytest.mark.parametrize(
    "typed",
    [
        '"unbalanced quote',
        "forest AND NOT (species) OR NEAR(a b)",
        "forest* ^title: -species col:value",
        '""',
        "\x00\x01forest\x7f",
        "",
        "   ",
        "((((((",
        "'; DROP TABLE search_searchentry; --",
    ],
)
def test_malformed_queries_never_fail(typed: str) -> None:
    parsed = parse_query(typed)
    for clause in parsed.clauses:
        for variant in clause:
            for term in variant:
                assert term
                assert all(character.isalnum() for character in term), term


def test_operators_are_words_not_operators() -> None:
    assert query_terms("near") == {"near"}
    assert "not" not in query_terms("NOT")  # an English function word, left out


def test_a_long_query_is_cut_and_says_so() -> None:
    parsed = parse_query("forest " * 2000)
    assert parsed.truncated
    assert not parse_query("forest " * 10).truncated
    assert len("forest " * 2000) > MAX_QUERY_LENGTH


def test_too_many_words_are_dropped_and_say_so() -> None:
    words = " ".join(f"w{number}" for number in range(MAX_QUERY_CLAUSES + 5))
    parsed = parse_query(words[:MAX_QUERY_LENGTH])
    assert len(parsed.clauses) <= MAX_QUERY_CLAUSES
    assert parsed.dropped_clauses


def test_a_quoted_phrase_keeps_its_words_together_in_each_language() -> None:
    (clause,) = parse_query('"protected areas"').clauses
    assert ("protect", "area") in clause
    assert all(len(variant) == 2 for variant in clause)


def test_typographic_quotes_make_phrases_too() -> None:
    assert parse_query("«aires protégées»").clauses == parse_query('"aires protégées"').clauses


def test_control_and_format_characters_are_dropped() -> None:
    assert index_terms("bio\u00addiversity\u200f", "en") == index_terms("biodiversity", "en")


def test_markup_in_rich_text_is_not_indexed_and_entities_are_read() -> None:
    assert index_terms("<p>Forests &amp; <strong>rivers</strong></p>", "en") == ["forest", "river"]
    assert index_terms("less than 30 % < 40 % > 10 %", "en") == ["less", "than", "30", "40", "10"]


def test_the_east_is_a_word_in_french() -> None:
    # "est" is also "is", but Afrique de l'Est must not be searched as Afrique alone.
    assert query_terms("Afrique de l'Est") > query_terms("Afrique")
    assert query_terms("est") & set(index_terms("Les pays d'Afrique de l'Est", "fr"))
