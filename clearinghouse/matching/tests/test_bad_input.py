"""Bad input gets an answer or a clear message, never a crash or a silent wrong result."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.dataset import DatasetError, parse_dataset
from clearinghouse.matching.embedders import MAX_EMBED_CHARS, embedding_text, prepare
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.vocabulary import default_vocabularies

from .conftest import need, offer

NEED = (
    '{"kind":"need","id":"N1","language":"en","title":"t","description":"d","country":"KE",'
    '"support_types":["training"],"targets":["GBF-T6"]}'
)
OFFER = (
    '{"kind":"offer","id":"O1","language":"fr","title":"t","description":"d","countries_eligible":[],'
    '"support_types":["funding"],"targets":[]}'
)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 3: not valid JSON"),
        ('["a list"]', "line 3: expected a JSON object"),
        ('{"kind":"request","id":"N2"}', "line 3: unknown kind 'request'"),
        (NEED.replace('"N1"', '"N2"').replace('"KE"', '"XX"'), "line 3: unknown country code 'XX'"),
        (NEED.replace('"N1"', '"N2"').replace("GBF-T6", "GBF-T99"), "line 3: unknown target 'GBF-T99'"),
        (NEED.replace('"N1"', '"N2"').replace('"en"', '"pt"'), "line 3: unknown language 'pt'"),
        (
            OFFER.replace('"O1"', '"O2"').replace("[]", '["ASEAN"]', 1),
            "line 3: unknown eligibility label 'ASEAN'",
        ),
        (OFFER.replace('"funding"', '"money"'), "line 3: offer 'O1' is already defined"),
        ('{"kind":"match","need":"N9","offer":"O1","relevance":2}', "line 3: unknown need 'N9'"),
        ('{"kind":"match","need":"N1","offer":"O1","relevance":3}', "line 3: relevance must be 0, 1 or 2"),
        (
            NEED.replace('"N1"', '"N2"').replace(
                '"title":"t","description":"d"', '"title":"","description":" "'
            ),
            "line 3: need 'N2' has neither title nor description",
        ),
    ],
)
def test_a_bad_dataset_line_is_named_in_the_error(
    countries: CountryDirectory, line: str, message: str
) -> None:
    with pytest.raises(DatasetError, match=message.replace("(", r"\(")):
        parse_dataset([NEED, OFFER, line], countries, default_vocabularies(), name="set.jsonl")


@pytest.mark.django_db  # the command reads the Country table
def test_the_command_turns_a_bad_file_into_a_command_error(tmp_path: object) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("evaluate-matching", "/nonexistent/set.jsonl")


def test_a_need_with_no_text_gets_a_clear_message(build: Callable[..., Matcher]) -> None:
    matcher = build([offer("O1")])
    with pytest.raises(MatchingError, match="neither title nor description"):
        matcher.match(need(title=" ", description=""))


def test_an_unknown_requesting_country_gets_a_clear_message(build: Callable[..., Matcher]) -> None:
    matcher = build([offer("O1")])
    with pytest.raises(MatchingError, match="unknown country code 'ZZ'"):
        matcher.match(need(country="ZZ"))


def test_a_text_in_another_language_still_gets_an_answer(build: Callable[..., Matcher]) -> None:
    # Portuguese is not one of the six languages: no stemmer, no language mean; the offers are
    # still ranked (by the fallback mean, the shared words and the tags).
    matcher = build([offer("O1"), offer("O2", title="Funding", support_types=("funding",), targets=())])
    request = need(language="pt", title="Formação em monitoramento de recifes de coral", description="")
    assert [s.offer_id for s in matcher.match(request)] == ["O1", "O2"]


def test_a_giant_text_is_answered_and_reaches_the_model_cut(build: Callable[..., Matcher]) -> None:
    # A model's cost grows with its text: every embedder reads its texts through ``prepare``,
    # which cuts them (the time of a match is measured by bench/matching.py, not here).
    matcher = build([offer("O1")])
    giant = "coral reef monitoring training " * 200_000  # six million characters
    suggestions = matcher.match(need(description=giant))
    assert [s.offer_id for s in suggestions] == ["O1"]
    model_text = prepare(embedding_text(giant))
    assert MAX_EMBED_CHARS - 100 <= len(model_text) <= MAX_EMBED_CHARS
    assert giant.startswith(model_text)


def test_arabic_vowel_marks_and_letter_forms_do_not_change_what_the_model_reads() -> None:
    # Vocalised Arabic reads as another text to the models unless normalised as search does.
    vocalised = "تَدْرِيبُ مُدِيرِي المَحْمِيَّاتِ عَلَى تَقْيِيمِ فَعَّالِيَّةِ الإِدَارَةِ"
    plain = "تدريب مديري المحميات على تقييم فعالية الادارة"
    assert embedding_text(vocalised) == embedding_text(plain)
    # Other scripts keep their case: the models read it.
    assert embedding_text("METT for Protected Areas") == "METT for Protected Areas"
