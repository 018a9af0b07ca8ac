"""Every vocabulary title and term, region and country has its label in all six languages,
in the committed data as loaded; a missing one is listed, and loadreference refuses it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.geo.models import Country
from clearinghouse.vocabularies.labels import MissingLabel, missing_labels
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.django_db


def test_the_reference_data_has_every_label_in_six_languages() -> None:
    call_command("loadreference", stdout=StringIO())
    assert Term.objects.count() > 100
    assert missing_labels() == []


def test_a_missing_label_is_listed_with_its_languages() -> None:
    call_command("loadreference", stdout=StringIO())
    term = Term.objects.get(vocabulary__name="subjects", code="SUBJ-FORESTS")
    Term.objects.filter(pk=term.pk).update(labels=term.labels | {"ru": " ", "zh": ""})
    Country.objects.filter(code="KE").update(names={"en": "Kenya"})
    found = {item.where: item.languages for item in missing_labels()}
    assert found == {
        "term subjects/SUBJ-FORESTS": ("zh", "ru"),
        "country KE": ("ar", "zh", "fr", "ru", "es"),
    }
    assert str(MissingLabel("term subjects/SUBJ-FORESTS", ("zh", "ru"))) == (
        "term subjects/SUBJ-FORESTS: no label in zh, ru"
    )


def test_loadreference_refuses_to_finish_with_a_missing_label() -> None:
    call_command("loadreference", stdout=StringIO())
    term = Term.objects.get(vocabulary__name="subjects", code="SUBJ-FORESTS")
    Term.objects.filter(pk=term.pk).update(labels={"en": "Forests"})
    # The file is unchanged, so the loader keeps the stored term; the check still sees it.
    with pytest.raises(CommandError, match="term subjects/SUBJ-FORESTS: no label in ar, zh, fr, ru, es"):
        call_command("loadreference", stdout=StringIO())
