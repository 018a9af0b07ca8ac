"""Revision snapshots: a record's content as JSON, applied back, and compared."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from babel import Locale
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from clearinghouse.core.money import currency_name
from clearinghouse.publishing.models import Record

_ENCODER = DjangoJSONEncoder()


def _field(record: Record | type[Record], name: str) -> Any:
    return record._meta.get_field(name)


def snapshot(record: Record, many: Mapping[str, list[int]] | None = None) -> dict[str, Any]:
    """The record's CONTENT_FIELDS as JSON-ready values; many-to-many fields as sorted ids,
    taken from ``many`` when given (an unsaved working copy has no relations yet)."""
    content: dict[str, Any] = {}
    for name in record.CONTENT_FIELDS:
        field = _field(record, name)
        if field.many_to_many:
            if many is not None and name in many:
                content[name] = sorted(int(pk) for pk in many[name])
            else:
                content[name] = (
                    sorted(getattr(record, name).values_list("pk", flat=True)) if record.pk else []
                )
        elif field.is_relation:
            content[name] = getattr(record, field.attname)
        else:
            value = field.value_from_object(record)
            # Dates, decimals and the like become strings the way Django's JSON encoder writes them.
            content[name] = (
                value
                if isinstance(value, str | int | float | bool | dict | list | None)
                else (_ENCODER.default(value))
            )
    return content


def apply(record: Record, content: Mapping[str, Any]) -> dict[str, list[int]]:
    """Set the plain fields of ``record`` from a snapshot; return the many-to-many values to set
    once the record is saved."""
    many: dict[str, list[int]] = {}
    for name, value in content.items():
        if name not in record.CONTENT_FIELDS:
            continue
        field = _field(record, name)
        if field.many_to_many:
            many[name] = list(value or [])
        elif field.is_relation:
            setattr(record, field.attname, value)
        else:
            setattr(record, name, field.to_python(value) if value is not None else None)
    return many


def save_many(record: Record, many: Mapping[str, list[int]]) -> None:
    for name, ids in many.items():
        getattr(record, name).set(ids)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    # Line-by-line differences for long texts, as (tag, text) with tag in {"+", "-", " "}.
    lines: list[tuple[str, str]]


def _name_of(item: Any) -> str:
    """A related object as a reader names it: a term's label, an organisation's or country's name."""
    for method in ("label", "display_name", "name"):
        named = getattr(item, method, None)
        if callable(named):
            return str(named())
    return str(item)


def _language_names(codes: list[Any]) -> str:
    locale = Locale.parse(to_locale(get_language() or "en"))
    return ", ".join(str(locale.languages.get(str(code), code)) for code in codes)


def readable_value(model: type[Record], name: str, value: Any) -> str:
    """A snapshot value in words, in the reader's language: labels for codes and choices, yes or
    no, dates and numbers as the reader's locale writes them."""
    field = _field(model, name)
    if value in (None, "", [], {}):
        return ""
    if field.many_to_many or field.is_relation:
        target = cast(type[models.Model], field.related_model)
        ids = value if isinstance(value, list) else [value]
        return ", ".join(sorted(_name_of(item) for item in target._default_manager.filter(pk__in=ids)))
    if isinstance(value, dict):
        return "\n".join(f"[{key}] {text}" for key, text in sorted(value.items()) if text)
    if isinstance(value, list):
        if name.endswith("languages"):
            return _language_names(value)
        return ", ".join(model.code_label(name, str(item)) or str(item) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DecimalField):
        return number_format(Decimal(str(value)), decimal_pos=2, force_grouping=True)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    if name == "currency":
        return currency_name(str(value))
    if isinstance(value, str):
        return model.code_label(name, value) or value
    return str(value)


def diff(model: type[Record], older: Mapping[str, Any], newer: Mapping[str, Any]) -> list[FieldChange]:
    """What changed between two snapshots, field by field, in words a person can check."""
    changes = []
    for name in model.CONTENT_FIELDS:
        if older.get(name) == newer.get(name):
            continue
        before, after = (
            readable_value(model, name, older.get(name)),
            readable_value(model, name, newer.get(name)),
        )
        lines = [
            (line[0], line[2:])
            for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in {"+", "-", " "}
        ]
        changes.append(FieldChange(name, str(_field(model, name).verbose_name), before, after, lines))
    return changes
