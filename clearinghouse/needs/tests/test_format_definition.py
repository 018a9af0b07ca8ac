"""The common format's definition and the models agree, and the definition is complete."""

from __future__ import annotations

import pytest
from django.db import models

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.needs.formats import definition, versions
from clearinghouse.needs.services import MODELS
from clearinghouse.vocabularies.models import Term

STORAGE = {
    "text": models.CharField,
    "email": models.EmailField,
    "multilingual_text": models.JSONField,
    "multilingual_long_text": models.JSONField,
    "choice": models.CharField,
    "integer": models.PositiveIntegerField,
    "year": models.PositiveIntegerField,
    "decimal": models.DecimalField,
    "boolean": models.BooleanField,
    "currency": models.CharField,
    "language_list": models.JSONField,
}


def test_every_field_of_the_definition_is_stored_by_its_model() -> None:
    for form in definition():
        model = MODELS[form.name]
        for field in form.fields:
            stored = model._meta.get_field(field.name)
            assert field.name in model.CONTENT_FIELDS, f"{form.name}.{field.name} is not in a revision"
            if field.type == "multi_choice":
                expected = models.ManyToManyField if field.vocabulary else models.JSONField
            else:
                expected = STORAGE[field.type]
            assert isinstance(stored, expected), f"{form.name}.{field.name} is a {type(stored).__name__}"


def test_every_label_help_and_choice_is_in_the_six_languages() -> None:
    for form in definition():
        assert set(form.labels) == set(CONTENT_LANGUAGES)
        for field in form.fields:
            assert set(field.labels) == set(CONTENT_LANGUAGES), field.name
            assert not field.helps or set(field.helps) == set(CONTENT_LANGUAGES), field.name
            for choice in field.choices:
                assert set(choice.labels) == set(CONTENT_LANGUAGES), (field.name, choice.value)


@pytest.mark.usefixtures("vocabularies")
def test_every_vocabulary_the_format_names_exists_and_has_terms() -> None:
    for form in definition():
        for field in form.fields:
            if field.vocabulary:
                terms = Term.objects.filter(vocabulary__name=field.vocabulary, code__startswith=field.only)
                assert terms.exists(), field.vocabulary


def test_an_unknown_version_names_the_known_ones() -> None:
    assert "1.0" in versions()
    with pytest.raises(KeyError, match=r"known: 1\.0"):
        definition("0.9")
