"""A Party's or organisation's needs as a file: .xlsx (the template, filled in), CSV or JSON.
Each of them imports again (importer.py) without loss of the format's values.

- xlsx: the template of the chosen language with one need per row: texts in the need's
  original language (its "language" column says which), coded values as "CODE — label".
- csv: the same columns (field codes as headings, then ``language``, ``format_version``,
  ``identifier`` and ``national_targets``, the codes of the Party's national targets it
  serves), UTF-8 with a byte order mark so that Excel reads the Arabic and Chinese right.
- json: UTF-8, every field, texts in every language they exist in, coded values as
  ``{"code", "label"}``, amounts as strings (exact to the cent), national targets as
  ``{"code", "identifier"}``.

Formula injection: a text that a spreadsheet would run as a formula (it starts with =, +, -, @,
a tab or a carriage return) is written as text. In the .xlsx it is stored as a string with
Excel's quote prefix (the cell shows the text, and stays text when edited); in the CSV it gets
a leading apostrophe, which the readers take off again (cells.text_of). JSON is not opened by
spreadsheets and is written as it is.

The rows are exported as stored: for a published need with changes under way, the published
version. Contact details are included: only the need's owners export it (see views.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from clearinghouse.exchange import layout
from clearinghouse.exchange.cells import FORMULA_STARTS
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.exchange.lists import Option, Options, interface_language, workbook_language
from clearinghouse.national.models import NationalTarget
from clearinghouse.needs.formats import FormatDefinition, definition
from clearinghouse.needs.models import Need
from clearinghouse.needs.offline.template import NEEDS_SHEET, open_template
from clearinghouse.vocabularies.models import Term

FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def neutralised(text: str) -> str:
    """A text a spreadsheet will not run as a formula (for CSV)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _needs(queryset: QuerySet[Need]) -> list[Need]:
    many = [item.name for item in definition().form("need").fields if item.vocabulary]
    return list(
        queryset.select_related("assessment")
        .prefetch_related(*many, "national_targets")
        .order_by("identifier")
    )


def _national_targets(need: Need) -> list[NationalTarget]:
    # Sorted here: the prefetched list is read as it is.
    return sorted(need.national_targets.all(), key=lambda target: target.code)


class _Values:
    """One need's values as cells: texts in the original language, codes with labels."""

    def __init__(self, options: Options, language: str) -> None:
        self.options = options
        self.language = language

    def option(self, item: FieldDefinition, code: str) -> Option:
        return self.options.lookup(item).get(code.casefold()) or Option(code, {})

    def codes(self, item: FieldDefinition, need: Need) -> list[Option]:
        value = getattr(need, item.name)
        if item.vocabulary:
            terms: Iterable[Term] = value.all()
            return [Option(term.code, term.labels) for term in terms]
        if item.is_many:
            return [self.option(item, code) for code in value or []]
        return [self.option(item, value)] if value else []

    def cell(self, item: FieldDefinition, need: Need) -> Any:
        if item.is_multilingual:
            texts = getattr(need, item.name) or {}
            return texts.get(need.original_language) or next((text for text in texts.values() if text), "")
        if item.type in {"choice", "multi_choice", "currency", "language_list"}:
            return "; ".join(option.entry(self.language) for option in self.codes(item, need))
        value = getattr(need, item.name)
        return "" if value is None else value


def export_needs(queryset: QuerySet[Need], fmt: str, language: str) -> bytes:
    """The needs of ``queryset`` as an .xlsx, CSV or JSON file; labels in ``language``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt}; use one of {', '.join(FORMATS)}")
    language = workbook_language(language)
    format_definition = definition()
    options = Options(format_definition.fields)
    needs = _needs(queryset)
    with translation.override(interface_language(language)):
        if fmt == "xlsx":
            return _xlsx(needs, language, options)
        if fmt == "csv":
            return _csv(needs, format_definition, _Values(options, language))
        return _json(needs, format_definition, _Values(options, language))


def _xlsx(needs: list[Need], language: str, options: Options) -> bytes:
    template = open_template(language, options=options)
    form = definition().form("need")
    values = _Values(options, language)
    template.fill(
        NEEDS_SHEET,
        (
            {item.name: values.cell(item, need) for item in form.fields}
            | {layout.LANGUAGE_FIELD: need.original_language}
            for need in needs
        ),
    )
    return template.save()


def _csv(needs: list[Need], format_definition: FormatDefinition, values: _Values) -> bytes:
    form = format_definition.form("need")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            *(item.name for item in form.fields),
            layout.LANGUAGE_FIELD,
            "format_version",
            "identifier",
            "national_targets",
        ]
    )
    for need in needs:
        row = [values.cell(item, need) for item in form.fields]
        row += [
            need.original_language,
            need.format_version,
            need.identifier,
            "; ".join(target.code for target in _national_targets(need)),
        ]
        writer.writerow([neutralised(value) if isinstance(value, str) else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _json_value(item: FieldDefinition, need: Need, values: _Values) -> Any:
    if item.is_multilingual:
        return dict(getattr(need, item.name) or {})
    if item.type in {"choice", "currency"}:
        found = values.codes(item, need)
        return {"code": found[0].code, "label": found[0].label(values.language)} if found else None
    if item.is_many:
        return [
            {"code": option.code, "label": option.label(values.language)}
            for option in values.codes(item, need)
        ]
    value = getattr(need, item.name)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return None if value in ("", None) else value


def _json(needs: list[Need], format_definition: FormatDefinition, values: _Values) -> bytes:
    form = format_definition.form("need")
    document = {
        "format_name": format_definition.format,
        "format_version": format_definition.version,
        "exported": timezone.now().isoformat(),
        "labels_language": values.language,
        "needs": [
            {
                "identifier": need.identifier,
                "original_language": need.original_language,
                "format_version": need.format_version,
                "state": need.state,
                "status": need.status,
                "assessment": need.assessment.identifier if need.assessment else None,
                **{item.name: _json_value(item, need, values) for item in form.fields},
                # The Party's national targets it serves, as the CHM identifies them.
                "national_targets": [
                    {"code": target.code, "identifier": str(target.identifier)}
                    for target in _national_targets(need)
                ],
            }
            for need in needs
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
