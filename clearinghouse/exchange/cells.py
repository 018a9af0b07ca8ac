"""One value, read from a spreadsheet cell, a CSV or JSON file or a submission, checked against
its field's definition and turned into what the record stores; a problem is a message in the
reader's language.

Cells are never evaluated: a formula (``=HYPERLINK(...)``) or a text that starts like one
(``+1``, ``-x``, ``@SUM``) is plain text. The apostrophe that the exports put before such a
text (see writer.py) is taken off again, so an export imports without change.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearinghouse.core.languages import is_language_code
from clearinghouse.core.text import trimmed
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.exchange.lists import SEPARATOR, Option, Options

# Leading characters that make a spreadsheet run a text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CENTS = Decimal("0.01")
_CODE_SPLIT = re.compile(r"[\s,]+")
# The XLSForm's yes/no codes, and what spreadsheets write.
_YES = {"yes", "true", "1"}
_NO = {"no", "false", "0"}


class CellError(ValueError):
    """The value cannot be stored as it is; the message says why, in the reader's language."""


def text_of(raw: Any) -> str:
    """The cell as text, trimmed; an empty cell is an empty text."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    text = trimmed(str(raw))
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def is_blank(raw: Any) -> bool:
    if isinstance(raw, dict):
        return not any(text_of(value) for value in raw.values())
    if isinstance(raw, list | tuple):
        return not any(not is_blank(item) for item in raw)
    return text_of(raw) == ""


def empty_value(field: FieldDefinition) -> Any:
    """What a record stores for a field left empty."""
    if field.default is not None:
        return field.default
    if field.is_multilingual:
        return {}
    if field.is_many:
        return []
    if field.type in {
        "integer",
        "year",
        "decimal",
        "boolean",
        "date",
        "datetime",
        "organisation",
        "record",
        "reference",
    }:
        return None
    return ""


def clean(field: FieldDefinition, raw: Any, *, options: Options, language: str, number_locale: str) -> Any:
    """The stored value of a filled cell. ``language`` is the language the texts are written in;
    ``number_locale`` the one numbers typed as text are read in (the workbook's)."""
    kind = field.type
    if field.is_multilingual:
        return _multilingual(field, raw, language)
    if kind == "text":
        return _text(field, raw)
    if kind in {"integer", "year"}:
        return _integer(field, raw, number_locale)
    if kind == "decimal":
        return _decimal(field, raw, number_locale)
    if kind == "email":
        return _email(raw)
    if kind == "boolean":
        return _boolean(raw)
    if kind == "date":
        return _date(raw)
    if kind == "datetime":
        return _datetime(raw)
    if kind == "url":
        return _url(field, raw)
    if kind in {"text_list", "url_list"}:
        return _texts(field, raw)
    if kind in {"choice", "currency", "organisation", "record", "reference"}:
        return _single(field, raw, options)
    return _many(field, raw, options)


def _checked_length(field: FieldDefinition, text: str) -> str:
    if field.max_length is not None and len(text) > field.max_length:
        raise CellError(
            ngettext(
                "At most %(limit)d character; this has %(count)d.",
                "At most %(limit)d characters; this has %(count)d.",
                field.max_length,
            )
            % {"limit": field.max_length, "count": len(text)}
        )
    return text


def _text(field: FieldDefinition, raw: Any) -> str:
    return _checked_length(field, text_of(raw))


def _multilingual(field: FieldDefinition, raw: Any, language: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {language: _text(field, raw)}
    # A JSON export keeps every translation: {language code: text}.
    unknown = sorted(str(code) for code in raw if not is_language_code(str(code).casefold()))
    if unknown:
        raise CellError(_("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    texts = {str(code).casefold(): _text(field, value) for code, value in raw.items()}
    return {code: text for code, text in texts.items() if text}


def _number(raw: Any, number_locale: str) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_("Must be a number."))
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", text_of(raw))
        try:
            number = Decimal(text)
        except InvalidOperation:
            try:
                number = parse_decimal(text, locale=number_locale, strict=True)
            except (NumberFormatError, ValueError) as error:
                raise CellError(_("Must be a number.")) from error
    if not number.is_finite():
        raise CellError(_("Must be a number."))
    return number


def _in_range(field: FieldDefinition, number: Decimal) -> None:
    if field.min is not None and number < Decimal(str(field.min)):
        raise CellError(_("Must be at least %(minimum)s.") % {"minimum": _plain(field.min)})
    if field.max is not None and number > Decimal(str(field.max)):
        raise CellError(_("Must be at most %(maximum)s.") % {"maximum": _plain(field.max)})


def _plain(limit: float) -> str:
    return str(int(limit)) if float(limit).is_integer() else str(limit)


def _integer(field: FieldDefinition, raw: Any, number_locale: str) -> int:
    try:
        number = _number(raw, number_locale)
    except CellError as error:
        if field.type == "year":
            raise CellError(_("Must be a year, such as 2027.")) from error
        raise
    if number != number.to_integral_value():
        raise CellError(
            _("Must be a year, such as 2027.") if field.type == "year" else _("Must be a whole number.")
        )
    _in_range(field, number)
    return int(number)


def _decimal(field: FieldDefinition, raw: Any, number_locale: str) -> Decimal:
    number = _number(raw, number_locale)
    _in_range(field, number)
    # Amounts are kept to the cent.
    return number.quantize(CENTS, rounding=ROUND_HALF_UP)


def _email(raw: Any) -> str:
    text = text_of(raw)
    try:
        validate_email(text)
    except ValidationError as error:
        raise CellError(_("Not a valid e-mail address.")) from error
    return text


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(text_of(raw)[:10])
    except ValueError:
        raise CellError(_("Give a date as YYYY-MM-DD.")) from None


def _datetime(raw: Any) -> dt.datetime:
    """A moment: a spreadsheet's date-time or ISO 8601 text, in UTC unless it gives its offset."""
    if isinstance(raw, dt.datetime):
        moment = raw
    elif isinstance(raw, dt.date):
        moment = dt.datetime.combine(raw, dt.time())
    else:
        try:
            moment = dt.datetime.fromisoformat(text_of(raw).replace(" ", "T", 1))
        except ValueError:
            raise CellError(
                _(
                    "Give a date and time as YYYY-MM-DD HH:MM in UTC, or with its offset, "
                    "such as 2027-05-12T09:00+03:00."
                )
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _url(field: FieldDefinition, raw: Any) -> str:
    text = _text(field, raw)
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise CellError(_("Not a valid web address: %(url)s") % {"url": text[:200]}) from None
    return text


def _texts(field: FieldDefinition, raw: Any) -> list[str]:
    items = [text_of(item) for item in raw] if isinstance(raw, list | tuple) else text_of(raw).split(";")
    texts = [item.strip() for item in items if item.strip()]
    return [_url(field, text) for text in texts] if field.type == "url_list" else texts


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = text_of(raw).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("Answer yes or no."))


def _find(field: FieldDefinition, code: str, options: Options) -> Option | None:
    found = options.lookup(field).get(code.casefold())
    if found is None:
        # A label typed instead of its code, in any of the six languages.
        wanted = code.casefold()
        for option in options.of(field):
            if any(label.casefold() == wanted for label in option.labels.values()):
                return option
    return found


def _unknown(field: FieldDefinition, codes: list[str]) -> CellError:
    joined = ", ".join(codes)
    if field.type == "currency":
        return CellError(
            _("Unknown currency code %(codes)s: use ISO 4217 codes such as USD or EUR.") % {"codes": joined}
        )
    if field.type == "language_list":
        return CellError(
            _("Unknown language codes: %(codes)s. Use ISO 639-1 codes such as en, fr or sw.")
            % {"codes": joined}
        )
    if field.type == "country_list":
        return CellError(_("Unknown countries or groups: %(labels)s.") % {"labels": joined})
    if field.type in {"organisation", "organisation_list"}:
        return CellError(_("No organisation has the code %(code)s.") % {"code": joined})
    if field.type in {"record", "record_list"}:
        return CellError(
            _("No published record, nor record of yours, has the identifier %(identifiers)s.")
            % {"identifiers": joined}
        )
    if field.type in {"reference", "reference_list"}:
        return CellError(_("Unknown codes: %(codes)s.") % {"codes": joined})
    if field.type == "activity_list":
        return CellError(
            ngettext(
                "The action plan has no activity numbered %(numbers)s.",
                "The action plan has no activities numbered %(numbers)s.",
                len(codes),
            )
            % {"numbers": joined}
        )
    return CellError(_("Not in the list: %(codes)s. Choose from the drop-down list.") % {"codes": joined})


def _retired(codes: list[str]) -> CellError:
    return CellError(
        _("No longer in use: %(codes)s. Choose a current code from the list.") % {"codes": ", ".join(codes)}
    )


def _stored(option: Option) -> Any:
    return option.code if option.value is None else option.value


def _single(field: FieldDefinition, raw: Any, options: Options) -> Any:
    if isinstance(raw, dict):
        # The JSON export writes coded values as {"code": ..., "label": ...}.
        raw = raw.get("code", "")
    code = text_of(raw).split(SEPARATOR.strip())[0].strip()
    option = _find(field, code, options) or _find(field, text_of(raw), options)
    if option is None:
        raise _unknown(field, [code])
    if not option.active:
        raise _retired([option.code])
    return _stored(option)


def split_codes(raw: Any) -> list[str]:
    """The codes of a multiple choice: separated by semicolons in a spreadsheet (each may keep
    its label after " — "), by spaces in ODK and Kobo exports, or a JSON list."""
    if isinstance(raw, list | tuple):
        items = [item.get("code", "") if isinstance(item, dict) else item for item in raw]
        return [code for item in items for code in split_codes(item)]
    codes: list[str] = []
    for part in text_of(raw).split(";"):
        head = part.split(SEPARATOR.strip())[0]
        codes.extend(code for code in _CODE_SPLIT.split(head) if code)
    return codes


def _many(field: FieldDefinition, raw: Any, options: Options) -> list[Any]:
    found: list[Option] = []
    unknown: list[str] = []
    for code in split_codes(raw):
        option = _find(field, code, options)
        if option is None:
            unknown.append(code)
        elif option not in found:
            found.append(option)
    if unknown:
        raise _unknown(field, unknown)
    retired = [option.code for option in found if not option.active]
    if retired:
        raise _retired(retired)
    return [_stored(option) for option in found]
