"""Import and export of every record type that declares ``exchange`` in its registration
(``registry.Exchanged``): the engine of ``clearinghouse.exchange`` applied to the type's fields.

Files:
- xlsx: the exchange workbook (``exchange.writer``) in the person's language: Instructions with a
  legend of every column, one sheet of records (headings, the row of column codes, one record
  per row), drop-downs for vocabularies and choices from a hidden Lists sheet, right to left in
  Arabic. Each multilingual field has a column per language (``title.en``, ``title.fr``...), so
  that an export keeps every translation; ``original_language`` says which one the record was
  written in. A workbook of another shape (a header row of column codes, then one record per
  row) reads too.
- csv: the same columns, UTF-8 with a byte order mark so that Excel reads Arabic and Chinese.
- json: a list of objects, texts as ``{language: text}``, lists as arrays.

Every cell is cleaned by the engine (``exchange.rows.clean_record``), then the type's own rules
(``Exchanged.check``) and the model's (``full_clean``) run; every problem is reported by sheet,
row and column (the column letter and heading the person sees, or the CSV/JSON column code), in
the uploader's language. Nothing is saved unless the whole file is clean; likely duplicates
(``Exchanged.by``) are listed for the person to confirm first; then each row becomes a draft
through the workflow, by the person who uploaded it, all in one transaction.

An export shows what its reader may see: confidential fields are left empty unless
``access.can_see_confidential`` lets the reader see them (or the record discloses them, or it is
about the reader). Texts a spreadsheet would run as a formula are written as text.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.accounts.permissions import is_subject_of
from clearinghouse.core.languages import CONTENT_LANGUAGES, is_language_code, language_code
from clearinghouse.exchange import budget, checks
from clearinghouse.exchange import registry as kinds
from clearinghouse.exchange.cells import FORMULA_STARTS, is_blank, text_of
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.exchange.lists import Option, Options, interface_language, workbook_language
from clearinghouse.exchange.problems import Place, Problem
from clearinghouse.exchange.reader import WorkbookReader, defined_cell, open_workbook, sheet_rows
from clearinghouse.exchange.rows import RawRecord, Reading, clean_values
from clearinghouse.exchange.writer import Layout, Sheet, table_columns, text_column
from clearinghouse.exchange.writer import open_workbook as new_workbook
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import access, workflow
from clearinghouse.publishing.models import Record, State

if TYPE_CHECKING:
    from clearinghouse.publishing.registry import Exchanged, RecordType

FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
SHEET = "CH_RECORDS"
IDENTIFIER = "identifier"
LANGUAGE = "original_language"
SIMILAR = 0.9
_SEPARATOR = ";"
_REFERENCES = {
    "organisation",
    "organisation_list",
    "record",
    "record_list",
    "reference",
    "reference_list",
    "activity_list",
}

Owner = Country | Organisation


def declaration(record_type: RecordType) -> Exchanged:
    if record_type.exchange is None:
        raise LookupError(f"{record_type.name} is not exchanged")
    return record_type.exchange


def kind_name(record_type: RecordType) -> str:
    """The import kind of a type (``records-<type>`` unless it names its own)."""
    return declaration(record_type).name or f"records-{record_type.name}"


# --- the table -----------------------------------------------------------------------------------


def sheet(record_type: RecordType, other_languages: tuple[str, ...] = ()) -> Sheet:
    """The type's table; ``other_languages``: text columns for languages besides the six."""
    exchanged = declaration(record_type)
    return Sheet(
        SHEET,
        lambda: str(capfirst(record_type.model._meta.verbose_name_plural)),
        exchanged.fields(),
        language_column=LANGUAGE,
        every_language=True,
        other_languages=other_languages,
        extra=((IDENTIFIER, lambda: _("Identifier")), *exchanged.platform),
    )


def workbook_layout(record_type: RecordType, other_languages: tuple[str, ...] = ()) -> Layout:
    table = sheet(record_type, other_languages)

    def introduction(language: str) -> Sequence[str]:
        return (
            _(
                "One record per row of sheet %(sheet)s, from row 3; keep row 2, the columns' codes. "
                "Give each text in the columns of the languages it is written in, and the language "
                "it was first written in in the last column. The identifier is the platform's: an "
                "imported row becomes a new draft."
            )
            % {"sheet": table.title()},
        )

    return Layout(
        format=f"clearinghouse-{record_type.name}",
        version="1",
        title=lambda _language: str(capfirst(record_type.model._meta.verbose_name_plural)),
        introduction=introduction,
        sheets=(table,),
    )


def columns(record_type: RecordType, other_languages: tuple[str, ...] = ()) -> list[str]:
    """The table's column codes, in order."""
    return [column.code for column in table_columns(sheet(record_type, other_languages))]


def other_languages(table: Iterable[Mapping[str, str]]) -> tuple[str, ...]:
    """The languages besides the six that rows have texts in, by code."""
    found = {code for row in table for name in row if is_language_code(code := name.partition(".")[2])}
    return tuple(sorted(found - set(CONTENT_LANGUAGES)))


def _related(record_type: RecordType, name: str) -> type[models.Model] | None:
    try:
        related = record_type.model._meta.get_field(name).related_model
    except FieldDoesNotExist:
        return None
    return related if isinstance(related, type) else None


def _key(item: models.Model) -> str:
    """How a file names a related object: a record by its identifier, an action-plan activity by
    its number, anything else by its code."""
    if isinstance(item, Record):
        return str(item.identifier)
    if hasattr(item, "code"):
        return str(item.code)
    return str(getattr(item, "number", item.pk))


def references(
    record_type: RecordType, fields: Iterable[FieldDefinition], owner: Owner | None
) -> dict[str, list[Option]]:
    """The options of the type's reference fields, read once per file. Linked records are the
    published ones and the owner's own (never someone else's draft), never archived ones."""
    found: dict[str, list[Option]] = {}
    by_model: dict[type[models.Model], list[Option]] = {}
    for item in fields:
        related = _related(record_type, item.name) if item.type in _REFERENCES else None
        if related is None:
            continue
        if related not in by_model:
            objects = related._default_manager.all()
            if issubclass(related, Record):
                visible = Q(live=True) | (_owner_filter(owner) if owner is not None else Q(pk__in=[]))
                objects = objects.filter(visible).exclude(state=State.ARCHIVED)
            by_model[related] = [Option(_key(thing), {}, value=thing) for thing in objects]
        found[item.name] = by_model[related]
    return found


def _owner_filter(owner: Owner) -> Q:
    return Q(owner_country=owner) if isinstance(owner, Country) else Q(owner_organisation=owner)


# --- export --------------------------------------------------------------------------------------


def _cell(record: Record, item: FieldDefinition) -> str:
    value = getattr(record, item.name)
    if isinstance(value, models.Manager):
        # Numbers (an activity's) in their order: 5 before 46.
        keys = sorted(
            (_key(thing) for thing in value.all()),
            key=lambda key: (len(key), key) if key.isdigit() else (0, key),
        )
        return _SEPARATOR.join(keys)
    if isinstance(value, models.Model):
        return _key(value)
    if isinstance(value, list):
        return _SEPARATOR.join(str(thing) for thing in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def disclosure(viewer: Any) -> Callable[[Record], bool]:
    """Whether ``viewer`` may see a record's confidential fields (access.can_see_confidential);
    the role check depends only on the owner, so it is asked once per owner."""
    by_owner: dict[tuple[int | None, int | None], bool] = {}

    def reveals(record: Record) -> bool:
        if record.discloses_confidential() or is_subject_of(viewer, record):
            return True
        owner = (record.owner_country_id, record.owner_organisation_id)
        if owner not in by_owner:
            by_owner[owner] = access.can_see_confidential(viewer, record)
        return by_owner[owner]

    return reveals


def rows(record_type: RecordType, records: Iterable[Record], viewer: Any) -> list[dict[str, str]]:
    """The records as table rows of text cells, as ``viewer`` may see them."""
    exchanged = declaration(record_type)
    fields = exchanged.fields()
    content = set(record_type.model.CONTENT_FIELDS)
    reveals = disclosure(viewer)
    table = []
    for record in records:
        hidden = set() if reveals(record) else set(record_type.confidential)
        row = {IDENTIFIER: record.identifier, LANGUAGE: record.original_language}
        for item in fields:
            if item.name not in content:
                continue
            if item.is_multilingual:
                texts = {} if item.name in hidden else (getattr(record, item.name) or {})
                codes = dict.fromkeys((*CONTENT_LANGUAGES, *texts))
                row |= {f"{item.name}.{code}": str(texts.get(code, "")) for code in codes}
            else:
                row[item.name] = "" if item.name in hidden else _cell(record, item)
        row |= exchanged.values(record)
        table.append(row)
    return table


def neutralised(text: str) -> str:
    """A CSV text a spreadsheet will not run as a formula; the readers take the quote off."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def export(
    record_type: RecordType, records: Iterable[Record], format_name: str, viewer: Any, language: str
) -> bytes:
    """The records as an .xlsx, CSV or JSON file, without what ``viewer`` may not see; the
    workbook's headings, lists and instructions in ``language``."""
    table = rows(record_type, records, viewer)
    others = other_languages(table)
    header = columns(record_type, others)
    if format_name == "csv":
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=header)
        writer.writeheader()
        writer.writerows({name: neutralised(row.get(name, "")) for name in header} for row in table)
        # With a byte-order mark Excel opens UTF-8 (Arabic, Chinese, Russian) correctly.
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if format_name == "json":
        fields = {item.name: item for item in declaration(record_type).fields()}
        items = [_json_item(fields, row) for row in table]
        return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")
    return template(record_type, language, table, others)


def template(
    record_type: RecordType,
    language: str,
    table: Iterable[Mapping[str, Any]] = (),
    other_languages: tuple[str, ...] = (),
) -> bytes:
    """The type's workbook in ``language``, empty or with these rows (with text columns for
    ``other_languages`` besides the six)."""
    written = new_workbook(
        workbook_layout(record_type, other_languages), language, Options(declaration(record_type).fields())
    )
    written.fill(SHEET, table)
    return written.save()


def _json_item(fields: Mapping[str, FieldDefinition], row: Mapping[str, str]) -> dict[str, Any]:
    """JSON keeps texts as {language: text}, lists as arrays, numbers and yes/no as such."""
    item: dict[str, Any] = {}
    for name, cell in row.items():
        base, _dot, language = name.partition(".")
        definition = fields.get(base)
        if language:
            texts = item.setdefault(base, {})
            if cell:
                texts[language] = cell
        elif definition is not None and definition.is_many:
            item[name] = [entry for entry in cell.split(_SEPARATOR) if entry]
        elif definition is not None and definition.type == "boolean":
            item[name] = cell == "yes"
        elif definition is not None and definition.type in {"integer", "year"} and cell.isdigit():
            item[name] = int(cell)
        else:
            # Amounts stay strings: exact to the cent.
            item[name] = cell
    return item


# --- reading -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One record of a file as found: where it is, its cells by column code (texts as
    ``name.language``), and how a problem names each column (its letter and heading in a
    workbook, its code in CSV and JSON)."""

    place: Place
    cells: dict[str, Any]
    references: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, code: str) -> Any:
        return self.cells.get(code, "")

    def get(self, code: str, default: Any = "") -> Any:
        return self.cells.get(code, default)

    def reference(self, code: str) -> str:
        return self.references.get(code, code)


@dataclass
class Parsed:
    """The rows of a file, each row's record values, and every problem."""

    rows: list[Row] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_of(content: bytes) -> str:
    """The file's format, from its first bytes (an .xlsx file is a zip)."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.lstrip(b"\xef\xbb\xbf \r\n\t").startswith((b"[", b"{")):
        return "json"
    return "csv"


def read(record_type: RecordType, content: bytes, format_name: str, language: str = "en") -> list[Row]:
    """The file's rows; ValidationError (in the active language) if it cannot be read at all.
    Problems of a workbook name its columns in ``language``."""
    try:
        if format_name == "csv":
            lines = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
            return [
                # text_of takes off the quote an export puts before a formula-like text.
                Row(
                    Place("", number), {str(key or "").strip(): text_of(value) for key, value in line.items()}
                )
                for number, line in enumerate(lines, start=2)
            ]
        if format_name == "json":
            items = json.loads(content.decode("utf-8-sig"))
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise ValidationError(_("The JSON file must hold a list of objects."), code="bad_file")
            return [Row(Place("", number), _flatten(item)) for number, item in enumerate(items, start=2)]
        return _read_workbook(record_type, content, language)
    except (ValidationError, budget.CPULimitExceededError):
        raise
    except checks.RefusedFileError as refused:
        raise ValidationError(str(refused), code="bad_file") from refused
    except Exception as error:
        raise ValidationError(
            _("The file cannot be read as %(format)s.") % {"format": format_name.upper()}, code="bad_file"
        ) from error


def _read_workbook(record_type: RecordType, content: bytes, language: str) -> list[Row]:
    workbook = open_workbook(content)
    try:
        if defined_cell(workbook, SHEET) is None:
            # Not this site's workbook: the first sheet, a header row of column codes.
            lines = list(sheet_rows(workbook.worksheets[0]))
            if not lines:
                return []
            header = [text_of(value) for value in lines[0]]
            return [
                Row(
                    Place("", number),
                    {
                        header[index]: "" if value is None else value
                        for index, value in enumerate(line)
                        if index < len(header) and header[index]
                    },
                )
                for number, line in enumerate(lines[1:], start=2)
                if any(value not in (None, "") for value in line)
            ]
        problems: list[Problem] = []
        reader = WorkbookReader(workbook, workbook_language(language), _not_ours(record_type), problems)
        found = [
            Row(place, {code: "" if value is None else value for code, value in cells.items()}, references)
            for place, cells, references in reader.cells(sheet(record_type))
        ]
        if problems:
            raise ValidationError([problem.message for problem in problems[:1]], code="bad_file")
        return found
    finally:
        workbook.close()


def _not_ours(record_type: RecordType) -> Callable[[], checks.RefusedFileError]:
    return lambda: checks.RefusedFileError(
        _("This workbook is not the %(kind)s workbook of this site. Download it again from the list.")
        % {"kind": record_type.model._meta.verbose_name_plural}
    )


def _flatten(item: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict) and not {"code", "label"} >= set(value):
            flat |= {f"{key}.{code}": text for code, text in value.items()}
        else:
            flat[str(key)] = value
    return flat


# --- checking ------------------------------------------------------------------------------------


def _given_language(row: Row) -> str:
    try:
        return language_code(text_of(row[LANGUAGE]))
    except ValidationError:
        return ""


def _text_languages(row: Row, name: str) -> list[str]:
    """The languages a row gives a field's texts in: the six's columns, and any other ISO 639
    language's (``title.qu``)."""
    others = [
        code
        for column in row.cells
        if column.startswith(f"{name}.") and is_language_code(code := column.partition(".")[2])
    ]
    return list(dict.fromkeys((*CONTENT_LANGUAGES, *others)))


def _raw(fields: Sequence[FieldDefinition], row: Row) -> RawRecord:
    """The row as the engine reads it: texts gathered as {language: text}; a problem with a
    text is placed in the column of the record's language."""
    raw = RawRecord(row.place)
    given = _given_language(row)
    for item in fields:
        if not item.is_multilingual:
            raw.cells[item.name] = (row.reference(item.name), row[item.name])
            continue
        texts = {code: row[f"{item.name}.{code}"] for code in _text_languages(row, item.name)}
        texts = {code: text for code, text in texts.items() if not is_blank(text)}
        language = given or next(iter(texts), "")
        column = f"{item.name}.{language}" if language else item.name
        raw.cells[item.name] = (row.reference(column), texts)
    written_in = given or next(
        (code for code in _text_languages(row, "title") if not is_blank(row[f"title.{code}"])), ""
    )
    raw.language = (row.reference(LANGUAGE), row[LANGUAGE] if not is_blank(row[LANGUAGE]) else written_in)
    return raw


def validate(
    record_type: RecordType,
    found: Sequence[Row | Mapping[str, Any]],
    *,
    owner: Owner | None = None,
    language: str = "en",
    progress: Callable[[int, int], None] | None = None,
) -> Parsed:
    """Check every cell of every row for records of ``owner``; collect every problem (in the
    active language). ``progress`` is told how many rows are checked, of how many."""
    exchanged = declaration(record_type)
    fields = exchanged.fields()
    file_rows = [
        row if isinstance(row, Row) else Row(Place("", number), dict(row))
        for number, row in enumerate(found, start=2)
    ]
    parsed = Parsed(rows=file_rows)
    table = sheet(record_type)
    known = set(columns(record_type))
    given = {code for row in file_rows if not row.references for code in row.cells}
    # A text in a language besides the six has a column of its own (``title.qu``).
    unknown = sorted(code for code in given - known if text_column(table, code) is None)
    # Reported once, against the header row.
    parsed.problems += [Problem("", 1, code, _("This column is unknown.")) for code in unknown]
    reading = Reading(
        options=Options(fields, references(record_type, fields, owner)),
        default_language=workbook_language(language),
        ui_language=workbook_language(language),
    )
    for done, row in enumerate(file_rows, start=1):
        raw = _raw(fields, row)
        values, problems = clean_values(fields, raw, reading)
        if exchanged.check is not None:
            # The type's own rules read the values that are right; the others are reported.
            own = exchanged.check(values)
            problems += [
                Problem(row.place.sheet, row.place.row, raw.cells[name][0], message)
                for name, message in own.items()
            ]
        if not problems:
            values = _with_defaults(record_type, values)
            problems += _model_problems(record_type, values, row, raw, owner)
        parsed.problems += problems
        parsed.values.append(values)
        if progress is not None:
            progress(done, len(file_rows))
    return parsed


def _with_defaults(record_type: RecordType, values: dict[str, Any]) -> dict[str, Any]:
    """An empty cell of a field that cannot be null (a yes/no left empty) takes the field's
    default, as a form does."""
    model = record_type.model
    for name, value in values.items():
        if value is None and name in model.CONTENT_FIELDS:
            model_field = model._meta.get_field(name)
            if isinstance(model_field, models.Field) and not model_field.null:
                values[name] = model_field.get_default()
    return values


def _model_problems(
    record_type: RecordType, values: Mapping[str, Any], row: Row, raw: RawRecord, owner: Owner | None
) -> list[Problem]:
    """The model's own rules (dates in order, a currency with an amount, a Party's partnership
    registered by that Party...)."""
    model = record_type.model
    record = model()
    if isinstance(owner, Country):
        record.owner_country = owner
    elif owner is not None:
        record.owner_organisation = owner
    for name, value in values.items():
        model_field = model._meta.get_field(name) if name in model.CONTENT_FIELDS else None
        if model_field is not None and not model_field.many_to_many:
            setattr(record, name, value)
    # Only the content is checked: identifier, dates and state are the platform's.
    others = [item.name for item in model._meta.fields if item.name not in model.CONTENT_FIELDS]
    try:
        record.full_clean(exclude=others, validate_constraints=False)
    except ValidationError as error:
        return [
            Problem(row.place.sheet, row.place.row, raw.cells[name][0] if name in raw.cells else "", message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


# --- duplicates and creation ---------------------------------------------------------------------


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


def duplicates(record_type: RecordType, owner: Owner, parsed: Parsed) -> list[kinds.Duplicate]:
    """Rows whose title is at least 90 % like that of an existing record with the same value of
    the type's ``by`` field, or of an earlier row. Existing records are the owner's and the
    published ones; only the owner's when "by" is a confidential field (an expert's name), so
    that an import never tells whom someone else's unpublished or private profile is about."""
    by = declaration(record_type).by
    if not by:
        return []
    model = record_type.model
    by_field = model._meta.get_field(by)
    attribute = getattr(by_field, "attname", by)
    label = str(getattr(by_field, "verbose_name", by))
    scope = _owner_filter(owner)
    if by not in record_type.confidential:
        scope |= Q(live=True)
    existing = [
        (_by_key(value), title, identifier)
        for value, title, identifier in model._default_manager.filter(scope)
        .exclude(state=State.ARCHIVED)
        .values_list(attribute, "title", "identifier")
    ]
    found: list[kinds.Duplicate] = []
    seen: list[tuple[int, Any, dict[str, str]]] = []
    for row, values in zip(parsed.rows, parsed.values, strict=True):
        number = row.place.row or 0
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
            found.append(kinds.Duplicate(number, title, match, label))
        seen.append((number, key, titles))
    return found


@transaction.atomic
def create_all(record_type: RecordType, *, actor: User, owner: Owner, parsed: Parsed) -> list[Record]:
    """Create every row as a draft record through the workflow, by ``actor`` (all or none)."""
    if parsed.problems:
        raise ValidationError(_("The file has problems; nothing was saved."), code="problems")
    exchanged = declaration(record_type)
    content_fields = set(record_type.model.CONTENT_FIELDS)
    created = []
    for values in parsed.values:
        content = {name: value for name, value in values.items() if name in content_fields}
        record = workflow.create(
            record_type.model, actor=actor, owner=owner, values=content, note=_("Imported")
        )
        if exchanged.created is not None:
            exchanged.created(record, actor, values)
        created.append(record)
    return created


# --- the import kind ----------------------------------------------------------------------------


def _runner(record_type: RecordType) -> kinds.Runner:
    def run(request: kinds.Request) -> kinds.Outcome:
        language = interface_language(request.language)
        try:
            found = read(record_type, request.content, format_of(request.content), language)
        except ValidationError as error:
            return kinds.Outcome(problems=[Problem("", None, "", " ".join(error.messages))])
        parsed = validate(
            record_type, found, owner=request.owner, language=language, progress=request.progress
        )
        if parsed.problems:
            return kinds.Outcome(problems=parsed.problems)
        if not request.confirmed:
            likely = duplicates(record_type, request.owner, parsed)
            if likely:
                return kinds.Outcome(duplicates=likely)
        return kinds.Outcome(
            created=create_all(record_type, actor=request.actor, owner=request.owner, parsed=parsed)
        )

    return run


def register_import(record_type: RecordType) -> None:
    """Offer the type's import to the worker and the job pages (``registry.register`` calls it)."""
    exchanged = declaration(record_type)
    plural = record_type.model._meta.verbose_name_plural
    kinds.register(
        kinds.ImportKind(
            name=kind_name(record_type),
            label=lambda: _("Import %(kind)s") % {"kind": plural},
            formats=frozenset({checks.XLSX, checks.CSV, checks.JSON}),
            max_bytes=lambda: int(getattr(settings, exchanged.max_bytes)),
            run=_runner(record_type),
            back=exchanged.back,
            back_label=lambda: str(capfirst(plural)),
        )
    )
