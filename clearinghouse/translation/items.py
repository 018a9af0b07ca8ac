"""What can be translated: a public registered record (any type of the record-type registry),
found by its identifier, and its texts in each language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # {language: text} as published.
    texts: Mapping[str, str]


def translatable_fields(record: Record) -> list[Field]:
    """The record's public texts in several languages, in the type's order: its multilingual
    content fields, never its confidential ones (translators are not among those who may read
    them) nor structured documents (a course's outline)."""
    confidential = set(registry.of(record).confidential)
    found = []
    for name in record.CONTENT_FIELDS:
        field = record._meta.get_field(name)
        if name in confidential or not isinstance(field, models.JSONField):
            continue
        value = getattr(record, name)
        if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
            continue
        if any(text.strip() for text in value.values()):
            found.append(Field(name, str(getattr(field, "verbose_name", name)), value))
    return found


def languages_present(record: Record) -> list[str]:
    """The languages the record has a title (or its first text) in: those it needs no
    translation into, and those a translator may translate from. The six first; then any other
    (a record written in Kiswahili or Quechua is translated from it)."""
    fields = translatable_fields(record)
    record_type = registry.of(record)
    title = record_type.search.title if record_type.search else ""
    main = next((field for field in fields if field.name == title), fields[0] if fields else None)
    if main is None:
        return []
    written = [code for code, text in main.texts.items() if (text or "").strip()]
    return [code for code in CONTENT_LANGUAGES if code in written] + sorted(
        code for code in written if code not in CONTENT_LANGUAGES
    )


def title_field(record_type: registry.RecordType) -> str:
    """The field whose language counts as the record's having that language."""
    return record_type.search.title if record_type.search else "title"


def public_record(identifier: str) -> Record:
    """The public record with this identifier, or a clear refusal."""
    record = registry.find(identifier.strip())
    if record is None or not record.live:
        raise ValidationError(
            _("There is no public record %(identifier)s.") % {"identifier": identifier.strip()},
            code="no_record",
        )
    return record


@dataclass(frozen=True)
class Titled:
    texts: Mapping[str, str]
    language: str


def title(record: Record) -> Titled:
    name = title_field(registry.of(record))
    return Titled(getattr(record, name, None) or {}, record.original_language)


def titles(identifiers: list[str]) -> dict[str, Titled]:
    """{identifier: its title} for pages that list requests: one query per record type."""
    found: dict[str, Titled] = {}
    for record_type, codes in registry.by_type(identifiers).items():
        name = title_field(record_type)
        rows = record_type.model._default_manager.filter(identifier__in=codes).values_list(
            "identifier", name, "original_language"
        )
        for identifier, texts, language in rows:
            found[identifier] = Titled(texts or {}, language)
    return found
