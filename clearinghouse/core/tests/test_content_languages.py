"""Languages of content: any ISO 639-3 language is checked, stored by one rule and named in the
reader's language; the six UN languages keep their codes."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from clearinghouse.core.forms import ContentLanguageField
from clearinghouse.core.languages import (
    CONTENT_LANGUAGES,
    is_language_code,
    language_code,
    language_name,
    language_names,
    validate_texts_by_language,
)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        # ISO 639-3 codes of languages without a two-letter code stay as they are.
        ("quz", "quz"),
        ("zgh", "zgh"),
        ("swh", "swh"),
        # A three-letter code of a language that has an ISO 639-1 code is stored as that code.
        ("que", "qu"),
        ("SWA", "sw"),
        # ISO 639-2/B codes, BCP 47 tags and the picker's "Name (code)" form.
        ("fre", "fr"),
        ("quz-PE", "quz"),
        ("zh-Hans", "zh"),
        ("Quechua (qu)", "qu"),
        # Names: ISO 639-3's English name, CLDR's in any of the six languages.
        ("Cusco Quechua", "quz"),
        ("swahili", "sw"),
        ("кечуа", "qu"),
    ],
)
def test_codes_and_names_are_normalised_to_the_stored_code(given: str, stored: str) -> None:
    assert language_code(given) == stored


def test_the_six_languages_keep_their_codes() -> None:
    # Existing data is stored under these codes: the rule must not move any of them.
    assert [language_code(code) for code in CONTENT_LANGUAGES] == list(CONTENT_LANGUAGES)
    assert all(is_language_code(code) for code in CONTENT_LANGUAGES)


@pytest.mark.parametrize("rubbish", ["xx1", "klingonish", "q", "und", "mul"])
def test_rubbish_and_special_codes_are_refused_in_the_readers_language(rubbish: str) -> None:
    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            language_code(rubbish)
        # The message is translated when it is read: in the reader's language.
        message = refused.value.messages[0]
    assert "n’est pas une langue que nous connaissons" in message
    assert rubbish in message


def test_an_empty_language_is_asked_for() -> None:
    with translation.override("es"):
        with pytest.raises(ValidationError) as refused:
            language_code("  ")
        assert refused.value.messages == ["Indique el nombre de la lengua o su código ISO 639."]


def test_only_normalised_codes_count_as_stored_codes() -> None:
    assert is_language_code("quz")
    assert not is_language_code("que")  # stored as "qu"
    assert not is_language_code("QU")
    assert not is_language_code(None)


def test_names_come_from_cldr_in_the_readers_language() -> None:
    assert language_name("qu", "ar") == "كيشوا"
    assert language_name("qu", "zh-hans") == "克丘亚语"
    assert language_name("qu", "fr") == "quechua"
    assert language_name("qu", "ru") == "кечуа"
    assert language_name("sw", "ar") == "السواحلية"


def test_languages_cldr_does_not_name_take_the_iso_name_translated_else_english() -> None:
    # pycountry's catalogue translates Cusco Quechua into French, not into Arabic.
    assert language_name("quz", "fr") == "Quechua de Cuzco"
    assert language_name("quz", "ar") == "Cusco Quechua"
    assert language_name("not-a-code", "en") == "not-a-code"


def test_lists_of_languages_put_the_six_first_then_the_others_by_name() -> None:
    named = language_names({"qu", "es", "sw", "ar", "quz"}, "en")
    assert named == [
        ("ar", "Arabic"),
        ("es", "Spanish"),
        ("quz", "Cusco Quechua"),
        ("qu", "Quechua"),
        ("sw", "Swahili"),
    ]


def test_texts_must_be_keyed_by_stored_codes() -> None:
    validate_texts_by_language({"qu": "Muhu", "es": "Semilla", "quz": "Muhu"})
    with pytest.raises(ValidationError):
        validate_texts_by_language({"quechua": "Muhu"})


class _Start(forms.Form):
    language = ContentLanguageField(label="Language")


def test_the_picker_offers_the_six_then_another_language_with_suggestions() -> None:
    with translation.override("ru"):
        html = str(_Start()["language"])
    assert html.index('value="ar"') < html.index('value="es"') < html.index('value="other"')
    assert 'list="id_language-languages"' in html
    assert '<datalist id="id_language-languages">' in html
    assert "кечуа (qu)" in html


@pytest.mark.parametrize(
    ("data", "stored"),
    [
        ({"language_0": "fr", "language_1": ""}, "fr"),
        ({"language_0": "other", "language_1": "Quechua (qu)"}, "qu"),
        ({"language_0": "other", "language_1": "quz"}, "quz"),
        # A plain value under the field's name, as scripts and older pages send it.
        ({"language": "es"}, "es"),
        ({"language": "quz"}, "quz"),
    ],
)
def test_the_picker_cleans_to_the_stored_code(data: dict[str, str], stored: str) -> None:
    form = _Start(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["language"] == stored


def test_the_picker_refuses_another_language_left_unnamed_or_unknown() -> None:
    with translation.override("fr"):
        empty = _Start({"language_0": "other", "language_1": ""})
        unknown = _Start({"language_0": "other", "language_1": "zzzz"})
        assert not empty.is_valid() and not unknown.is_valid()
        assert empty.errors["language"] == ["Nommez la langue ou donnez son code ISO 639."]
        assert "n’est pas une langue que nous connaissons" in unknown.errors["language"][0]


def test_a_stored_other_language_is_shown_by_name_in_the_picker() -> None:
    with translation.override("en"):
        html = str(_Start(initial={"language": "quz"})["language"])
    assert 'value="Cusco Quechua (quz)"' in html
    assert '<option value="other" selected>' in html
