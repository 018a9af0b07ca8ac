"""Offline course packages: a zip of plain HTML, CSS and JavaScript that opens from the file
system in a browser with no network.

A package holds the course home (index.html), a page per lesson, a page per quiz (marked in the
browser with the rules of grading.py, copied into package_assets/offline.js), a progress page
that writes the learner's progress file, and the images of lessons stored on this site. SCORM
modules are not packed: the home page says they are available online.

Everything but one small file is the same for every learner of a course revision in a language,
so it is built once and kept (``cache_name``). The learner's own part, ``personal.js``, has a
fixed length for a package, so the size shown before download is exactly the size downloaded.
It carries the enrolment, the attempts already used online and the key that signs progress
files: the key must be in the package for the browser to sign, so a signature only proves that a
file came from a package made for this enrolment and was not edited in its structure. The server
therefore marks every uploaded answer again itself (offline_progress.py).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import mimetypes
import posixpath
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course, Enrolment, PackageDownload
from clearinghouse.support.sanitising import ATTRIBUTES, TAGS, URL_SCHEMES

FORMAT_VERSION = 1
ASSETS = Path(__file__).resolve().parent / "package_assets"
PERSONAL = "personal.js"
# personal.js is padded to this many bytes plus some per quiz (a key, a count): the same length
# for every learner, so one size holds for all.
_PERSONAL_BASE = 400
_PERSONAL_PER_QUIZ = 60
# A fixed date in the zip entries: the same content makes the same bytes.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)
MAX_IMAGE_BYTES = 1024 * 1024
_UI_LANGUAGE = {"zh": "zh-hans"}
_HTML_LANG = {"zh": "zh-Hans"}


def ui_language(code: str) -> str:
    """The interface language for a content language (``zh`` → ``zh-hans``)."""
    return _UI_LANGUAGE.get(code, code)


def storage() -> FileSystemStorage:
    """Where built packages are kept: outside MEDIA_ROOT (a package holds quiz answers), never
    served directly."""
    return FileSystemStorage(location=str(settings.LEARNING_PACKAGE_ROOT))


def text(texts: Mapping[str, Any] | None, language: str) -> str:
    return str((texts or {}).get(language) or "")


# --- what a package contains ----------------------------------------------------------------------


def check_request(course: Course, language: str, module_key: str = "") -> None:
    """ValidationError unless a package of ``course`` can be made in ``language`` (for one module)."""
    if not course.live:
        raise ValidationError(_("This course is not published."), code="not_live")
    if language not in (course.languages or []):
        raise ValidationError(_("This course cannot be studied in that language."), code="language")
    if module_key and outlines.find_module(course.outline, module_key) is None:
        raise ValidationError(_("This course has no such module."), code="module")


def _modules(course: Course, module_key: str) -> list[Mapping[str, Any]]:
    found = outlines.modules(course.outline)
    return [m for m in found if m.get("key") == module_key] if module_key else found


def page_name(item: Mapping[str, Any]) -> str:
    return f"{item['type']}-{item['key']}.html"


def _question(entry: Mapping[str, Any], language: str) -> dict[str, Any]:
    """A question as the quiz page and offline.js need it: its texts in one language, with
    what marks it (the package must mark answers without the server)."""
    kind = entry.get("kind")
    shown: dict[str, Any] = {
        "key": entry["key"],
        "kind": kind,
        "text": text(entry.get("text"), language),
        "feedback": text(entry.get("feedback"), language),
    }
    if kind in ("single", "multiple"):
        shown["choices"] = [
            {"key": c["key"], "text": text(c.get("text"), language), "correct": c.get("correct") is True}
            for c in entry.get("choices") or []
        ]
    elif kind == "true_false":
        shown["answer"] = entry.get("answer") is True
    elif kind == "short":
        # Every language's accepted answers count, as grading.is_right does.
        shown["accepted"] = {code: list(answers) for code, answers in (entry.get("accepted") or {}).items()}
    elif kind == "matching":
        pairs = list(entry.get("pairs") or [])
        shown["pairs"] = [
            {"key": p["key"], "left": text(p.get("left"), language), "right": text(p.get("right"), language)}
            for p in pairs
        ]
        # The right-hand texts in an order that does not give the answer away.
        shown["options"] = sorted(shown["pairs"], key=lambda p: hashlib.sha256(p["key"].encode()).hexdigest())
    return shown


def _quiz(item: Mapping[str, Any], language: str) -> dict[str, Any]:
    return {
        "key": item["key"],
        "title": text(item.get("title"), language),
        "pass_mark": int(item.get("pass_mark") or 0),
        "max_attempts": int(item.get("max_attempts") or 0),
        "draw": int(item.get("draw") or 0),
        "closes_at": item.get("closes_at") or None,
        "questions": [_question(q, language) for q in item.get("questions") or []],
    }


# --- lesson bodies --------------------------------------------------------------------------------


class _Images:
    """Images of lesson bodies that are on this site, bundled into the package by content hash."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def local(self, src: str) -> str | None:
        """The package path of the image at ``src``, or None when it is not on this site."""
        parts = urlsplit(src)
        site = urlsplit(settings.SITE_URL)
        if parts.scheme and (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
        if not parts.scheme and (parts.netloc or not parts.path.startswith("/")):
            return None
        content = self._read(posixpath.normpath(parts.path))
        if content is None:
            return None
        extension = posixpath.splitext(parts.path)[1].lower()
        if mimetypes.types_map.get(extension, "").split("/")[0] != "image":
            return None
        name = f"images/{hashlib.sha256(content).hexdigest()[:20]}{extension}"
        self.files[name] = content
        return name

    @staticmethod
    def _read(path: str) -> bytes | None:
        if path.startswith(settings.MEDIA_URL):
            name = path[len(settings.MEDIA_URL) :]
            if ".." in name.split("/") or not default_storage.exists(name):
                return None
            if default_storage.size(name) > MAX_IMAGE_BYTES:
                return None
            with default_storage.open(name, "rb") as handle:
                return bytes(handle.read())
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path[len(settings.STATIC_URL) :])
            if isinstance(found, str) and Path(found).stat().st_size <= MAX_IMAGE_BYTES:
                return Path(found).read_bytes()
        return None


def lesson_body(body: str, images: _Images) -> str:
    """A lesson's HTML made safe and self-contained: images on this site bundled, others dropped
    (their text alternative stays), links to this site made absolute (they open online)."""
    site = settings.SITE_URL.rstrip("/")

    def attribute(tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src":
            return images.local(value)
        if tag == "a" and name == "href" and value.startswith("/") and not value.startswith("//"):
            return site + value
        if tag == "a" and name == "href" and value.startswith("//"):
            return None
        return value

    return nh3.clean(
        body,
        tags=TAGS | {"img", "figure", "figcaption", "h2"},
        attributes={**ATTRIBUTES, "img": {"src", "alt", "width", "height"}},
        attribute_filter=attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


# --- building -------------------------------------------------------------------------------------


def _entry(name: str, compress: bool = True) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def _strings() -> dict[str, str]:
    """The sentences offline.js shows, in the package's language (placeholders filled in by it)."""
    return {
        "right": _("Right"),
        "wrong": _("Not right"),
        "score": _("Your score: %(score)s%%. The pass mark is %(pass)s%%."),
        "passed": _("You passed this quiz."),
        "failed": _("You did not pass this quiz."),
        "attempts_left": _("Attempts left: %(count)s."),
        "no_attempts": _("You have used all the attempts allowed at this quiz."),
        "closed": _("This quiz is closed."),
        "again": _("Try again"),
        "done": _("Done"),
        "not_done": _("Not yet"),
        "saved_file": _("Your progress file is ready: upload it on the course's site."),
        "nothing": _("Nothing to save yet: open a lesson or answer a quiz first."),
        "storage": _(
            "This browser does not keep data for pages opened from files: progress cannot be saved."
        ),
    }


def _course_data(
    course: Course, language: str, module_key: str, quizzes: list[Mapping[str, Any]], revision: int
) -> str:
    data = {
        "format": FORMAT_VERSION,
        "course": course.identifier,
        "language": language,
        "module": module_key,
        "revision": revision,
        "upload_url": settings.SITE_URL.rstrip("/") + _upload_path(language),
        "items": [
            {"key": loc.item["key"], "type": loc.item["type"], "title": text(loc.item.get("title"), language)}
            for module in _modules(course, module_key)
            for loc in outlines.items({"modules": [module]})
        ],
        "quizzes": {str(q["key"]): _quiz(q, language) for q in quizzes},
        "strings": _strings(),
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Inside a <script src>: keep "</" from closing anything if the file is ever inlined.
    return "window.OFFLINE_COURSE = " + payload.replace("</", "<\\/") + ";\n"


def _upload_path(language: str) -> str:
    with translation.override(ui_language(language)):
        return reverse("learning:offline_upload")


def build(
    course: Course, language: str, module_key: str = "", *, progress: bool = True, revision: int | None = None
) -> bytes:
    """The package of ``course`` as the object holds it (the published row, or a working copy)
    in ``language``, for one module or all, without personal.js. ``progress=False`` makes a
    readable copy that records nothing (the course packages trainers export)."""
    revision = course.live_revision_number or 0 if revision is None else revision
    modules = _modules(course, module_key)
    located = list(outlines.items({"modules": modules}))
    quizzes = [loc.item for loc in located if loc.item.get("type") == "quiz"]
    images = _Images()
    buffer = io.BytesIO()
    common = {
        "course": course,
        "course_title": text(course.title, language),
        "summary": text(course.summary, language),
        "language": language,
        "html_lang": _HTML_LANG.get(language, language),
        "rtl": language == "ar",
        "progress": progress,
        "revision": revision,
    }
    home = [
        {
            "key": module.get("key"),
            "title": text(module.get("title"), language),
            "items": [
                {
                    "key": item["key"],
                    "type": item["type"],
                    "title": text(item.get("title"), language),
                    "page": page_name(item) if item["type"] != "scorm" else "",
                }
                for item in module.get("items") or []
            ],
        }
        for module in modules
    ]
    with translation.override(ui_language(language)), zipfile.ZipFile(buffer, "w") as package:
        common["upload_url"] = settings.SITE_URL.rstrip("/") + reverse("learning:offline_upload")
        # The stable address of the record: it resolves to the course's page in any language.
        common["online_url"] = settings.SITE_URL.rstrip("/") + reverse("resolve", args=[course.identifier])
        package.writestr(
            _entry("index.html"),
            render_to_string("learning/offline/package/index.html", {**common, "modules": home}),
        )
        order = [loc for loc in located if loc.item["type"] != "scorm"]
        for position, loc in enumerate(order):
            item = loc.item
            context = {
                **common,
                "item": item,
                "title": text(item.get("title"), language),
                "module_title": text(loc.module.get("title"), language),
                "previous": page_name(order[position - 1].item) if position else "",
                "next": page_name(order[position + 1].item) if position + 1 < len(order) else "",
            }
            if item["type"] == "lesson":
                context |= {
                    "body": lesson_body(text(item.get("body"), language), images),
                    "video_url": item.get("video_url") or "",
                    "transcript": text(item.get("transcript"), language),
                    "files": [
                        f for f in item.get("files") or [] if str(f.get("url", "")).startswith("https://")
                    ],
                }
                template = "learning/offline/package/lesson.html"
            else:
                context |= {"quiz": _quiz(item, language), "closes": outlines.closes_at(item)}
                template = "learning/offline/package/quiz.html"
            package.writestr(_entry(page_name(item)), render_to_string(template, context))
        if progress:
            package.writestr(
                _entry("progress.html"), render_to_string("learning/offline/package/progress.html", common)
            )
        package.writestr(_entry("course.js"), _course_data(course, language, module_key, quizzes, revision))
        for asset in ("offline.css", "offline.js", "sha256.js"):
            package.writestr(_entry(asset), (ASSETS / asset).read_bytes())
        for name, content in sorted(images.files.items()):
            # Images are compressed already.
            package.writestr(_entry(name, compress=False), content)
    return buffer.getvalue()


def cache_name(course: Course, language: str, module_key: str = "") -> str:
    """The name of a built package: a new published revision makes a new one."""
    suffix = f"-{module_key}" if module_key else ""
    return f"{course.pk}/{course.live_revision_number or 0}/{language}{suffix}.zip"


def base(course: Course, language: str, module_key: str = "") -> bytes:
    """The package shared by every learner, built once per revision, language and module."""
    check_request(course, language, module_key)
    kept = storage()
    name = cache_name(course, language, module_key)
    if kept.exists(name):
        with kept.open(name, "rb") as handle:
            return bytes(handle.read())
    content = build(course, language, module_key)
    # Two learners asking at once build it twice; the first one saved is kept.
    if not kept.exists(name):
        kept.save(name, ContentFile(content))
        _forget_older(kept, course)
    return content


def _forget_older(kept: FileSystemStorage, course: Course) -> None:
    """Packages of earlier revisions of the course are never downloaded again: removed."""
    current = str(course.live_revision_number or 0)
    revisions, _files = kept.listdir(str(course.pk))
    for revision in revisions:
        if revision != current:
            for old in kept.listdir(f"{course.pk}/{revision}")[1]:
                kept.delete(f"{course.pk}/{revision}/{old}")


# --- the learner's part ---------------------------------------------------------------------------


def signing_key(enrolment: Enrolment) -> str:
    """The key progress files of this enrolment are signed with, derived from its secret."""
    message = f"offline-progress:{enrolment.pk}:{enrolment.course.identifier}".encode()
    return hmac.new(enrolment.offline_secret.encode(), message, hashlib.sha256).hexdigest()


def canonical(value: Any) -> bytes:
    """The bytes a signature covers: JSON with sorted keys and no spaces, as offline.js writes it."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(key: str, value: Any) -> str:
    return hmac.new(key.encode(), canonical(value), hashlib.sha256).hexdigest()


def _personal_length(course: Course, module_key: str) -> int:
    quizzes = [
        loc
        for m in _modules(course, module_key)
        for loc in outlines.items({"modules": [m]})
        if loc.item["type"] == "quiz"
    ]
    return _PERSONAL_BASE + _PERSONAL_PER_QUIZ * len(quizzes)


def personal_script(enrolment: Enrolment | None, length: int, attempts: Mapping[str, int]) -> bytes:
    data = {
        "enrolment": enrolment.pk if enrolment else 0,
        "key": signing_key(enrolment) if enrolment else "0" * 64,
        "attempts": dict(attempts),
    }
    script = ("window.OFFLINE_PERSONAL = " + json.dumps(data, separators=(",", ":")) + ";\n").encode()
    if len(script) > length:
        raise ValueError("personal.js is longer than its fixed length")
    return script + b" " * (length - len(script))


def personalise(content: bytes, script: bytes) -> bytes:
    buffer = io.BytesIO(content)
    buffer.seek(0, io.SEEK_END)
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr(_entry(PERSONAL, compress=False), script)
    return buffer.getvalue()


def size(course: Course, language: str, module_key: str = "") -> int:
    """The exact size in bytes of the package a learner downloads."""
    length = _personal_length(course, module_key)
    return len(personalise(base(course, language, module_key), personal_script(None, length, {})))


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str


@transaction.atomic
def download(enrolment: Enrolment, language: str, module_key: str = "") -> Download:
    """The learner's package, recorded as a download (the plan's indicators count them)."""
    course = enrolment.course
    check_request(course, language, module_key)
    quiz_keys = {
        str(loc.item["key"])
        for m in _modules(course, module_key)
        for loc in outlines.items({"modules": [m]})
        if loc.item["type"] == "quiz"
    }
    used = {
        row["quiz_key"]: row["n"]
        for row in enrolment.attempts.filter(quiz_key__in=quiz_keys, submitted_at__isnull=False)
        .values("quiz_key")
        .annotate(n=Count("pk"))
    }
    script = personal_script(enrolment, _personal_length(course, module_key), used)
    content = personalise(base(course, language, module_key), script)
    PackageDownload.objects.create(
        course=course, language=language, module_key=module_key, person=enrolment.person, size=len(content)
    )
    suffix = f"-{module_key}" if module_key else ""
    return Download(content, f"{course.identifier}-{language}{suffix}.zip")


def languages_in_order(course: Course) -> list[str]:
    return [
        code
        for code in dict.fromkeys((*CONTENT_LANGUAGES, *(course.languages or [])))
        if code in (course.languages or [])
    ]
