"""Facet values are codes; the page shows them in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from clearinghouse.geo.models import Country, Region
from clearinghouse.search.labels import facet_title, labels
from clearinghouse.vocabularies.models import Term, Vocabulary


@pytest.mark.django_db
def test_countries_regions_and_terms_are_named_in_the_readers_language() -> None:
    Country.objects.update_or_create(
        code="KE", defaults={"alpha3": "KEN", "names": {"en": "Kenya", "ar": "كينيا"}}
    )
    Region.objects.update_or_create(
        code="002", defaults={"level": "region", "names": {"en": "Africa", "fr": "Afrique"}}
    )
    six = {code: f"{code} title" for code in ("ar", "zh", "en", "fr", "ru", "es")}
    vocabulary, _ = Vocabulary.objects.update_or_create(name="gbf-targets", defaults={"titles": six})
    Term.objects.update_or_create(
        vocabulary=vocabulary, code="GBF-T3", defaults={"labels": {**six, "fr": "Conserver 30 %"}}
    )
    assert labels("party", ["KE"], "ar") == {"KE": "كينيا"}
    assert labels("region", ["002"], "fr") == {"002": "Afrique"}
    assert labels("target", ["GBF-T3"], "fr") == {"GBF-T3": "Conserver 30 %"}


@pytest.mark.django_db
def test_unknown_codes_show_as_themselves() -> None:
    assert labels("party", ["XX"], "en") == {"XX": "XX"}
    assert labels("a_new_facet", ["v1"], "en") == {"v1": "v1"}


def test_record_types_groups_and_languages_are_translated() -> None:
    with translation.override("en"):
        assert labels("record_type", ["need"], "en") == {"need": "Need"}
        assert labels("group", ["LDC"], "en") == {"LDC": "Least developed countries"}
        assert labels("language", ["ar"], "en") == {"ar": "Arabic"}
        assert facet_title("support_type") == "Type of support"
