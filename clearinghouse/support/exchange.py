"""Bulk import and export of offers and resources as Excel (.xlsx, openpyxl), CSV and JSON.

One flat table of columns serves all three formats: a multilingual text has a column per
language (``title.en``, ``title.fr``...), lists are separated by ";", dates are ISO 8601. JSON
items may also use objects and arrays for those. An import is all or nothing: every problem is
reported by row and column, in the reader's language, and nothing is saved unless the whole file
is clean. Likely duplicates (same provider, titles at least 90 % alike) are listed for the
person to confirm before anything is created.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.support import services
from clearinghouse.support.models import Offer, Resource, SupportRecord
from clearinghouse.support.models.common import eligibility_labels
from clearinghouse.support.models.common import model_field as field_of

FORMATS = ("xlsx", "csv", "json")
EXCHANGEABLE: dict[str, type[SupportRecord]] = {"offers": Offer, "resources": Resource}
SIMILAR = 0.9
_LIST_SEPARATOR = ";"
_LIST_JSON = {"eligibility", "languages"}
# Columns of resources beyond their content fields: their language versions given as links.
_LINKS = "links"


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Parsed:
    """The rows of a file: cells as read, and for clean rows the record values."""

    cells: list[dict[str, str]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Duplicate:
    row: int
    title: str
    existing: str  # identifier of the existing record, or "row N" of the same file


def _multilingual(model: type[SupportRecord], name: str) -> bool:
    return services.is_multilingual(model, name)


def columns(model: type[SupportRecord]) -> list[str]:
    """The table's columns, in order."""
    names = ["identifier", "original_language"]
    for name in model.CONTENT_FIELDS:
        if name == "original_language":
            continue
        if _multilingual(model, name):
            names += [f"{name}.{code}" for code in CONTENT_LANGUAGES]
        else:
            names.append(name)
    if model is Resource:
        names.append(_LINKS)
    return names


# --- export ------------------------------------------------------------------------------------


def _cell(record: SupportRecord, name: str) -> str:
    model_field = field_of(type(record), name)
    if model_field.many_to_many:
        related = getattr(record, name).all()
        return _LIST_SEPARATOR.join(sorted(str(getattr(item, "code", item.pk)) for item in related))
    if model_field.is_relation:
        related_object = getattr(record, name)
        return str(related_object.code) if related_object is not None else ""
    value = getattr(record, name)
    if isinstance(value, list):
        return _LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return "" if value is None else str(value)


def rows(records: Iterable[SupportRecord], model: type[SupportRecord]) -> list[dict[str, str]]:
    """The records as table rows of text cells."""
    table = []
    for record in records:
        row = {"identifier": record.identifier, "original_language": record.original_language}
        for name in model.CONTENT_FIELDS:
            if name == "original_language":
                continue
            if _multilingual(model, name):
                texts = getattr(record, name) or {}
                row |= {f"{name}.{code}": str(texts.get(code, "")) for code in CONTENT_LANGUAGES}
            else:
                row[name] = _cell(record, name)
        if isinstance(record, Resource):
            row[_LINKS] = _LIST_SEPARATOR.join(
                f"{version.language}={version.link}" for version in record.versions.all() if version.link
            )
        table.append(row)
    return table


def export(records: Iterable[SupportRecord], model: type[SupportRecord], format_name: str) -> bytes:
    header = columns(model)
    table = rows(records, model)
    if format_name == "csv":
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=header)
        writer.writeheader()
        writer.writerows(table)
        # With a byte-order mark Excel opens UTF-8 (Arabic, Chinese, Russian) correctly.
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if format_name == "json":
        return json.dumps(
            [{name: _json_value(model, name, row[name]) for name in header} for row in table],
            ensure_ascii=False,
            indent=2,
        ).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.create_sheet(str(model._meta.verbose_name_plural)[:31], 0)
    workbook.remove(workbook.worksheets[1])
    sheet.append(header)
    for row in table:
        sheet.append([row[name] for name in header])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _json_value(model: type[SupportRecord], name: str, cell: str) -> Any:
    """JSON keeps lists as arrays; every other value as the text cell."""
    base = name.split(".")[0]
    if base in _LIST_JSON or (base in model.CONTENT_FIELDS and model._meta.get_field(base).many_to_many):
        return [item for item in cell.split(_LIST_SEPARATOR) if item]
    return cell


# --- reading -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return _LIST_SEPARATOR.join(_text(item) for item in value)
    return str(value).strip()


def read(content: bytes, format_name: str) -> list[dict[str, str]]:
    """The file's rows as {column: text}; ValidationError if the file cannot be read at all."""
    try:
        if format_name == "csv":
            return [
                {str(k or "").strip(): _text(v) for k, v in row.items()}
                for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
            ]
        if format_name == "json":
            items = json.loads(content.decode("utf-8-sig"))
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise ValidationError(_("The JSON file must hold a list of objects."), code="bad_file")
            return [_flatten(item) for item in items]
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        lines = list(sheet.iter_rows(values_only=True))
        if not lines:
            return []
        header = [_text(value) for value in lines[0]]
        return [
            {
                header[index]: _text(value)
                for index, value in enumerate(line)
                if index < len(header) and header[index]
            }
            for line in lines[1:]
            if any(value not in (None, "") for value in line)
        ]
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(
            _("The file cannot be read as %(format)s.") % {"format": format_name.upper()}, code="bad_file"
        ) from error


def _flatten(item: Mapping[str, Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            flat |= {f"{key}.{code}": _text(text) for code, text in value.items()}
        else:
            flat[str(key)] = _text(value)
    return flat


# --- validation --------------------------------------------------------------------------------


class _Lookups:
    """Everything a file's codes are checked against, read once per import."""

    def __init__(self, model: type[SupportRecord]) -> None:
        from clearinghouse.vocabularies.models import Term

        self.terms: dict[str, dict[str, Any]] = {}
        for name, vocabulary in model.VOCABULARIES.items():
            self.terms[name] = {term.code: term for term in Term.objects.filter(vocabulary__name=vocabulary)}
        self.organisations = {organisation.code: organisation for organisation in Organisation.objects.all()}
        self.labels = eligibility_labels() | set(Country.objects.values_list("code", flat=True))


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(_LIST_SEPARATOR) if item.strip()]


def _value(model: type[SupportRecord], name: str, cell: str, lookups: _Lookups) -> Any:
    """The record value of one cell; ValidationError with a message for the person."""
    model_field = field_of(model, name)
    if model_field.many_to_many:
        known = lookups.terms.get(name, {})
        codes = _split(cell)
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        return [known[code] for code in codes]
    if model_field.is_relation:
        if not cell:
            return None
        if cell not in lookups.organisations:
            raise ValidationError(_("No organisation has the code %(code)s.") % {"code": cell})
        return lookups.organisations[cell]
    if name in {"eligibility", "regions_served"}:
        labels = _split(cell)
        unknown = [label for label in labels if label not in lookups.labels]
        if unknown:
            raise ValidationError(
                _("Unknown countries or groups: %(labels)s.") % {"labels": ", ".join(unknown)}
            )
        return labels
    if name == "languages":
        codes = _split(cell)
        if any(not re.fullmatch(r"[a-z]{2}", code) for code in codes):
            raise ValidationError(_("Give languages as two-letter ISO 639-1 codes."))
        return codes
    if isinstance(model_field, models.DateField):
        if not cell:
            return None
        try:
            return date.fromisoformat(cell[:10])
        except ValueError:
            raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None
    if isinstance(model_field, models.DecimalField):
        if not cell:
            return None
        try:
            amount = Decimal(cell.replace(",", ""))
        except InvalidOperation:
            raise ValidationError(_("Give a number.")) from None
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(_("Give a positive amount with at most two decimals."))
        return amount
    if isinstance(model_field, models.PositiveIntegerField | models.IntegerField):
        if not cell:
            return None
        if not re.fullmatch(r"\d+", cell):
            raise ValidationError(_("Give a whole number."))
        return int(cell)
    if isinstance(model_field, models.BooleanField):
        if cell.lower() not in {"", "yes", "no", "true", "false", "1", "0"}:
            raise ValidationError(_("Give yes or no."))
        return cell.lower() in {"yes", "true", "1"}
    if (
        model_field.choices
        and cell
        and cell not in {str(choice) for choice, _label in model_field.flatchoices}
    ):
        allowed = ", ".join(str(choice) for choice, _label in model_field.flatchoices)
        raise ValidationError(_("Choose one of: %(choices)s.") % {"choices": allowed})
    if isinstance(model_field, models.EmailField) and cell:
        validate_email(cell)
    if isinstance(model_field, models.URLField) and cell:
        URLValidator(schemes=["http", "https"])(cell)
    if name == "currency" and cell and not re.fullmatch(r"[A-Z]{3}", cell):
        raise ValidationError(_("Give an ISO 4217 currency code such as USD."))
    return cell


def _links(cell: str) -> list[tuple[str, str]]:
    pairs = []
    for item in _split(cell):
        language, _sep, url = item.partition("=")
        if language not in CONTENT_LANGUAGES:
            raise ValidationError(
                _("Give each link as language=address, for example en=https://example.org/guide.pdf.")
            )
        URLValidator(schemes=["http", "https"])(url)
        pairs.append((language, url))
    return pairs


def validate(model: type[SupportRecord], cells: list[dict[str, str]], first_row: int = 2) -> Parsed:
    """Check every cell of every row; collect every problem."""
    parsed = Parsed(cells=cells)
    lookups = _Lookups(model)
    expected = set(columns(model))
    # Reported once, against the header row.
    unknown = sorted({column for row in cells for column in row} - expected)
    parsed.problems += [Problem(first_row - 1, column, _("This column is unknown.")) for column in unknown]
    for number, row in enumerate(cells, start=first_row):
        problems: list[Problem] = []
        language = row.get("original_language", "")
        if language not in CONTENT_LANGUAGES:
            problems.append(
                Problem(
                    number,
                    "original_language",
                    _("Give one of: %(codes)s.") % {"codes": ", ".join(CONTENT_LANGUAGES)},
                )
            )
        values: dict[str, Any] = {"original_language": language}
        for name in model.CONTENT_FIELDS:
            if name == "original_language":
                continue
            if _multilingual(model, name):
                values[name] = {
                    code: row.get(f"{name}.{code}", "")
                    for code in CONTENT_LANGUAGES
                    if row.get(f"{name}.{code}", "")
                }
                continue
            try:
                values[name] = _value(model, name, row.get(name, ""), lookups)
            except ValidationError as error:
                problems.append(Problem(number, name, " ".join(error.messages)))
        if not values.get("title"):
            column = f"title.{language}" if language in CONTENT_LANGUAGES else "title"
            problems.append(Problem(number, column, _("Every record needs a title.")))
        if model is Resource:
            try:
                values[_LINKS] = _links(row.get(_LINKS, ""))
            except ValidationError as error:
                problems.append(Problem(number, _LINKS, " ".join(error.messages)))
        if not problems:
            problems += _model_problems(model, values, number)
        parsed.problems += problems
        parsed.values.append(values)
    return parsed


def _model_problems(model: type[SupportRecord], values: dict[str, Any], number: int) -> list[Problem]:
    """The record type's own rules (dates in order, a currency with an amount...)."""
    record = model()
    for name, value in values.items():
        if name in model.CONTENT_FIELDS and not model._meta.get_field(name).many_to_many:
            setattr(record, name, value)
    # Only the content is checked: owner, identifier and dates are the platform's.
    others = [field.name for field in model._meta.fields if field.name not in model.CONTENT_FIELDS]
    try:
        record.full_clean(exclude=others, validate_constraints=False)
    except ValidationError as error:
        return [
            Problem(number, name if name != "__all__" else "", message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


# --- duplicates and creation -------------------------------------------------------------------


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _similar(first: Mapping[str, str], second: Mapping[str, str]) -> bool:
    for one in first.values():
        for other in second.values():
            a, b = normalised(one), normalised(other)
            if a and b and difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR:
                return True
    return False


def _provider_key(model: type[SupportRecord], values: Mapping[str, Any]) -> Any:
    if model is Offer:
        provider = values.get("provider")
        return provider.pk if provider is not None else None
    return normalised(str(values.get("publisher") or ""))


def duplicates(
    model: type[SupportRecord], owner: Country | Organisation, parsed: Parsed, first_row: int = 2
) -> list[Duplicate]:
    """Rows whose title is at least 90 % like that of a record with the same provider (Offer's
    provider, Resource's publisher) registered by the same owner, or of an earlier row."""
    owner_filter = Q(owner_country=owner) if isinstance(owner, Country) else Q(owner_organisation=owner)
    existing = list(model.objects.filter(owner_filter).exclude(state=State.ARCHIVED))
    found: list[Duplicate] = []
    seen: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(parsed.values, start=first_row):
        key = _provider_key(model, values)
        title = next(iter(values["title"].values()), "")
        for record in existing:
            record_key = (
                record.provider_id
                if isinstance(record, Offer)
                else normalised(getattr(record, "publisher", ""))
            )
            if record_key == key and _similar(values["title"], record.title):
                found.append(Duplicate(number, title, record.identifier))
                break
        else:
            for earlier, earlier_values in seen:
                if _provider_key(model, earlier_values) == key and _similar(
                    values["title"], earlier_values["title"]
                ):
                    found.append(Duplicate(number, title, _("row %(number)d") % {"number": earlier}))
                    break
        seen.append((number, values))
    return found


@transaction.atomic
def create_all(
    model: type[SupportRecord], *, actor: User, owner: Country | Organisation, parsed: Parsed
) -> list[SupportRecord]:
    """Create every row as a draft record (all or none)."""
    if parsed.problems:
        raise ValidationError(_("The file has problems; nothing was saved."), code="problems")
    created = []
    for values in parsed.values:
        content = {name: value for name, value in values.items() if name in model.CONTENT_FIELDS}
        record = workflow.create(model, actor=actor, owner=owner, values=content, note=_("Imported"))
        if isinstance(record, Resource):
            for language, url in values.get(_LINKS, []):
                services.add_version(record, actor=actor, language=language, link=url)
        created.append(record)
    return created
