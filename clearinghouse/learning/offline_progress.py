"""Progress made offline, uploaded later as the file an offline package writes (offline.js).

The file is checked whole before anything is saved: its size, JSON, shape, that it belongs to
the signed-in learner's enrolment in this course, its signature, that every lesson and quiz it
names is in the course, and that no time is in the future or before the enrolment. A file that
fails any check is refused and nothing is saved.

The signature is made in the browser with a key the package carries, so it proves only that the
file came from a package made for this enrolment and that its structure was not edited; a
learner who digs the key out of the package could sign anything. The server therefore never
takes a score from the file: it marks every answer again with quizzes.submit, on the questions
the package drew. What an attempt may not do online it may not do offline either: an attempt
made after the quiz's closing date, or beyond the attempts allowed, is reported and skipped,
while the rest of the file is applied (in one transaction). Lesson views and attempts carry the
package's own ids, so the same file uploaded twice changes nothing the second time.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from clearinghouse.learning import offline, progress, quizzes
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import AttemptSource, Course, Enrolment

FILE_FORMAT = "clearinghouse-offline-progress"
FILE_VERSION = 1
MAX_BYTES = 1024 * 1024
MAX_ENTRIES = 5000
# Clocks of offline devices drift: a few minutes ahead is not "in the future".
CLOCK_SKEW = timedelta(minutes=10)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    item: str
    at: datetime
    drawn: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What an upload did: counted for the learner's message."""

    lessons: int = 0
    attempts: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.lessons or self.attempts)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def read(content: bytes) -> dict[str, Any]:
    """The file as JSON, or ValidationError when it is too big or not JSON."""
    if len(content) > MAX_BYTES:
        raise _refuse(
            _("The file is bigger than %(size)d kB: this is not a progress file.")
            % {"size": MAX_BYTES // 1024},
            "size",
        )
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise _refuse(_("The file could not be read: it is not a progress file."), "json") from error
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise _refuse(_("This is not a progress file of an offline course package."), "format")
    if data.get("version") != FILE_VERSION:
        raise _refuse(
            _("This progress file was written by a version of the package this site does not read."),
            "version",
        )
    return data


def _entry(raw: Any, course: Course, now: datetime, earliest: datetime) -> Entry:
    broken = _refuse(
        _("The progress file has been changed: its entries are not as the package writes them."), "schema"
    )
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not _UUID.match(raw["id"]):
        raise broken
    kind, key, stamp = raw.get("type"), raw.get("item"), raw.get("at")
    if kind not in ("lesson", "attempt") or not isinstance(key, str) or not isinstance(stamp, str):
        raise broken
    at = parse_datetime(stamp)
    if at is None or timezone.is_naive(at):
        raise broken
    if at > now + CLOCK_SKEW:
        raise _refuse(
            _("The progress file has times in the future: check the date of the device it was made on."),
            "future",
        )
    if at < earliest:
        raise _refuse(_("The progress file has times before you enrolled in this course."), "past")
    located = outlines.find(course.outline, key)
    wanted = "lesson" if kind == "lesson" else "quiz"
    if located is None or located.item.get("type") != wanted:
        raise _refuse(
            _("The progress file names a lesson or quiz this course no longer has (%(key)s).") % {"key": key},
            "unknown_item",
        )
    if kind == "lesson":
        return Entry(raw["id"], kind, key, at)
    drawn, answers = raw.get("drawn"), raw.get("answers")
    if (
        not isinstance(drawn, list)
        or not all(isinstance(k, str) for k in drawn)
        or not isinstance(answers, dict)
    ):
        raise broken
    bank = {str(q.get("key")) for q in located.item.get("questions") or []}
    if not drawn or len(set(drawn)) != len(drawn) or not set(drawn) <= bank:
        raise _refuse(
            _("The progress file names questions the quiz %(key)s does not have.") % {"key": key},
            "unknown_item",
        )
    # As many questions as the quiz draws: a file that kept only the easy ones was made by hand.
    draws = int(located.item.get("draw") or 0)
    if len(drawn) != (draws if 0 < draws < len(bank) else len(bank)):
        raise broken
    return Entry(raw["id"], kind, key, at, list(drawn), dict(answers))


def check(data: Mapping[str, Any], enrolment: Enrolment, *, now: datetime | None = None) -> list[Entry]:
    """The entries of a progress file for ``enrolment``, in the order they happened, or
    ValidationError saying why the file is refused."""
    now = now or timezone.now()
    course = enrolment.course
    if data.get("course") != course.identifier:
        raise _refuse(_("This progress file is for another course."), "course")
    if data.get("enrolment") != enrolment.pk:
        raise _refuse(_("This progress file was made by someone else: upload only your own."), "enrolment")
    entries = data.get("entries")
    signature = data.get("signature")
    if not isinstance(entries, list) or not isinstance(signature, str):
        raise _refuse(_("This is not a progress file of an offline course package."), "format")
    if len(entries) > MAX_ENTRIES:
        raise _refuse(_("The progress file has too many entries."), "size")
    signed = {key: data.get(key) for key in ("course", "enrolment", "entries", "format", "version")}
    expected = offline.sign(offline.signing_key(enrolment), signed)
    if not hmac.compare_digest(expected, signature):
        raise _refuse(
            _("The progress file has been changed since the package wrote it: it cannot be counted."),
            "signature",
        )
    found = [_entry(raw, course, now, enrolment.enrolled_at - CLOCK_SKEW) for raw in entries]
    if len({entry.id for entry in found}) != len(found):
        raise _refuse(
            _("The progress file has been changed: its entries are not as the package writes them."), "schema"
        )
    return sorted(found, key=lambda entry: entry.at)


@transaction.atomic
def apply(enrolment: Enrolment, entries: list[Entry]) -> Outcome:
    """Record the entries of a checked file: lessons as viewed, attempts marked by the server.
    An attempt the quiz no longer admits (closed, attempts used up) is skipped and reported."""
    outcome = Outcome()
    viewed = set(enrolment.progress.filter(completed_at__isnull=False).values_list("item_key", flat=True))
    known = set(enrolment.attempts.exclude(offline_id="").values_list("offline_id", flat=True))
    for entry in entries:
        if entry.type == "lesson":
            if entry.item in viewed:
                outcome.already += 1
                continue
            progress.record(enrolment, entry.item, completed=True, at=entry.at)
            viewed.add(entry.item)
            outcome.lessons += 1
            continue
        if entry.id in known:
            outcome.already += 1
            continue
        try:
            quizzes.submit(
                enrolment,
                entry.item,
                entry.answers,
                drawn=entry.drawn,
                source=AttemptSource.OFFLINE,
                offline_id=entry.id,
                at=entry.at,
            )
        except ValidationError as refused:
            located = outlines.find(enrolment.course.outline, entry.item)
            title = offline.text(located.item.get("title"), enrolment.language) if located else ""
            outcome.skipped.append(
                _("Attempt at “%(quiz)s” of %(date)s: %(reason)s")
                % {
                    "quiz": title or entry.item,
                    "date": entry.at.strftime("%Y-%m-%d %H:%M UTC"),
                    "reason": " ".join(refused.messages),
                }
            )
            continue
        known.add(entry.id)
        outcome.attempts += 1
    return outcome


def upload(enrolment: Enrolment, content: bytes, *, now: datetime | None = None) -> Outcome:
    """Check a progress file whole, then apply it."""
    return apply(enrolment, check(read(content), enrolment, now=now))


def enrolment_of(person: Any, content: bytes) -> Enrolment:
    """The signed-in learner's enrolment the file is for, or ValidationError."""
    data = read(content)
    enrolment = (
        Enrolment.objects.select_related("course")
        .filter(person=person, course__identifier=data.get("course"))
        .first()
        if isinstance(data.get("course"), str)
        else None
    )
    if enrolment is None:
        raise _refuse(_("You are not enrolled in the course this progress file is for."), "enrolment")
    return enrolment
