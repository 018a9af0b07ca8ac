"""Every counted string takes the form CLDR prescribes for the number, in each of the six
languages: the catalogues' rules are checked against Babel's copy of the CLDR data, and every
plural entry of every catalogue is rendered through Django for a spread of numbers."""

from __future__ import annotations

import gettext

import polib
import pytest
from babel import Locale
from django.utils import translation
from django.utils.translation import ngettext, npgettext

from clearinghouse.core import catalogues

NUMBERS = (0, 1, 2, 3, 5, 11, 21, 100)
DJANGO_CODES = {"ar": "ar", "zh_Hans": "zh-hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}

# Which form (msgstr index) holds each CLDR category of whole numbers. French and Spanish "many"
# (a million written in words) is absent: counts are written in digits and take the plural.
FORM_OF_CATEGORY = {
    "ar": {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 4, "other": 5},
    "zh_Hans": {"other": 0},
    "en": {"one": 0, "other": 1},
    "fr": {"one": 0, "other": 1},
    "ru": {"one": 0, "few": 1, "many": 2},
    "es": {"one": 0, "other": 1},
}


def cldr_form(locale: str, number: int) -> int:
    """The form CLDR chooses for ``number``, from Babel's data rather than our headers."""
    return FORM_OF_CATEGORY[locale][Locale.parse(locale).plural_form(number)]


def plural_entries(locale: str) -> list[polib.POEntry]:
    catalogue = polib.pofile(str(catalogues.catalogue_path(locale)))
    return [entry for entry in catalogue if entry.msgid_plural and not entry.obsolete]


@pytest.fixture(autouse=True)
def _compiled() -> None:
    catalogues.compile_all()


@pytest.mark.parametrize("locale", catalogues.LOCALES)
def test_each_catalogue_declares_its_language_and_the_cldr_rule_for_whole_numbers(locale: str) -> None:
    catalogue = polib.pofile(str(catalogues.catalogue_path(locale)))
    assert catalogue.metadata["Language"] == locale
    header = catalogue.metadata["Plural-Forms"]
    assert catalogues.plural_count(header) == len(FORM_OF_CATEGORY[locale])
    rule = catalogues.plural_rule(header)
    assert [rule(n) for n in range(1001)] == [cldr_form(locale, n) for n in range(1001)]


@pytest.mark.parametrize("locale", catalogues.LOCALES)
def test_the_compiled_catalogue_carries_the_rule(locale: str) -> None:
    # Babel drops the rule from the .mo file when the Language header is empty; Python's
    # gettext then treats every language as English (one, other).
    path = catalogues.catalogue_path(locale).with_suffix(".mo")
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    rule = catalogues.plural_rule(compiled.info()["plural-forms"])
    assert [rule(n) for n in NUMBERS] == [cldr_form(locale, n) for n in NUMBERS]


@pytest.mark.parametrize("locale", catalogues.LOCALES)
def test_every_plural_entry_renders_the_cldr_form_for_each_number(locale: str) -> None:
    entries = plural_entries(locale)
    assert entries
    with translation.override(DJANGO_CODES[locale]):
        for entry in entries:
            for number in NUMBERS:
                if entry.msgctxt:
                    shown = npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, number)
                else:
                    shown = ngettext(entry.msgid, entry.msgid_plural, number)
                expected = entry.msgstr_plural[cldr_form(locale, number)]
                assert shown == expected, f"{locale}, {number}: {entry.msgid!r}"


@pytest.mark.parametrize("locale", ["ar", "ru"])
def test_the_walk_can_tell_the_forms_apart(locale: str) -> None:
    # Entries whose forms all differ make the test above fail on any wrong choice of form.
    distinct = [entry for entry in plural_entries(locale) if len(set(entry.msgstr_plural.values())) > 2]
    assert len(distinct) >= 10


def test_the_platform_rule_applies_to_its_strings_and_djangos_to_django_s() -> None:
    # Django's own Spanish catalogue has a third form for millions and its Russian one a fourth
    # for fractions; Django keeps catalogues of different rules apart, so each string is
    # looked up with the rule of the catalogue that holds it.
    with translation.override("es"):
        assert ngettext("%(counter)s need", "%(counter)s needs", 5) == "%(counter)s necesidades"
        assert ngettext("%(counter)s need", "%(counter)s needs", 1_000_000) == "%(counter)s necesidades"
    with translation.override("ru"):
        assert ngettext("%(counter)s result", "%(counter)s results", 21) == "%(counter)s результат"
        assert ngettext("%(counter)s result", "%(counter)s results", 22) == "%(counter)s результата"
        assert ngettext("%(counter)s result", "%(counter)s results", 25) == "%(counter)s результатов"
        # A string of Django's own catalogue, with Django's rule.
        assert ngettext("%(num)d year", "%(num)d years", 5) % {"num": 5} == "5 лет"


def test_every_catalogue_has_the_same_counted_strings() -> None:
    english = {(entry.msgctxt, entry.msgid) for entry in plural_entries("en")}
    for locale in catalogues.LOCALES:
        assert {(entry.msgctxt, entry.msgid) for entry in plural_entries(locale)} == english, locale
