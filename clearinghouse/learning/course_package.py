"""Course packages: a trainer exports a whole course (its working copy) as one zip and imports
such a zip as a new draft course, here or on another deployment.

The zip holds ``course.json`` (the format and its version, the catalogue entry, the outline)
and, under one folder per language, the course as offline HTML, so that the file is also a
readable copy of the course. Import reads ``course.json`` only: the HTML is never unpacked.

An import is checked whole before anything is saved (the zip, its size, the format version, the
catalogue entry, the vocabulary codes, the outline) and saved in one transaction through the
publishing workflow, as a draft of the trainer's organisation. Keys of modules, lessons, quizzes
and questions are kept. SCORM modules are not in a course package (their files are not): an
imported course leaves them out and says which.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import is_language_code, pick_label
from clearinghouse.core.zips import UNREADABLE_ZIP, check_methods
from clearinghouse.geo.models import Country
from clearinghouse.learning import offline
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import CompletionRule, Course, Level
from clearinghouse.learning.permissions import authors_courses
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.support.sanitising import ATTRIBUTES, TAGS, URL_SCHEMES, clean_texts
from clearinghouse.vocabularies.models import Term

FORMAT = "clearinghouse-course-package"
VERSION = 1
MANIFEST = "course.json"
MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_MANIFEST_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 20000
TEXT_FIELDS = ("title", "summary", "description")

# An encrypted entry raises RuntimeError when read without its password.
_UNREADABLE: tuple[type[Exception], ...] = (*UNREADABLE_ZIP, RuntimeError)


def _texts(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items()}


def manifest(course: Course) -> dict[str, Any]:
    """course.json for the working copy of ``course`` (what its authors see now)."""
    working, many = workflow.working_copy(course)
    terms = Term.objects.in_bulk([pk for name in Course.VOCABULARIES for pk in many.get(name, [])])
    activities = Activity.objects.in_bulk(many.get("plan_activities", []))
    entry: dict[str, Any] = {
        "original_language": working.original_language,
        **{name: _texts(getattr(working, name)) for name in TEXT_FIELDS},
        "level": working.level,
        "duration_hours": str(working.duration_hours) if working.duration_hours is not None else None,
        "completion_rule": working.completion_rule,
        **{
            name: sorted(terms[pk].code for pk in many.get(name, []) if pk in terms)
            for name in Course.VOCABULARIES
        },
        "plan_activities": sorted(
            activities[pk].number for pk in many.get("plan_activities", []) if pk in activities
        ),
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": {
            "identifier": course.identifier,
            "revision": course.revision_number,
            "site": settings.SITE_URL,
        },
        "course": entry,
        "outline": working.outline,
    }


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str


def export(course: Course, *, actor: User) -> Export:
    """The course package of ``course``: course.json and the offline HTML in every language the
    working copy is complete in."""
    if not authors_courses(actor) or not actor.has_perm("records.read_draft", course):
        raise PermissionDenied(_("You cannot export this course."))
    data = manifest(course)
    working, _many = workflow.working_copy(course)
    languages = outlines.complete_languages(working.outline, working.title)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(MANIFEST, json.dumps(data, ensure_ascii=False, indent=1))
        for language in languages:
            readable = offline.build(working, language, progress=False, revision=course.revision_number)
            with zipfile.ZipFile(io.BytesIO(readable)) as copy:
                for member in copy.infolist():
                    package.writestr(f"{language}/{member.filename}", copy.read(member))
    return Export(buffer.getvalue(), f"{course.identifier}-course-package.zip")


# --- import ---------------------------------------------------------------------------------------


@dataclass
class Imported:
    course: Course
    left_out: list[str] = field(default_factory=list)


def _refused(message: str, code: str = "package") -> ValidationError:
    return ValidationError(message, code=code)


def read_package(file: IO[bytes], size: int) -> dict[str, Any]:
    """course.json of an uploaded course package, or ValidationError saying why it is refused."""
    if size > MAX_ZIP_BYTES:
        raise _refused(
            _("The file is bigger than %(size)d MB.") % {"size": MAX_ZIP_BYTES // (1024 * 1024)}, "size"
        )
    try:
        with zipfile.ZipFile(file) as package:
            check_methods(package)
            members = package.infolist()
            if len(members) > MAX_MEMBERS:
                raise _refused(_("The package holds too many files."), "size")
            for member in members:
                name = member.filename
                if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
                    raise _refused(
                        _("The package holds a file with an unsafe name: %(name)s") % {"name": name[:200]}
                    )
                if member.flag_bits & 0x1:
                    raise _refused(_("The package is encrypted."))
            try:
                info = package.getinfo(MANIFEST)
            except KeyError as missing:
                raise _refused(_("This is not a course package: it has no course.json.")) from missing
            if info.file_size > MAX_MANIFEST_BYTES:
                raise _refused(_("course.json is too big."), "size")
            with package.open(info) as handle:
                raw = handle.read(MAX_MANIFEST_BYTES + 1)
            if len(raw) > MAX_MANIFEST_BYTES:
                raise _refused(_("course.json is too big."), "size")
    except _UNREADABLE as error:
        raise _refused(_("The file is not a zip file that can be read.")) from error
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise _refused(_("course.json could not be read: it is not JSON.")) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refused(_("This is not a course package: course.json is of another kind."))
    if data.get("version") != VERSION:
        raise _refused(
            _("This course package is of version %(version)s; this site reads version %(expected)d.")
            % {"version": str(data.get("version"))[:20], "expected": VERSION},
            "version",
        )
    return data


def _body(text: str) -> str:
    return nh3.clean(
        text,
        tags=TAGS | {"img", "figure", "figcaption", "h2"},
        attributes={**ATTRIBUTES, "img": {"src", "alt", "width", "height"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def _outline(data: Any) -> tuple[dict[str, Any], list[str]]:
    """The outline of the package made safe (lesson bodies sanitised as authoring does), without
    its SCORM modules, and the titles of those left out; ValidationError when it is unsound."""
    found = outlines.problems(data)
    if found:
        raise ValidationError(found, code="outline")
    left_out: list[str] = []
    modules = []
    for module in data["modules"]:
        items = []
        for item in module.get("items") or []:
            if item["type"] == "scorm":
                left_out.append(pick_label(item["title"]) or item["key"])
                continue
            if item["type"] == "lesson" and isinstance(item.get("body"), dict):
                item = {**item, "body": {code: _body(text) for code, text in item["body"].items()}}
            items.append(item)
        modules.append({**module, "items": items})
    return {**data, "modules": modules}, left_out


def values_of(entry: Any) -> dict[str, Any]:
    """The course's values from the catalogue entry of a package; ValidationError listing every
    problem (unknown codes, wrong values)."""
    if not isinstance(entry, dict):
        raise _refused(_("course.json has no catalogue entry of the course."))
    problems: list[str] = []
    values: dict[str, Any] = {}
    language = entry.get("original_language")
    if not is_language_code(language):
        problems.append(_("The original language is not an ISO 639 language code."))
    values["original_language"] = language
    for name in TEXT_FIELDS:
        texts = entry.get(name) or {}
        if not isinstance(texts, dict) or not all(
            is_language_code(code) and isinstance(text, str) for code, text in texts.items()
        ):
            problems.append(_("In course.json, “%(field)s” must hold texts by language.") % {"field": name})
            continue
        values[name] = (
            clean_texts(texts)
            if name in Course.RICH_FIELDS
            else {k: v.strip() for k, v in texts.items() if v.strip()}
        )
    if not values.get("title"):
        problems.append(_("The course has no title."))
    level = entry.get("level") or ""
    if level not in {"", *Level.values}:
        problems.append(_("The level %(level)s is not known.") % {"level": str(level)[:40]})
    values["level"] = level
    rule = entry.get("completion_rule") or CompletionRule.COMPLETED_AND_PASSED
    if rule not in CompletionRule.values:
        problems.append(_("The completion rule %(rule)s is not known.") % {"rule": str(rule)[:40]})
    values["completion_rule"] = rule
    duration = entry.get("duration_hours")
    try:
        values["duration_hours"] = Decimal(str(duration)) if duration not in (None, "") else None
    except InvalidOperation:
        problems.append(_("The duration is not a number of hours."))
    for name, vocabulary in Course.VOCABULARIES.items():
        codes = entry.get(name) or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            problems.append(_("In course.json, “%(field)s” must be a list of codes.") % {"field": name})
            continue
        terms = list(Term.objects.filter(vocabulary__name=vocabulary, code__in=codes))
        unknown = sorted(set(codes) - {t.code for t in terms})
        if unknown:
            problems.append(
                _("These codes are not in the vocabulary %(vocabulary)s: %(codes)s")
                % {"vocabulary": vocabulary, "codes": ", ".join(c[:60] for c in unknown[:20])}
            )
        values[name] = terms
    numbers = entry.get("plan_activities") or []
    if not isinstance(numbers, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in numbers
    ):
        problems.append(_("The action-plan activities must be a list of numbers."))
    else:
        activities = list(Activity.objects.filter(number__in=numbers))
        unknown_numbers = sorted(set(numbers) - {a.number for a in activities})
        if unknown_numbers:
            problems.append(
                _("These action-plan activities do not exist: %(numbers)s")
                % {"numbers": ", ".join(str(n) for n in unknown_numbers[:20])}
            )
        values["plan_activities"] = activities
    if problems:
        raise ValidationError(problems, code="entry")
    return values


@transaction.atomic
def import_package(file: IO[bytes], size: int, *, actor: User, owner: Country | Organisation) -> Imported:
    """A new draft course of ``owner`` from a course package; nothing is saved when anything in
    the package is refused."""
    if not authors_courses(actor):
        raise PermissionDenied(_("Only the people who write courses can import them."))
    data = read_package(file, size)
    values = values_of(data.get("course"))
    outline, left_out = _outline(data.get("outline"))
    values["outline"] = outline
    note = _("Imported from a course package (%(identifier)s)") % {
        "identifier": str((data.get("source") or {}).get("identifier", ""))[:40]
    }
    course = workflow.create(Course, actor=actor, owner=owner, values=values, note=note[:300])
    return Imported(course, left_out)
