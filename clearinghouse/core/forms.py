from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from babel import Locale
from babel.numbers import list_currencies
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import get_language, to_locale


class FormRenderer(TemplatesSetting):
    """Every form renders through the platform's own templates: labels, help and errors tied
    to their fields for assistive technology."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class ByLabelIterator(ModelChoiceIterator):
    """Choices sorted by their label in the reader's language (names live in JSON, so the
    database cannot sort them)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: str(choice[1]).casefold())


def currency_choices() -> list[tuple[str, str]]:
    """ISO 4217 currencies named in the reader's language (CLDR via Babel)."""
    locale = Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
    choices = [(code, f"{code} — {locale.currencies.get(code, code)}") for code in sorted(list_currencies())]
    return [("", "—"), *choices]
