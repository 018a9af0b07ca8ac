"""National targets from a spreadsheet (.xlsx or UTF-8 CSV): a header row of column codes, then
one target per row. The file goes through the platform's upload checks and sheet reader
(``clearinghouse.exchange``); every problem is reported by row and column in the uploader's
language, and nothing is saved unless the whole file is clean. Importing again updates the
targets by their code, so the same file twice changes nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from clearinghouse.accounts.models import User
from clearinghouse.exchange import checks
from clearinghouse.exchange.cells import split_codes, text_of
from clearinghouse.exchange.problems import Problem, column_reference
from clearinghouse.exchange.reader import open_workbook, sheet_rows
from clearinghouse.geo.models import Country
from clearinghouse.national import services
from clearinghouse.national.models import GBF_VOCABULARY, NationalTarget
from clearinghouse.vocabularies.models import Term

# The columns, in the template's order, with what each holds (for the template's instructions).
COLUMNS: dict[str, Any] = {
    "code": gettext_lazy("The target's code in the NBSAP, e.g. T3. Required; unique in the file."),
    "title": gettext_lazy("The target's title. Required."),
    "description": gettext_lazy("What the target commits to."),
    "language": gettext_lazy("The language of the title and description: a two-letter code (en, fr, sw...)."),
    "gbf_targets": gettext_lazy(
        "The GBF targets it aligns with: codes separated by semicolons (GBF-T3; GBF-T20)."
    ),
    "adopted_year": gettext_lazy("The year the target was adopted."),
}
REQUIRED = ("code", "title", "language")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000


@dataclass(frozen=True)
class Row:
    number: int
    code: str
    title: str
    description: str
    language: str
    gbf_targets: list[Term]
    adopted_year: int | None


@dataclass(frozen=True)
class Outcome:
    added: int
    updated: int


class RefusedImportError(Exception):
    """The file is refused whole; ``problems`` lists everything to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _rows(file: IO[bytes], size: int) -> tuple[str, Iterator[tuple[Any, ...]]]:
    """The sheet's title (or the file's kind) and its rows of values."""
    inspection = checks.inspect(file, size, {checks.XLSX, checks.CSV}, MAX_BYTES)
    data = file.read()
    if inspection.format == checks.XLSX:
        workbook = open_workbook(data)
        sheet = workbook.worksheets[0]
        return sheet.title, sheet_rows(sheet)
    text = data.decode("utf-8-sig")
    return "CSV", (tuple(row) for row in csv.reader(io.StringIO(text)))


def read(file: IO[bytes], size: int) -> list[Row]:
    """The file's targets, checked; RefusedImportError listing every problem, or
    checks.RefusedFileError if the file itself cannot be read."""
    sheet, rows = _rows(file, size)
    header = next(rows, None)
    if header is None:
        raise checks.RefusedFileError(_("The file is empty."))
    codes = [text_of(value).strip().lower() for value in header]
    problems: list[Problem] = []
    missing = [name for name in REQUIRED if name not in codes]
    if missing:
        problems.append(
            Problem(
                sheet,
                1,
                "",
                _("The first row must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        )
        raise RefusedImportError(problems)
    position = {name: codes.index(name) for name in COLUMNS if name in codes}
    terms = {term.code.upper(): term for term in Term.objects.filter(vocabulary__name=GBF_VOCABULARY)}
    found: list[Row] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            problems.append(
                Problem(
                    sheet,
                    number,
                    "",
                    ngettext(
                        "The file has more than %(count)s row.",
                        "The file has more than %(count)s rows.",
                        MAX_ROWS,
                    )
                    % {"count": MAX_ROWS},
                )
            )
            break
        cells = {name: (values[index] if index < len(values) else None) for name, index in position.items()}
        if all(text_of(value).strip() == "" for value in cells.values()):
            continue
        code = text_of(cells.get("code")).strip()
        if code and code.lower() in seen:
            message = _("The code %(code)s is also on row %(row)s.") % {
                "code": code,
                "row": seen[code.lower()],
            }
            problems.append(_problem(sheet, number, "code", position, message))
        seen.setdefault(code.lower(), number)
        row, row_problems = _row(sheet, number, cells, position, terms)
        problems.extend(row_problems)
        if row is not None:
            found.append(row)
    if problems:
        raise RefusedImportError(problems)
    if not found:
        raise checks.RefusedFileError(_("The file has no targets under its first row."))
    return found


def _problem(sheet: str, row: int, name: str, position: dict[str, int], message: str) -> Problem:
    return Problem(sheet, row, column_reference(get_column_letter(position[name] + 1), name), message)


def _row(
    sheet: str, number: int, cells: dict[str, Any], position: dict[str, int], terms: dict[str, Term]
) -> tuple[Row | None, list[Problem]]:
    problems: list[Problem] = []
    text = {name: text_of(value).strip() for name, value in cells.items()}
    for name in REQUIRED:
        if not text.get(name):
            problems.append(_problem(sheet, number, name, position, _("This cell is required.")))
    if len(text.get("code", "")) > 20:
        problems.append(_problem(sheet, number, "code", position, _("A code has at most 20 characters.")))
    language = text.get("language", "").lower()
    if language and not services.is_language(language):
        problems.append(
            _problem(
                sheet,
                number,
                "language",
                position,
                _("“%(code)s” is not a language code.") % {"code": language},
            )
        )
    chosen: list[Term] = []
    unknown: list[str] = []
    for code in split_codes(cells.get("gbf_targets")):
        term = terms.get(code.upper())
        if term is None:
            unknown.append(code)
        elif term not in chosen:
            chosen.append(term)
    if unknown:
        problems.append(
            _problem(
                sheet,
                number,
                "gbf_targets",
                position,
                _("Not GBF targets: %(codes)s. Use codes such as GBF-T3.") % {"codes": ", ".join(unknown)},
            )
        )
    year: int | None = None
    if text.get("adopted_year"):
        try:
            year = int(float(text["adopted_year"]))
        except ValueError:
            year = None
        if year is None or not 1992 <= year <= 2100:
            problems.append(
                _problem(sheet, number, "adopted_year", position, _("Give a year between 1992 and 2100."))
            )
    if problems:
        return None, problems
    row = Row(
        number=number,
        code=text["code"],
        title=text["title"],
        description=text.get("description", ""),
        language=language,
        gbf_targets=chosen,
        adopted_year=year,
    )
    return row, []


@transaction.atomic
def import_targets(file: IO[bytes], size: int, party: Country, *, actor: User | None) -> Outcome:
    """Add or update the Party's targets from the file, all or none."""
    services.check_keeper(actor, party)
    rows = read(file, size)
    existing = {target.code.lower(): target for target in NationalTarget.objects.filter(party=party)}
    added = updated = 0
    problems: list[Problem] = []
    for row in rows:
        target = existing.get(row.code.lower())
        try:
            with transaction.atomic():
                services.save_target(
                    party,
                    actor=actor,
                    code=row.code,
                    language=row.language,
                    title=row.title,
                    description=row.description,
                    gbf_targets=row.gbf_targets,
                    adopted_year=row.adopted_year,
                    target=target,
                )
        except ValidationError as error:
            problems.extend(Problem("", row.number, "", message) for message in error.messages)
            continue
        if target is None:
            added += 1
        else:
            updated += 1
    if problems:
        transaction.set_rollback(True)
        raise RefusedImportError(problems)
    return Outcome(added=added, updated=updated)


def template(language: str) -> bytes:
    """The workbook to fill in: the column codes on the first row of the first sheet, an example
    row, and what each column holds on a second sheet in the reader's language."""
    workbook = Workbook()
    sheet = workbook.create_sheet("targets", 0)
    workbook.remove(workbook.worksheets[1])
    sheet.append(list(COLUMNS))
    sheet.append(["T3", "Protect 30% of land and sea by 2030", "", "en", "GBF-T3", 2025])
    help_sheet = workbook.create_sheet("help")
    if language == "ar":
        help_sheet.sheet_view.rightToLeft = True
    for name, meaning in COLUMNS.items():
        help_sheet.append([name, str(meaning)])
    for column, width in (("A", 16), ("B", 90)):
        help_sheet.column_dimensions[column].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
