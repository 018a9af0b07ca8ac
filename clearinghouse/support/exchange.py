"""Bulk import and export of every support record type as Excel (.xlsx, openpyxl), CSV and JSON.

One flat table of columns serves all three formats, built from each type's metadata
(``CONTENT_FIELDS``, ``VOCABULARIES``, the model's field types): a multilingual text has a column
per language (``title.en``, ``title.fr``...); terms, organisations, countries, regions and
linked records are given by their codes (records by identifier); lists are separated by ";";
dates are ISO 8601. JSON items use objects for texts and arrays for lists (a flat item reads too).

An export shows what its reader may see: confidential fields (contact details, an expert's name,
e-mail and biography) are left empty unless ``access.can_see_confidential`` lets the reader
see them, as on the record pages and in the API. Texts that a spreadsheet would run as a formula
are written as text.

An import is all or nothing: every problem is reported by row and column, in the reader's
language, and nothing is saved unless the whole file is clean. Likely duplicates (same provider,
lead organisation, institution, publisher or expert, titles at least 90 % alike) are listed for
the person to confirm before anything is created.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
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
from clearinghouse.accounts.permissions import is_subject_of
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.exchange import checks
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import access, workflow
from clearinghouse.publishing.models import Record, State
from clearinghouse.support import services
from clearinghouse.support.models import RECORD_MODELS, Expert, Opportunity, Resource, SupportRecord
from clearinghouse.support.models.common import model_field as field_of

FORMATS = ("xlsx", "csv", "json")
EXCHANGEABLE: dict[str, type[SupportRecord]] = {model.SLUG: model for model in RECORD_MODELS}
SIMILAR = 0.9
_LIST_SEPARATOR = ";"
# Leading characters that make a spreadsheet run a text as a formula (as in needs/offline).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Resources' language versions given as links: not a content field, but part of the record.
_LINKS = "links"
# Columns written by the platform, not the file: read back, never imported.
_IDENTIFIER = "identifier"
_STATUS = "status"
# Who a record is "by" when no organisation field says so (see by_field).
_BY_TEXT: dict[type[SupportRecord], str] = {Resource: "publisher", Expert: "name"}

Owner = Country | Organisation


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Parsed:
    """The rows of a file: cells as read, and for each row the record values."""

    cells: list[dict[str, str]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Duplicate:
    row: int
    title: str
    existing: str  # identifier of the existing record, or "row N" of the same file


# --- the table's layout ------------------------------------------------------------------------


def _is_text(model: type[SupportRecord], name: str) -> bool:
    return services.is_multilingual(model, name)


def _is_list(model: type[SupportRecord], name: str) -> bool:
    """Many-to-many fields and JSON lists (eligibility, languages, web addresses)."""
    model_field = field_of(model, name)
    return model_field.many_to_many or (
        model_field.get_internal_type() == "JSONField" and model_field.default is list
    )


def _content_names(model: type[SupportRecord]) -> list[str]:
    return [name for name in model.CONTENT_FIELDS if name != "original_language"]


def _platform_columns(model: type[SupportRecord]) -> list[str]:
    # An opportunity's status is set by the nightly job once its deadline has passed.
    return [_STATUS] if model is Opportunity else []


def columns(model: type[SupportRecord]) -> list[str]:
    """The table's columns, in order."""
    names = [_IDENTIFIER, "original_language"]
    for name in _content_names(model):
        names += [f"{name}.{code}" for code in CONTENT_LANGUAGES] if _is_text(model, name) else [name]
    if model is Resource:
        names.append(_LINKS)
    return names + _platform_columns(model)


def by_field(model: type[SupportRecord]) -> str:
    """The field naming who gives the support: the first organisation the record names
    (provider, lead organisation, institution, organisation), else the publisher or the expert."""
    for name in model.CONTENT_FIELDS:
        model_field = field_of(model, name)
        if model_field.many_to_one and model_field.related_model is Organisation:
            return name
    return _BY_TEXT[model]


def _key(item: models.Model) -> str:
    """How a file names a related object: a record by its identifier, anything else by its code."""
    return str(item.identifier) if isinstance(item, Record) else str(getattr(item, "code", item.pk))


# --- export ------------------------------------------------------------------------------------


def _cell(record: SupportRecord, name: str) -> str:
    model_field = field_of(type(record), name)
    if model_field.many_to_many:
        return _LIST_SEPARATOR.join(sorted(_key(item) for item in getattr(record, name).all()))
    if model_field.is_relation:
        related_object = getattr(record, name)
        return _key(related_object) if related_object is not None else ""
    value = getattr(record, name)
    if isinstance(value, list):
        return _LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return "" if value is None else str(value)


def disclosure(viewer: Any) -> Callable[[SupportRecord], bool]:
    """Whether ``viewer`` may see a record's confidential fields (access.can_see_confidential);
    the role check depends only on the owner, so it is asked once per owner."""
    by_owner: dict[tuple[int | None, int | None], bool] = {}

    def reveals(record: SupportRecord) -> bool:
        if record.discloses_confidential() or is_subject_of(viewer, record):
            return True
        owner = (record.owner_country_id, record.owner_organisation_id)
        if owner not in by_owner:
            by_owner[owner] = access.can_see_confidential(viewer, record)
        return by_owner[owner]

    return reveals


def rows(records: Iterable[SupportRecord], model: type[SupportRecord], viewer: Any) -> list[dict[str, str]]:
    """The records as table rows of text cells, as ``viewer`` may see them."""
    reveals = disclosure(viewer)
    table = []
    for record in records:
        hidden = set() if reveals(record) else set(model.CONFIDENTIAL_FIELDS)
        row = {_IDENTIFIER: record.identifier, "original_language": record.original_language}
        for name in _content_names(model):
            if _is_text(model, name):
                texts = {} if name in hidden else (getattr(record, name) or {})
                row |= {f"{name}.{code}": str(texts.get(code, "")) for code in CONTENT_LANGUAGES}
            else:
                row[name] = "" if name in hidden else _cell(record, name)
        if isinstance(record, Resource):
            row[_LINKS] = _LIST_SEPARATOR.join(
                f"{version.language}={version.link}" for version in record.versions.all() if version.link
            )
        if isinstance(record, Opportunity):
            # A past deadline closes it at once, before the nightly job records it.
            row[_STATUS] = "open" if record.is_open else "closed"
        table.append(row)
    return table


def _neutralised(text: str) -> str:
    """A CSV text a spreadsheet will not run as a formula; the readers take the quote off."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def export(
    records: Iterable[SupportRecord], model: type[SupportRecord], format_name: str, viewer: Any
) -> bytes:
    """The records as an .xlsx, CSV or JSON file, without what ``viewer`` may not see."""
    header = columns(model)
    table = rows(records, model, viewer)
    if format_name == "csv":
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=header)
        writer.writeheader()
        writer.writerows({name: _neutralised(cell) for name, cell in row.items()} for row in table)
        # With a byte-order mark Excel opens UTF-8 (Arabic, Chinese, Russian) correctly.
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if format_name == "json":
        return json.dumps([_json_item(model, row) for row in table], ensure_ascii=False, indent=2).encode(
            "utf-8"
        )
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.create_sheet(str(model._meta.verbose_name_plural)[:31], 0)
    workbook.remove(workbook.worksheets[1])
    sheet.append(header)
    for number, row in enumerate(table, start=2):
        for column, name in enumerate(header, start=1):
            cell = sheet.cell(number, column)
            cell.value = row[name]
            if row[name].startswith(FORMULA_STARTS):
                # Stored as a string, never as a formula, and kept as text when edited.
                cell.data_type = "s"
                cell.quotePrefix = True
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _json_item(model: type[SupportRecord], row: Mapping[str, str]) -> dict[str, Any]:
    """JSON keeps texts as {language: text}, lists as arrays, numbers and yes/no as such."""
    item: dict[str, Any] = {}
    for name, cell in row.items():
        base, _dot, language = name.partition(".")
        if language:
            texts = item.setdefault(base, {})
            if cell:
                texts[language] = cell
        elif name == _LINKS or (base in model.CONTENT_FIELDS and _is_list(model, base)):
            item[name] = [entry for entry in cell.split(_LIST_SEPARATOR) if entry]
        elif base in model.CONTENT_FIELDS and isinstance(field_of(model, base), models.BooleanField):
            item[name] = cell == "yes"
        elif (
            base in model.CONTENT_FIELDS
            and isinstance(field_of(model, base), models.IntegerField)
            and cell.isdigit()
        ):
            item[name] = int(cell)
        else:
            # Amounts stay strings: exact to the cent.
            item[name] = cell
    return item


# --- reading -----------------------------------------------------------------------------------


def _text(value: Any, *, spreadsheet: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return _LIST_SEPARATOR.join(_text(item) for item in value)
    text = str(value).strip()
    if spreadsheet and len(text) > 1 and text[0] == "'" and text.startswith(FORMULA_STARTS, 1):
        # The quote an export puts before a formula-like text (see _neutralised).
        text = text[1:]
    return text


def read(content: bytes, format_name: str) -> list[dict[str, str]]:
    """The file's rows as {column: text}; ValidationError if the file cannot be read at all."""
    try:
        if format_name == "csv":
            return [
                {str(k or "").strip(): _text(v, spreadsheet=True) for k, v in row.items()}
                for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
            ]
        if format_name == "json":
            items = json.loads(content.decode("utf-8-sig"))
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise ValidationError(_("The JSON file must hold a list of objects."), code="bad_file")
            return [_flatten(item) for item in items]
        from openpyxl import load_workbook

        # Checked on upload; again here, for files read directly: openpyxl must never walk a
        # sheet larger than the import limits.
        checks.check_workbook(io.BytesIO(content))
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        lines = list(sheet.iter_rows(values_only=True))
        if not lines:
            return []
        header = [_text(value) for value in lines[0]]
        return [
            {
                header[index]: _text(value, spreadsheet=True)
                for index, value in enumerate(line)
                if index < len(header) and header[index]
            }
            for line in lines[1:]
            if any(value not in (None, "") for value in line)
        ]
    except ValidationError:
        raise
    except checks.RefusedFileError as refused:
        raise ValidationError(str(refused), code="bad_file") from refused
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


def _owner_filter(owner: Owner) -> Q:
    return Q(owner_country=owner) if isinstance(owner, Country) else Q(owner_organisation=owner)


class _Lookups:
    """What a file's codes are checked against, for each relation field, read once per import.
    Linked records are the published ones and the owner's own (never someone else's draft)."""

    def __init__(self, model: type[SupportRecord], owner: Owner | None) -> None:
        from clearinghouse.vocabularies.models import Term

        self.known: dict[str, dict[str, models.Model]] = {}
        by_model: dict[type[models.Model], dict[str, models.Model]] = {}
        for name in model.CONTENT_FIELDS:
            related = field_of(model, name).related_model
            if not isinstance(related, type):
                continue
            if name in model.VOCABULARIES:
                terms = Term.objects.filter(vocabulary__name=model.VOCABULARIES[name])
                self.known[name] = {term.code: term for term in terms}
                continue
            if related not in by_model:
                objects = related._default_manager.all()
                if issubclass(related, Record):
                    visible = Q(live=True) | (_owner_filter(owner) if owner is not None else Q(pk__in=[]))
                    objects = objects.filter(visible).exclude(state=State.ARCHIVED)
                by_model[related] = {_key(item): item for item in objects}
            self.known[name] = by_model[related]


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(_LIST_SEPARATOR) if item.strip()]


def _related(model: type[SupportRecord], name: str, cell: str, lookups: _Lookups) -> Any:
    model_field = field_of(model, name)
    known = lookups.known[name]
    codes = _split(cell) if model_field.many_to_many else ([cell] if cell else [])
    unknown = [code for code in codes if code not in known]
    if unknown:
        related = model_field.related_model
        if related is Organisation:
            raise ValidationError(_("No organisation has the code %(code)s.") % {"code": ", ".join(unknown)})
        if isinstance(related, type) and issubclass(related, Record):
            raise ValidationError(
                _("No published record, nor record of yours, has the identifier %(identifiers)s.")
                % {"identifiers": ", ".join(unknown)}
            )
        raise ValidationError(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    if model_field.many_to_many:
        return [known[code] for code in codes]
    return known[codes[0]] if codes else None


def _value(model: type[SupportRecord], name: str, cell: str, lookups: _Lookups) -> Any:
    """The record value of one cell; ValidationError with a message for the person."""
    model_field = field_of(model, name)
    if model_field.is_relation:
        return _related(model, name, cell, lookups)
    if _is_list(model, name):
        items = _split(cell)
        # The field's own validators: countries and groups, language codes, web addresses.
        model_field.run_validators(items)
        return items
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
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(_("Give a positive amount with at most two decimals."))
        return amount
    if isinstance(model_field, models.IntegerField):
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


def format_of(content: bytes) -> str:
    """The file's format, from its first bytes (an .xlsx file is a zip)."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.lstrip(b"\xef\xbb\xbf \r\n\t").startswith((b"[", b"{")):
        return "json"
    return "csv"


def validate(
    model: type[SupportRecord],
    cells: list[dict[str, str]],
    first_row: int = 2,
    *,
    owner: Owner | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Parsed:
    """Check every cell of every row for records of ``owner``; collect every problem.
    ``progress`` is told how many rows are checked, of how many."""
    parsed = Parsed(cells=cells)
    lookups = _Lookups(model, owner)
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
        for name in _content_names(model):
            if _is_text(model, name):
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
            problems += _model_problems(model, values, number, owner)
        parsed.problems += problems
        parsed.values.append(values)
        if progress is not None:
            progress(number - first_row + 1, len(cells))
    return parsed


def _model_problems(
    model: type[SupportRecord], values: dict[str, Any], number: int, owner: Owner | None
) -> list[Problem]:
    """The record type's own rules (dates in order, a currency with an amount, a Party's
    partnership registered by that Party...)."""
    record = model()
    if isinstance(owner, Country):
        record.owner_country = owner
    elif owner is not None:
        record.owner_organisation = owner
    for name, value in values.items():
        if name in model.CONTENT_FIELDS and not field_of(model, name).many_to_many:
            setattr(record, name, value)
    # Only the content is checked: identifier, dates and state are the platform's.
    others = [field.name for field in model._meta.fields if field.name not in model.CONTENT_FIELDS]
    try:
        record.full_clean(exclude=others, validate_constraints=False)
    except ValidationError as error:
        return [
            Problem(number, _problem_column(model, name, values), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _problem_column(model: type[SupportRecord], name: str, values: Mapping[str, Any]) -> str:
    if name == "__all__":
        return ""
    if name in model.CONTENT_FIELDS and _is_text(model, name):
        # A text's problem is in the column of its original language.
        return f"{name}.{values.get('original_language', '')}"
    return name


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


def _by_key(value: Any) -> Any:
    """An organisation by its key, a publisher's or expert's name normalised."""
    if isinstance(value, models.Model):
        return value.pk
    return normalised(str(value or "")) if not isinstance(value, int) else value


def duplicates(
    model: type[SupportRecord], owner: Owner, parsed: Parsed, first_row: int = 2
) -> list[Duplicate]:
    """Rows whose title is at least 90 % like that of an existing record by the same provider
    (see by_field), or of an earlier row. Existing records are the owner's and the published
    ones; only the owner's when "by" is a confidential field (an expert's name), so that an
    import never tells whom someone else's unpublished or private profile is about."""
    by = by_field(model)
    by_attribute = field_of(model, by).attname
    scope = _owner_filter(owner)
    if by not in model.CONFIDENTIAL_FIELDS:
        scope |= Q(live=True)
    existing = [
        (_by_key(getattr(record, by_attribute)), record.title, record.identifier)
        for record in model.objects.filter(scope)
        .exclude(state=State.ARCHIVED)
        .only("identifier", "title", by_attribute)
    ]
    found: list[Duplicate] = []
    seen: list[tuple[int, Any, dict[str, str]]] = []
    for number, values in enumerate(parsed.values, start=first_row):
        key, titles = _by_key(values.get(by)), values["title"]
        title = next(iter(titles.values()), "")
        match = next(
            (identifier for other, texts, identifier in existing if other == key and _similar(titles, texts)),
            None,
        ) or next(
            (
                _("row %(number)d") % {"number": earlier}
                for earlier, other, texts in seen
                if other == key and _similar(titles, texts)
            ),
            None,
        )
        if match:
            found.append(Duplicate(number, title, match))
        seen.append((number, key, titles))
    return found


@transaction.atomic
def create_all(
    model: type[SupportRecord], *, actor: User, owner: Owner, parsed: Parsed
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
