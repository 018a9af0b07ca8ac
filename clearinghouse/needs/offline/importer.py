"""Importing a filled-in template or a file of XLSForm submissions: all or nothing.

If the reader found any problem, nothing is saved. Otherwise, in one transaction, the
assessment (when the file has one) and each need become drafts through the publishing
workflow, the needs linked to the assessment. Each need remembers a digest of its owner and
its content (``Need.import_key``): the same row imported again, into the same owner, is found
and left alone, and counted as unchanged. An assessment is recognised the same way, by
comparing the digest with the owner's assessments. A draft edited after its import no longer
matches the file, but its key still does, so it is not imported twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Manager, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.exchange.lists import interface_language
from clearinghouse.exchange.problems import Place, Problem
from clearinghouse.geo.models import Country
from clearinghouse.needs.formats import definition
from clearinghouse.needs.models import FormatRecord, Need, NeedsAssessment
from clearinghouse.needs.offline.problems import ReadResult
from clearinghouse.needs.offline.reader import read_workbook
from clearinghouse.needs.offline.submissions import read_submissions
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term

Owner = Country | Organisation
R = TypeVar("R", bound=FormatRecord)


@dataclass
class ImportResult:
    """The drafts made (assessment first), how many records of the file were there already,
    and the problems that stopped the import (then nothing was saved)."""

    created: list[FormatRecord] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


class _RollbackError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("import rolled back")
        self.problems = problems


Progress = Callable[[int, int], None]


def import_workbook(
    actor: User | None,
    owner: Owner,
    file: IO[bytes] | bytes,
    language: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a filled-in template for ``owner``; problems in ``language`` (the uploader's).
    ``progress`` follows the reading (see reader.read_workbook)."""
    _check_permission(actor, owner)
    return _save_read(actor, owner, read_workbook(file, language, progress=progress), language, progress)


def import_submissions(
    actor: User | None,
    owner: Owner,
    file: IO[bytes] | bytes,
    language: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ODK Central or KoboToolbox submissions of the needs XLSForm (CSV or JSON), or this
    site's CSV or JSON export, for ``owner``."""
    _check_permission(actor, owner)
    return _save_read(actor, owner, read_submissions(file, language, progress=progress), language, progress)


def _save_read(
    actor: User | None, owner: Owner, read: ReadResult, language: str, progress: Progress | None
) -> ImportResult:
    if progress is not None:
        # The reading is over: what follows is the save.
        records = len(read.needs) + bool(read.assessment)
        progress(records, records)
    return save(actor, owner, read, language)


def _check_permission(actor: User | None, owner: Owner) -> None:
    # None is the platform itself (benchmarks, scripts), as in the workflow.
    if actor is not None and not actor.has_perm("records.draft", owner):
        raise PermissionDenied(_("You cannot create records for this Party or organisation."))


def owner_key(owner: Owner) -> str:
    return f"country:{owner.code}" if isinstance(owner, Country) else f"organisation:{owner.pk}"


def _plain(value: Any) -> Any:
    if isinstance(value, Term):
        return value.code
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        # The order of chosen codes does not make another need.
        return sorted((_plain(item) for item in value), key=str)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items() if item not in ("", None)}
    return value


def content_key(owner: Owner, values: Mapping[str, Any]) -> str:
    """The digest of a record's content for one owner: the same row gives the same key."""
    content = {name: _plain(value) for name, value in values.items() if name != "assessment"}
    text = json.dumps([owner_key(owner), content], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def owned(model: type[R], owner: Owner) -> QuerySet[R]:
    """The records of one Party or organisation."""
    manager: Manager[R] = model._default_manager
    if isinstance(owner, Country):
        return manager.filter(owner_country=owner)
    return manager.filter(owner_organisation=owner)


def _existing_assessment(owner: Owner, values: Mapping[str, Any], key: str) -> NeedsAssessment | None:
    for assessment in owned(NeedsAssessment, owner).filter(format_version=values["format_version"]):
        stored = {name: getattr(assessment, name) for name in values}
        if content_key(owner, stored) == key:
            return assessment
    return None


def save(actor: User | None, owner: Owner, read: ReadResult, language: str) -> ImportResult:
    """Create the drafts of a checked file, all or nothing (see the module's docstring)."""
    if read.problems:
        return ImportResult(problems=read.problems)
    with translation.override(interface_language(language)):
        try:
            with transaction.atomic():
                return _save(actor, owner, read, language)
        except _RollbackError as rollback:
            return ImportResult(problems=rollback.problems)


def _create(
    model: type[R], actor: User | None, owner: Owner, values: dict[str, Any], place: Place, language: str
) -> R:
    try:
        return workflow.create(model, actor=actor, owner=owner, values=values)
    except ValidationError as error:
        # The reader checks what the model checks; this is the net under it.
        labels = {
            item.name: item.label(language)
            for item in definition(values["format_version"]).form(model.FORM).fields
        }
        problems = [
            Problem(place.sheet, place.row, labels.get(name, name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise _RollbackError(problems) from error


def _save(actor: User | None, owner: Owner, read: ReadResult, language: str) -> ImportResult:
    result = ImportResult()
    assessment: NeedsAssessment | None = None
    if read.assessment:
        key = content_key(owner, read.assessment)
        assessment = _existing_assessment(owner, read.assessment, key)
        if assessment is None:
            place = read.assessment_place or Place("", None)
            assessment = _create(NeedsAssessment, actor, owner, read.assessment, place, language)
            result.created.append(assessment)
        else:
            result.unchanged += 1
    keys = [content_key(owner, values) for values in read.needs]
    known = set(Need.objects.filter(import_key__in=keys).values_list("import_key", flat=True))
    made: list[Need] = []
    for values, key, place in zip(read.needs, keys, read.need_places, strict=True):
        if key in known:
            result.unchanged += 1
            continue
        known.add(key)
        need = _create(Need, actor, owner, values | {"assessment": assessment}, place, language)
        need.import_key = key
        made.append(need)
    Need.objects.bulk_update(made, ["import_key"], batch_size=500)
    result.created.extend(made)
    return result
