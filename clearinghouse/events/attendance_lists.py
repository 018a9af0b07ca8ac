"""Participants' lists and the offline check-in list, written and read through the exchange
engine (``clearinghouse.exchange``: its workbook writer, readers, cell cleaning and problems).

Rooms often have no network: the organiser downloads the check-in list (a workbook or CSV), the
desk writes the time each person arrives, and the filled list is uploaded after the event. Its
rows are matched by code; the earliest time wins (a check-in already recorded earlier stays).
Participants' lists go out with the facts and answers for organisers, and come in from a
partner's own registration system as confirmed registrations.

As in every import of the exchange engine, the whole file is checked first and nothing is saved
unless every row is right: the problems are listed by row and column, in the uploader's
language. Files are read in the web request, not by the import worker: an event's lists are
bounded by its places (at most ``MAX_ROWS`` rows), and the organiser needs the result at once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clearinghouse.accounts.models import User
from clearinghouse.core.multilingual import show
from clearinghouse.events.attendance import confirmed, title_of
from clearinghouse.events.models import (
    ACTIVE_STATUSES,
    Event,
    Gender,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    Sector,
)
from clearinghouse.exchange import checks, layout
from clearinghouse.exchange.cells import FORMULA_STARTS, is_blank, text_of
from clearinghouse.exchange.fields import Choice, FieldDefinition
from clearinghouse.exchange.lists import (
    Option,
    Options,
    in_every_language,
    interface_language,
    workbook_language,
)
from clearinghouse.exchange.problems import Place, Problem
from clearinghouse.exchange.reader import WorkbookReader, defined_cell, open_workbook, read_bytes, sheet_rows
from clearinghouse.exchange.rows import RawRecord, Reading, clean_values
from clearinghouse.exchange.writer import Layout, Sheet, table_columns
from clearinghouse.exchange.writer import open_workbook as new_workbook
from clearinghouse.geo.models import Country

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# An event's list: its places, with room for a large conference.
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
CHECKIN_SHEET = "CH_CHECKIN"
PARTICIPANTS_SHEET = "CH_PARTICIPANTS"
CODE = "code"
CHECKED_IN_AT = "checked_in_at"
LANGUAGE = layout.LANGUAGE_FIELD
# A check-in written in the list may fall this long before the start or after the end (people
# arrive the evening before; the desk copies the list the next morning).
CHECKIN_MARGIN = timedelta(days=1)
_TIME = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})[ T])?(\d{1,2})[:.h](\d{2})(?::(\d{2})(?:\.\d+)?)?$")


# --- files: reading and writing through the exchange engine --------------------------------------


def _field(name: str, kind: str, label: Any, *, required: bool = False, **more: Any) -> FieldDefinition:
    return FieldDefinition(name=name, type=kind, required=required, labels=in_every_language(label), **more)


def _choices(options: Iterable[tuple[str, Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(str(value), in_every_language(label)) for value, label in options)


def _csv(header: Sequence[str], table: Iterable[Mapping[str, Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(header))
    writer.writeheader()
    for row in table:
        cells = {code: "" if row.get(code) is None else str(row.get(code)) for code in header}
        # A text a spreadsheet would run as a formula is kept as text (the readers take the quote off).
        writer.writerow(
            {
                code: f"'{value}" if value.startswith(FORMULA_STARTS) else value
                for code, value in cells.items()
            }
        )
    # With a byte-order mark Excel opens UTF-8 (Arabic, Chinese, Russian) correctly.
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _file(
    workbook_layout: Layout, options: Options, table: list[dict[str, Any]], format_name: str, language: str
) -> bytes:
    sheet = workbook_layout.sheets[0]
    if format_name == "csv":
        return _csv([column.code for column in table_columns(sheet)], table)
    written = new_workbook(workbook_layout, language, options)
    written.fill(sheet.name, table)
    return written.save()


@dataclass
class _Row:
    place: Place
    cells: dict[str, Any]
    references: dict[str, str] = field(default_factory=dict)

    def reference(self, code: str) -> str:
        return self.references.get(code, code)


def _not_ours() -> checks.RefusedFileError:
    return checks.RefusedFileError(
        _("This is not a list downloaded from this event's page: download it again and fill that one in.")
    )


def _rows(sheet: Sheet, upload: Any, language: str) -> Iterator[_Row]:
    """The filled rows of an uploaded list: the workbook downloaded here, another workbook whose
    first row holds the column codes, or CSV with those codes; ValidationError if the file is
    refused as a whole."""
    try:
        content = read_bytes(upload, MAX_BYTES)
        found = checks.inspect(io.BytesIO(content), len(content), {checks.XLSX, checks.CSV}, MAX_BYTES)
        if found.format == checks.CSV:
            lines = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
            header = [str(code or "").strip() for code in lines.fieldnames or []]
            rows = [
                _Row(
                    Place("", number), {str(key or "").strip(): text_of(value) for key, value in line.items()}
                )
                for number, line in enumerate(lines, start=2)
            ]
        else:
            header, rows = _workbook_rows(sheet, content, language)
    except checks.RefusedFileError as refused:
        raise ValidationError(str(refused), code="bad_file") from refused
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("This file is not in UTF-8: export it again as UTF-8."), code="bad_file"
        ) from error
    missing = [item.label() for item in sheet.fields if item.required and item.name not in header]
    if missing:
        raise ValidationError(
            _("These columns are missing: %(columns)s. Start from the list downloaded from this site.")
            % {"columns": ", ".join(missing)},
            code="bad_file",
        )
    filled = [row for row in rows if any(not is_blank(value) for value in row.cells.values())]
    if len(filled) > MAX_ROWS:
        raise ValidationError(
            ngettext(
                "The list has more than %(count)d row; split it.",
                "The list has more than %(count)d rows; split it.",
                MAX_ROWS,
            )
            % {"count": MAX_ROWS},
            code="bad_file",
        )
    return iter(filled)


def _workbook_rows(sheet: Sheet, content: bytes, language: str) -> tuple[list[str], list[_Row]]:
    workbook = open_workbook(content)
    try:
        if defined_cell(workbook, sheet.name) is None:
            # Not this site's workbook: its first sheet, a header row of column codes.
            lines = list(sheet_rows(workbook.worksheets[0]))
            header = [text_of(value) for value in lines[0]] if lines else []
            rows = [
                _Row(
                    Place("", number),
                    {
                        header[index]: value
                        for index, value in enumerate(line)
                        if index < len(header) and header[index]
                    },
                )
                for number, line in enumerate(lines[1:], start=2)
            ]
            return header, rows
        problems: list[Problem] = []
        reader = WorkbookReader(workbook, workbook_language(language), _not_ours, problems)
        rows = [_Row(place, cells, references) for place, cells, references in reader.cells(sheet)]
        if problems:
            raise checks.RefusedFileError(problems[0].message)
        return [column.code for column in table_columns(sheet)], rows
    finally:
        workbook.close()


# --- the offline check-in list -------------------------------------------------------------------


def checkin_sheet() -> Sheet:
    return Sheet(
        CHECKIN_SHEET,
        lambda: _("Check-in"),
        (
            _field(CODE, "text", gettext_lazy("check-in code"), required=True),
            _field(
                CHECKED_IN_AT,
                "text",
                gettext_lazy("checked in at"),
                helps=in_every_language(
                    gettext_lazy(
                        "The time the person arrived, in the event's time zone: HH:MM on the first day "
                        "of the event, or YYYY-MM-DD HH:MM. Leave it empty for those who did not come."
                    )
                ),
            ),
        ),
        extra=(
            ("name", lambda: _("Name")),
            ("organisation", lambda: _("Organisation")),
            ("country", lambda: _("Country")),
        ),
    )


def _checkin_layout(event: Event) -> Layout:
    return Layout(
        format="clearinghouse-event-checkin",
        version="1",
        title=lambda language: _("Check-in list: %(event)s") % {"event": title_of(event, language)},
        introduction=lambda language: (
            _(
                "One participant per row. Write the time each person arrives in the column “checked in "
                "at”, in the event's time zone (%(zone)s), then upload the list on the event's check-in "
                "page: the codes match the rows to the registrations."
            )
            % {"zone": event.zone.key},
        ),
        sheets=(checkin_sheet(),),
    )


def checkin_list(event: Event, format_name: str, language: str) -> bytes:
    """The list of confirmed participants to check in without network, as .xlsx or CSV."""
    rows = []
    registrations = confirmed(event).select_related("country").order_by("name")
    for registration in registrations:
        rows.append(
            {
                "name": registration.name,
                "organisation": registration.organisation_name,
                "country": registration.country.name(language) if registration.country else "",
                CODE: registration.code,
                CHECKED_IN_AT: _sheet_time(registration.checked_in_at, event)
                if registration.checked_in_at
                else "",
                LANGUAGE: workbook_language(registration.language),
            }
        )
    return _file(_checkin_layout(event), Options(checkin_sheet().fields), rows, format_name, language)


def _sheet_time(moment: datetime, event: Event) -> str:
    return timezone.localtime(moment, event.zone).strftime("%Y-%m-%d %H:%M")


def parse_time(value: Any, event: Event) -> datetime:
    """A time written in the list, in the event's zone; ValueError if it is none."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = text_of(value)
        match = _TIME.match(text)
        if not match:
            raise ValueError(text)
        year, month, day, hour, minute, second = match.groups()
        if year:
            day_of = date(int(year), int(month), int(day))
        else:
            start = event.starts_at or timezone.now()
            day_of = timezone.localtime(start, event.zone).date()
        moment = datetime.combine(day_of, time(int(hour), int(minute), int(second or 0)))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=event.zone)
    return moment


@dataclass
class Synchronised:
    """What an uploaded check-in list did (nothing at all when it has problems)."""

    checked_in: int = 0
    earlier_kept: int = 0
    problems: list[Problem] = field(default_factory=list)


def synchronise(event: Event, upload: Any, *, actor: User, language: str) -> Synchronised:
    """Apply a filled check-in list: every row checked, then all saved or nothing."""
    with translation.override(interface_language(language)):
        return _synchronise(event, upload, actor=actor, language=language)


def _synchronise(event: Event, upload: Any, *, actor: User, language: str) -> Synchronised:
    result = Synchronised()
    try:
        rows = list(_rows(checkin_sheet(), upload, language))
    except ValidationError as error:
        result.problems.append(Problem("", None, "", " ".join(error.messages)))
        return result
    by_code = {registration.code: registration for registration in event.registrations.all()}
    window = _window(event)
    times: dict[int, datetime] = {}
    for row in rows:
        code = text_of(row.cells.get(CODE))
        written = row.cells.get(CHECKED_IN_AT)

        def problem(column: str, message: str, row: _Row = row) -> None:
            result.problems.append(Problem(row.place.sheet, row.place.row, row.reference(column), message))

        registration = by_code.get(code)
        if not code:
            if not is_blank(written):
                problem(CODE, _("Required: fill this in."))
            continue
        if registration is None:
            other = Registration.objects.filter(code=code).exists()
            problem(
                CODE,
                _("This code is a registration for another event.")
                if other
                else _("No registration of this event has this code."),
            )
            continue
        if is_blank(written):
            continue
        if registration.status != RegistrationStatus.CONFIRMED:
            problem(
                CODE,
                _("This registration is not confirmed (%(status)s): it cannot be checked in.")
                % {"status": registration.get_status_display()},
            )
            continue
        try:
            moment = parse_time(written, event)
        except (ValueError, OverflowError):
            problem(
                CHECKED_IN_AT,
                _("“%(value)s” is not a time: write it as HH:MM, or YYYY-MM-DD HH:MM.")
                % {"value": text_of(written)[:40]},
            )
            continue
        if window is not None and not window[0] <= moment <= window[1]:
            problem(
                CHECKED_IN_AT,
                _("%(value)s is outside the dates of the event.") % {"value": _sheet_time(moment, event)},
            )
            continue
        # The same code written twice: the earlier time counts.
        times[registration.pk] = min(moment, times.get(registration.pk, moment))
    if result.problems:
        return result
    with transaction.atomic():
        locked = Registration.objects.select_for_update().filter(pk__in=list(times)).order_by("pk")
        for registration in locked:
            written_time = times[registration.pk]
            if registration.checked_in_at is not None and registration.checked_in_at <= written_time:
                result.earlier_kept += 1
                continue
            registration.checked_in_at = written_time
            if registration.checked_in_by_id is None:
                registration.checked_in_by = actor
            registration.save(update_fields=["checked_in_at", "checked_in_by"])
            result.checked_in += 1
    return result


def _window(event: Event) -> tuple[datetime, datetime] | None:
    if event.starts_at is None:
        return None
    return event.starts_at - CHECKIN_MARGIN, (event.ends_at or event.starts_at) + CHECKIN_MARGIN


# --- participants' lists -------------------------------------------------------------------------


def participant_fields() -> tuple[FieldDefinition, ...]:
    return (
        _field("name", "text", gettext_lazy("name"), required=True, max_length=200),
        _field("email", "email", gettext_lazy("e-mail address"), required=True),
        _field("organisation_name", "text", gettext_lazy("organisation"), max_length=300),
        _field("country", "reference", gettext_lazy("country")),
        _field("gender", "choice", gettext_lazy("gender"), choices=_choices(Gender.choices)),
        _field(
            "represents_iplc", "boolean", gettext_lazy("represents an indigenous people or local community")
        ),
        _field("youth", "boolean", gettext_lazy("youth (under 35)")),
        _field("sector", "choice", gettext_lazy("sector"), choices=_choices(Sector.choices)),
        _field("role", "choice", gettext_lazy("role"), choices=_choices(ParticipantRole.choices)),
        _field("listed", "boolean", gettext_lazy("appear in the list of participants")),
        _field("contactable", "boolean", gettext_lazy("may be contacted after the event")),
    )


def _answer_code(question_pk: int) -> str:
    return f"answer.{question_pk}"


def participants_sheet(event: Event | None = None, *, answers: bool = False) -> Sheet:
    """The participants' table; the platform's columns (status, code, check-in, the answers to
    the event's questions) are exported, never imported."""
    extra: list[tuple[str, Callable[[], str]]] = [
        (CODE, lambda: _("Check-in code")),
        ("status", lambda: _("Status")),
        (CHECKED_IN_AT, lambda: _("Checked in")),
    ]
    if event is not None and answers:
        extra += [
            (_answer_code(question.pk), _heading(question.text or {}, event))
            for question in event.questions.all()
        ]
    return Sheet(PARTICIPANTS_SHEET, lambda: _("Participants"), participant_fields(), extra=tuple(extra))


def _heading(texts: Mapping[str, str], event: Event) -> Callable[[], str]:
    """A question as its column's heading, in the workbook's language when translated."""
    return lambda: show(texts, event.original_language).text


def _participants_layout(event: Event, sheet: Sheet) -> Layout:
    return Layout(
        format="clearinghouse-event-participants",
        version="1",
        title=lambda language: _("Participants: %(event)s") % {"event": title_of(event, language)},
        introduction=lambda _language: (
            _(
                "One participant per row, from row 3; keep row 2, the columns' codes. Imported rows become "
                "confirmed registrations. The check-in code, status, check-in time and answers are the "
                "platform's: they are not imported."
            ),
        ),
        sheets=(sheet,),
    )


def _countries() -> list[Option]:
    return [
        Option(country.code, country.names, value=country) for country in Country.objects.order_by("code")
    ]


def _answer_text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def participants_export(
    event: Event, format_name: str, language: str, *, organiser: bool, now: datetime | None = None
) -> bytes:
    """The participants' list. Organisers get every active registration with its facts and
    answers; the e-mail addresses of those who did not agree to be contacted are left out once
    the event is over (they served to run it). Anyone else gets those who agreed to be listed:
    name, organisation and country."""
    sheet = participants_sheet(event, answers=organiser)
    registrations = event.registrations.select_related("country").order_by("name")
    if organiser:
        registrations = registrations.filter(status__in=ACTIVE_STATUSES)
    else:
        registrations = registrations.filter(status=RegistrationStatus.CONFIRMED, listed=True)
    past = event.is_past(now)
    rows = []
    for registration in registrations:
        row: dict[str, Any] = {
            "name": registration.name,
            "organisation_name": registration.organisation_name,
            "country": registration.country.code if registration.country else "",
        }
        if organiser:
            row |= {
                "email": "" if past and not registration.contactable else registration.email,
                "gender": registration.gender,
                "represents_iplc": "yes" if registration.represents_iplc else "no",
                "youth": "yes" if registration.youth else "no",
                "sector": registration.sector,
                "role": registration.role,
                "listed": "yes" if registration.listed else "no",
                "contactable": "yes" if registration.contactable else "no",
                CODE: registration.code,
                "status": registration.get_status_display(),
                CHECKED_IN_AT: _sheet_time(registration.checked_in_at, event)
                if registration.checked_in_at
                else "",
                LANGUAGE: workbook_language(registration.language),
            }
            row |= {
                _answer_code(int(pk)): _answer_text(value)
                for pk, value in registration.answers.items()
                if str(pk).isdigit()
            }
        rows.append(row)
    options = Options(sheet.fields, {"country": _countries()})
    return _file(_participants_layout(event, sheet), options, rows, format_name, language)


@dataclass
class Imported:
    """What a participants' import did (nothing at all when it has problems)."""

    created: list[Registration] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def import_participants(event: Event, upload: Any, *, actor: User, language: str) -> Imported:
    """Create a confirmed registration for each row (a partner's own registration system, a list
    kept by hand): every row checked first, then all created or none."""
    with translation.override(interface_language(language)):
        return _import_participants(event, upload, actor=actor, language=language)


def _import_participants(event: Event, upload: Any, *, actor: User, language: str) -> Imported:
    result = Imported()
    sheet = participants_sheet()
    try:
        rows = list(_rows(sheet, upload, language))
    except ValidationError as error:
        result.problems.append(Problem("", None, "", " ".join(error.messages)))
        return result
    fields = participant_fields()
    reading = Reading(
        options=Options(fields, {"country": _countries()}),
        default_language=workbook_language(language),
        ui_language=workbook_language(language),
    )
    taken = {
        email.casefold()
        for email in event.registrations.filter(status__in=ACTIVE_STATUSES).values_list("email", flat=True)
    }
    seen: dict[str, int] = {}
    made: list[Registration] = []
    for row in rows:
        raw = RawRecord(row.place)
        for item in fields:
            raw.cells[item.name] = (row.reference(item.name), row.cells.get(item.name))
        if not is_blank(row.cells.get(LANGUAGE)):
            raw.language = (row.reference(LANGUAGE), row.cells.get(LANGUAGE))
        values, problems = clean_values(fields, raw, reading)
        email = str(values.get("email") or "").casefold()
        number = row.place.row or 0
        if email and email in taken:
            problems.append(
                Problem(
                    row.place.sheet, number, row.reference("email"), _("This person is already registered.")
                )
            )
        elif email and email in seen:
            problems.append(
                Problem(
                    row.place.sheet,
                    number,
                    row.reference("email"),
                    _("The same e-mail address is on row %(row)d.") % {"row": seen[email]},
                )
            )
        seen.setdefault(email, number)
        result.problems += problems
        if problems:
            continue
        made.append(
            Registration(
                event=event,
                name=values["name"],
                email=values["email"],
                language=interface_language(values["original_language"]),
                status=RegistrationStatus.CONFIRMED,
                organisation_name=values.get("organisation_name") or "",
                country=values.get("country"),
                gender=values.get("gender") or "",
                represents_iplc=bool(values.get("represents_iplc")),
                youth=bool(values.get("youth")),
                sector=values.get("sector") or "",
                role=values.get("role") or ParticipantRole.PARTICIPANT,
                listed=bool(values.get("listed")),
                contactable=bool(values.get("contactable")),
            )
        )
    if not result.problems and not made:
        result.problems.append(
            Problem("", None, "", _("This file holds no participants: nothing was saved."))
        )
    if event.capacity is not None and not result.problems:
        seated = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if seated + len(made) > event.capacity:
            result.problems.append(
                Problem(
                    "",
                    None,
                    "",
                    ngettext(
                        "The event has %(left)d place left; the file has %(count)d participants.",
                        "The event has %(left)d places left; the file has %(count)d participants.",
                        max(event.capacity - seated, 0),
                    )
                    % {"left": max(event.capacity - seated, 0), "count": len(made)},
                )
            )
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for registration in made:
                registration.save()
    except IntegrityError:
        # Someone registered with one of these addresses while the file was read.
        result.problems.append(
            Problem(
                "",
                None,
                "",
                _("Someone registered meanwhile with one of these addresses: upload the file again."),
            )
        )
        return result
    result.created = made
    return result
