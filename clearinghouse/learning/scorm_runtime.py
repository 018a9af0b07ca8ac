"""Playing a SCORM package: who may fetch its files, how they are served, what the runtime
starts from, and how what the package reports becomes the learner's progress.

The package runs in an iframe of the player page; the SCORM runtime (scorm-again, vendored)
lives in the player page, where the package looks for it (``window.parent.API`` in 1.2,
``API_1484_11`` in 2004). The runtime posts the package's data model (``cmi``) to the commit
endpoint, and ``commit`` maps it onto ``progress.record``: lesson status, or completion and
success status, and the score.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from clearinghouse.learning import outline as outlines
from clearinghouse.learning import progress
from clearinghouse.learning.activity import happened
from clearinghouse.learning.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    ItemProgress,
    ScormPackage,
    ScormVersion,
    Verb,
)
from clearinghouse.learning.scorm import MANIFEST, Manifest, directory, may_edit, read_manifest

# What a package's files are served as, by extension; anything else is a download
# (application/octet-stream, as an attachment), never rendered by the browser.
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "xml": "application/xml",
    "txt": "text/plain; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "ico": "image/x-icon",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "oga": "audio/ogg",
    "ogg": "audio/ogg",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
}
DOWNLOAD = "application/octet-stream"

LESSON_STATUSES = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
COMPLETION_STATUSES = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS_STATUSES = {"passed", "failed", "unknown"}


def content_type(path: Path) -> tuple[str, bool]:
    """(Content-Type, served as an attachment)."""
    found = CONTENT_TYPES.get(path.suffix.lower().lstrip("."))
    return (found, False) if found else (DOWNLOAD, True)


def file_policy(package_url: str) -> str:
    """The Content-Security-Policy of a package's files: everything from the package's own
    path (``package_url``, absolute and ending with ``/``), inline script and eval allowed
    because authoring tools write them, no connection anywhere else, framed only by our pages."""
    source = package_url
    return "; ".join(
        [
            f"default-src {source}",
            f"script-src {source} 'unsafe-inline' 'unsafe-eval'",
            f"style-src {source} 'unsafe-inline'",
            f"img-src {source} data: blob:",
            f"media-src {source} data: blob:",
            f"font-src {source} data:",
            f"connect-src {source}",
            f"frame-src {source}",
            "object-src 'none'",
            f"base-uri {source}",
            f"form-action {source}",
            "frame-ancestors 'self'",
        ]
    )


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range of bytes (first, last) a ``Range`` header asks of a file of ``size``
    bytes; None when it asks none or several (the whole file is sent), ValueError when it
    asks for bytes the file does not have."""
    found = _RANGE.match(header.strip()) if header else None
    if found is None or found.groups() == ("", ""):
        return None
    start, end = found.groups()
    if start:
        first, last = int(start), min(int(end), size - 1) if end else size - 1
    else:
        first, last = max(size - int(end), 0), size - 1
    if first > last or first >= size:
        raise ValueError(header)
    return first, last


def resolve(package: ScormPackage, path: str) -> Path | None:
    """The file ``path`` names inside the package's directory, or None (missing, a directory,
    or anywhere outside the directory once resolved)."""
    if not path or "\x00" in path:
        return None
    root = directory(package).resolve()
    candidate = (root / path).resolve()
    if not candidate.is_relative_to(root) or candidate == root or not candidate.is_file():
        return None
    return candidate


def enrolment_of(user: Any, course: Course) -> Enrolment | None:
    """The person's enrolment in the course, unless they withdrew."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Enrolment.objects.filter(course=course, person=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course")
        .first()
    )


def may_preview(user: Any, course: Course) -> bool:
    """The course's authors and reviewers play its packages before learners do (nothing is
    recorded for them)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (may_edit(user, course) or user.has_perm("records.read_draft", course))
    )


def published_item(course: Course, key: str) -> dict[str, Any] | None:
    """The SCORM item ``key`` of the course as published (learners see nothing else)."""
    if not course.live:
        return None
    located = outlines.find(course.outline, key)
    return dict(located.item) if located and located.item.get("type") == "scorm" else None


def may_fetch(user: Any, package: ScormPackage) -> bool:
    """Whether ``user`` may fetch the package's files: its course's authors and reviewers, and
    the learners enrolled in it once it is published with this package."""
    course = package.course
    if may_preview(user, course):
        return True
    if enrolment_of(user, course) is None or not course.live:
        return False
    return any(item.get("package") == package.token for item in outlines.of_type(course.outline, "scorm"))


# --- the data model --------------------------------------------------------------------------------


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    found = data.get(name)
    return found if isinstance(found, dict) else {}


def _string(value: Any, limit: int = 4096) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _scaled(score: Any) -> Decimal | None:
    """xAPI's scaled score (0 to 1) from a SCORM score: ``scaled`` when given (2004), else the
    raw score within min and max (1.2 assumes 0 to 100)."""
    if not isinstance(score, dict):
        return None
    value = _number(score.get("scaled"))
    if value is None:
        raw = _number(score.get("raw"))
        if raw is None:
            return None
        low = _number(score.get("min")) or 0.0
        high = _number(score.get("max"))
        high = 100.0 if high is None else high
        if high <= low:
            return None
        value = (raw - low) / (high - low)
    return Decimal(str(round(min(max(value, 0.0), 1.0), 4)))


@dataclass(frozen=True)
class Outcome:
    completed: bool
    passed: bool | None
    score: Decimal | None


def outcome(version: str, cmi: dict[str, Any]) -> Outcome:
    """What the package reports: done, passed (None while it says nothing), scaled score.

    A package that reports a failure is not done: the learner takes it again, as with a quiz.
    """
    if version == ScormVersion.SCORM_12:
        core = _section(cmi, "core")
        status = _string(core.get("lesson_status"))
        passed = True if status == "passed" else False if status == "failed" else None
        return Outcome(status in {"completed", "passed"}, passed, _scaled(core.get("score")))
    completion = _string(cmi.get("completion_status"))
    success = _string(cmi.get("success_status"))
    passed = True if success == "passed" else False if success == "failed" else None
    done = (completion == "completed" or passed is True) and passed is not False
    return Outcome(done, passed, _scaled(cmi.get("score")))


def _score(score: Any, names: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(score, dict):
        return {}
    return {name: str(score[name])[:20] for name in names if _number(score.get(name)) is not None}


def learner_name(user: Any) -> str:
    """SCORM asks for "family name, given names"."""
    last, first = (user.last_name or "").strip(), (user.first_name or "").strip()
    return f"{last}, {first}" if last and first else (last or first or user.get_username())


def launch_details(package: ScormPackage) -> Manifest | None:
    """What the package's manifest gives its SCO (mastery score, launch data), read again from
    the unpacked manifest; None when it cannot be read."""
    path = directory(package) / MANIFEST
    try:
        if path.stat().st_size > settings.SCORM_MAX_MANIFEST_BYTES:
            return None
        return read_manifest(path.read_bytes())
    except (OSError, ValidationError):
        return None


def initial_cmi(
    version: str, user: Any, stored: dict[str, Any] | None, manifest: Manifest | None = None
) -> dict[str, Any]:
    """The data model the runtime starts from: who the learner is, what the manifest gives the
    SCO (mastery score, launch data), and where they left the package last time (location,
    suspend data, status, score). Only known elements with valid values are passed on: the
    runtime refuses anything else and the package would not start."""
    stored = stored if isinstance(stored, dict) else {}
    launch_data = manifest.launch_data if manifest else ""
    learner_id = str(user.pk)
    if version == ScormVersion.SCORM_12:
        core = _section(stored, "core")
        status = _string(core.get("lesson_status"))
        data: dict[str, Any] = {
            "core": {
                "student_id": learner_id,
                "student_name": learner_name(user)[:255],
                "lesson_location": _string(core.get("lesson_location"), 255),
                "lesson_status": status if status in LESSON_STATUSES else "",
                "entry": "resume" if _string(core.get("exit")) == "suspend" else "ab-initio",
                "credit": "credit",
                "lesson_mode": "normal",
                "score": _score(core.get("score"), ("raw", "min", "max")),
            },
            "suspend_data": _string(stored.get("suspend_data"), 4096),
            "launch_data": launch_data,
        }
        if manifest and manifest.mastery_score:
            # The runtime turns a score into passed or failed against it when the SCO finishes.
            data["student_data"] = {"mastery_score": manifest.mastery_score}
        return data
    completion = _string(stored.get("completion_status"))
    success = _string(stored.get("success_status"))
    return {
        "learner_id": learner_id,
        "learner_name": learner_name(user)[:250],
        "location": _string(stored.get("location"), 1000),
        "completion_status": completion if completion in COMPLETION_STATUSES else "",
        "success_status": success if success in SUCCESS_STATUSES else "",
        "entry": "resume" if _string(stored.get("exit")) == "suspend" else "ab-initio",
        "credit": "credit",
        "mode": "normal",
        "score": _score(stored.get("score"), ("scaled", "raw", "min", "max")),
        "suspend_data": _string(stored.get("suspend_data"), 64000),
        "launch_data": launch_data,
    }


def _result(row: ItemProgress) -> dict[str, Any]:
    result: dict[str, Any] = {"completion": row.completed_at is not None}
    if row.passed is not None:
        result["success"] = row.passed
    if row.score is not None:
        result["score"] = {"scaled": float(row.score)}
    return result


@transaction.atomic
def commit(enrolment: Enrolment, item_key: str, package: ScormPackage, cmi: dict[str, Any]) -> ItemProgress:
    """Record what the package reported for the learner: its data model kept for the next
    session, its completion, success and score in the learner's progress (forwards only), and
    the moments it completed, passed or failed in the learning activity log."""
    before = ItemProgress.objects.filter(enrolment=enrolment, item_key=item_key).first()
    was_completed = bool(before and before.completed_at)
    was_passed = before.passed if before else None
    reported = outcome(package.version, cmi)
    row = progress.record(
        enrolment,
        item_key,
        completed=reported.completed,
        passed=reported.passed,
        score=reported.score,
        data=cmi,
    )
    if row.completed_at is not None and not was_completed:
        happened(enrolment, Verb.COMPLETED, item_key, result=_result(row))
    if row.passed is True and was_passed is not True:
        happened(enrolment, Verb.PASSED, item_key, result=_result(row))
    elif reported.passed is False and was_passed is None:
        happened(enrolment, Verb.FAILED, item_key, result=_result(row))
    return row
