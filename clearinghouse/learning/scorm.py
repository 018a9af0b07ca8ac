"""SCORM 1.2 and 2004 packages: checked, unpacked and added to a course's outline.

A package is a zip written by an authoring tool, so it is treated as hostile until proven
otherwise. Everything is checked *before* anything is written: the upload's size, the number of
files, their total unpacked size and each file's compression ratio (zip bombs), every name
(no absolute paths, no ``..``, no symbolic links or other special files, no two names that are
the same file once normalised), and the manifest (``imsmanifest.xml`` at the root, parsed with
defusedxml under a size cap: no entity expansion, no external entities). The manifest says the
SCORM version and which file the default organisation launches first; that file must be in the
zip.

Only then is the zip unpacked, into a temporary directory beside the packages that is renamed
to the package's token in the same step that saves the ``ScormPackage`` row and the course's new
draft revision: a failure anywhere leaves no directory, no row and no revision.
"""

from __future__ import annotations

import copy
import os
import posixpath
import re
import secrets
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.zips import UNREADABLE_ZIP, check_methods
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course, ScormPackage, ScormVersion
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision

MANIFEST = "imsmanifest.xml"
# Small files compress very well without being bombs (a CSS file of repeated rules): the ratio
# is asked of files bigger than this only; the total unpacked size bounds the small ones.
RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass(frozen=True)
class Manifest:
    """What the manifest says: the version, a title, and the launch address of the first SCO
    (a path inside the package, with the manifest's parameters if it gives any)."""

    version: str
    title: str
    launch: str
    launch_file: str
    # What the manifest gives the launched SCO: its mastery score (1.2, 0 to 100) and its
    # launch data, or empty.
    mastery_score: str = ""
    launch_data: str = ""


@dataclass(frozen=True)
class Checked:
    """A zip that passed every check: its manifest and the files to unpack (normalised name,
    entry)."""

    manifest: Manifest
    files: list[tuple[str, zipfile.ZipInfo]]
    size: int


def package_root() -> Path:
    return Path(settings.SCORM_ROOT)


def directory(package: ScormPackage) -> Path:
    """Where a package's files are unpacked."""
    return package_root() / package.token


def may_edit(user: Any, course: Course) -> bool:
    """Whether ``user`` may import packages into ``course``: a course author (trainer or the
    Secretariat) who may also save drafts of this course."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_perm("learning.author_courses")
        and user.has_perm("records.draft", course)
    )


# --- checking the zip ----------------------------------------------------------------------------


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def normalised_name(raw: str) -> str:
    """The entry's path inside the package, or ValidationError when it could point anywhere
    else (absolute, a drive, ``..``) or holds control characters."""
    if any(ord(character) < 32 for character in raw):
        raise _refuse(_("The package holds a file name with control characters."), "bad_name")
    name = raw.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        raise _refuse(
            _("The package holds a file with an absolute path (%(name)s).") % {"name": raw[:200]},
            "absolute_path",
        )
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise _refuse(
            _("The package holds a file outside its own folder (%(name)s).") % {"name": raw[:200]},
            "path_traversal",
        )
    return unicodedata.normalize("NFC", "/".join(parts))


def _kind_allowed(info: zipfile.ZipInfo) -> None:
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise _refuse(
            _("The package holds a symbolic link (%(name)s); only plain files are accepted.")
            % {"name": info.filename[:200]},
            "symlink",
        )
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise _refuse(
            _("The package holds a special file (%(name)s); only plain files are accepted.")
            % {"name": info.filename[:200]},
            "special_file",
        )
    if info.flag_bits & 0x1:
        raise _refuse(_("The package is encrypted; upload it without a password."), "encrypted")


def _files(archive: zipfile.ZipFile) -> tuple[list[tuple[str, zipfile.ZipInfo]], int]:
    entries = archive.infolist()
    files = [info for info in entries if not info.is_dir()]
    if len(files) > settings.SCORM_MAX_FILES:
        raise _refuse(
            _("The package holds too many files (%(count)d); at most %(limit)d are accepted.")
            % {"count": len(files), "limit": settings.SCORM_MAX_FILES},
            "too_many_files",
        )
    total = sum(info.file_size for info in files)
    if total > settings.SCORM_MAX_UNPACKED_BYTES:
        raise _refuse(
            _("Unpacked, the package would take %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(total), "limit": filesizeformat(settings.SCORM_MAX_UNPACKED_BYTES)},
            "too_big_unpacked",
        )
    seen: dict[str, str] = {}
    folders: set[str] = set()
    kept: list[tuple[str, zipfile.ZipInfo]] = []
    for info in entries:
        _kind_allowed(info)
        name = normalised_name(info.filename)
        if not name:
            if info.is_dir():
                continue
            raise _refuse(_("The package holds a file without a name."), "bad_name")
        if info.is_dir():
            folders.add(name.casefold())
            continue
        if info.file_size > RATIO_FLOOR and info.file_size > settings.SCORM_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _refuse(
                _("The file %(name)s is compressed suspiciously well (a zip bomb?); the package is refused.")
                % {"name": name[:200]},
                "ratio",
            )
        key = name.casefold()
        if key in seen:
            raise _refuse(
                _("The package holds two files named %(name)s.") % {"name": name[:200]}, "duplicate_name"
            )
        seen[key] = name
        parent = posixpath.dirname(key)
        while parent:
            folders.add(parent)
            parent = posixpath.dirname(parent)
        kept.append((name, info))
    clash = folders & set(seen)
    if clash:
        raise _refuse(
            _("The package holds a file and a folder both named %(name)s.")
            % {"name": seen[min(clash)][:200]},
            "duplicate_name",
        )
    return kept, total


def check_archive(archive: zipfile.ZipFile) -> Checked:
    """Every check on an open zip (see the module's docstring); ValidationError with the first
    problem found."""
    files, total = _files(archive)
    by_name = dict(files)
    if MANIFEST not in by_name:
        nested = next((name for name in by_name if posixpath.basename(name) == MANIFEST), "")
        if nested:
            raise _refuse(
                _(
                    "The manifest is in the folder %(folder)s, not at the root of the zip: zip the "
                    "contents of that folder, not the folder itself."
                )
                % {"folder": posixpath.dirname(nested)[:200]},
                "manifest_nested",
            )
        raise _refuse(
            _("This is not a SCORM package: it has no imsmanifest.xml at the root of the zip."),
            "no_manifest",
        )
    info = by_name[MANIFEST]
    if info.file_size > settings.SCORM_MAX_MANIFEST_BYTES:
        raise _refuse(
            _("The manifest takes %(size)s; at most %(limit)s is accepted.")
            % {
                "size": filesizeformat(info.file_size),
                "limit": filesizeformat(settings.SCORM_MAX_MANIFEST_BYTES),
            },
            "manifest_too_big",
        )
    with archive.open(info) as stream:
        data = stream.read(settings.SCORM_MAX_MANIFEST_BYTES + 1)
    if len(data) > settings.SCORM_MAX_MANIFEST_BYTES:
        raise _refuse(_("The manifest is bigger than its zip entry says."), "manifest_too_big")
    manifest = read_manifest(data)
    if manifest.launch_file not in by_name:
        raise _refuse(
            _("The manifest launches %(name)s, which is not in the package.")
            % {"name": manifest.launch_file[:200]},
            "launch_missing",
        )
    return Checked(manifest, files, total)


# --- reading the manifest ------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _namespace(tag: Any) -> str:
    return str(tag)[1:].split("}", 1)[0].lower() if isinstance(tag, str) and tag.startswith("{") else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _attribute(element: Element, name: str) -> str:
    """An attribute by its local name, whatever its namespace (``adlcp:scormtype`` in 1.2,
    ``adlcp:scormType`` in 2004)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return str(value).strip()
    return ""


def _text(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _version(root: Element) -> str:
    metadata = _child(root, "metadata")
    schema_version = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    if schema_version == "1.2":
        return ScormVersion.SCORM_12
    if "2004" in schema_version or schema_version in {"CAM 1.3", "1.3"}:
        return ScormVersion.SCORM_2004
    namespaces = {_namespace(element.tag) for element in root.iter()}
    namespaces |= {_namespace(key) for element in root.iter() for key in element.attrib}
    if any("adlcp_rootv1p2" in namespace for namespace in namespaces):
        return ScormVersion.SCORM_12
    if any(marker in namespace for namespace in namespaces for marker in ("adlcp_v1p3", "imsss", "adlseq")):
        return ScormVersion.SCORM_2004
    raise _refuse(
        _("The manifest names neither SCORM 1.2 nor SCORM 2004 (no schema version, no SCORM namespace)."),
        "not_scorm",
    )


def _with_parameters(href: str, parameters: str) -> str:
    """The item's launch parameters added to the resource's address, as SCORM's content
    packaging rules say (a leading ``?`` becomes ``&`` when the address has a query already)."""
    if not parameters:
        return href
    if parameters.startswith("#"):
        return href.split("#", 1)[0] + parameters
    if parameters.startswith("?") and "?" in href:
        parameters = "&" + parameters[1:]
    elif not parameters.startswith(("?", "&")):
        parameters = ("&" if "?" in href else "?") + parameters
    return href + parameters


def _launch_file(launch: str) -> str:
    path = unquote(urlsplit(launch).path)
    if not path or urlsplit(launch).scheme or urlsplit(launch).netloc:
        raise _refuse(
            _("The manifest launches %(name)s, which is not a file of the package.") % {"name": launch[:200]},
            "launch_outside",
        )
    return normalised_name(path)


def read_manifest(data: bytes) -> Manifest:
    """The manifest's version, title and launch file; ValidationError when it is not a SCORM
    manifest one can launch."""
    try:
        root = fromstring(data)
    except DefusedXmlException as error:
        raise _refuse(
            _("The manifest declares entities or a document type, which are refused for safety."),
            "xml_entities",
        ) from error
    except (ParseError, ValueError) as error:
        raise _refuse(
            _("The manifest is not well-formed XML: %(error)s") % {"error": error}, "bad_xml"
        ) from error
    if _local(root.tag) != "manifest":
        raise _refuse(_("The file imsmanifest.xml is not a package manifest."), "not_manifest")
    version = _version(root)
    resources_element = _child(root, "resources")
    resources = {
        _attribute(resource, "identifier"): resource
        for resource in (_children(resources_element, "resource") if resources_element is not None else [])
    }
    base = resources_element.get(_XML_BASE, "") if resources_element is not None else ""
    organizations = _child(root, "organizations")
    candidates = _children(organizations, "organization") if organizations is not None else []
    default = _attribute(organizations, "default") if organizations is not None else ""
    organization = next((o for o in candidates if _attribute(o, "identifier") == default), None) or (
        candidates[0] if candidates else None
    )
    if organization is None:
        raise _refuse(_("The manifest has no organisation of its content to launch."), "no_organization")
    for item in organization.iter():
        if _local(item.tag) != "item":
            continue
        resource = resources.get(_attribute(item, "identifierref"))
        if resource is None or _attribute(resource, "scormtype").lower() != "sco":
            continue
        href = _attribute(resource, "href")
        if not href:
            continue
        launch = _with_parameters(base + resource.get(_XML_BASE, "") + href, _attribute(item, "parameters"))
        title = _text(_child(organization, "title")) or _text(_child(item, "title")) or href
        mastery = _text(_child(item, "masteryscore"))
        launch_data = _child(item, "datafromlms")
        return Manifest(
            version,
            title[:300],
            launch[:500],
            _launch_file(launch),
            mastery_score=mastery if re.fullmatch(r"(100|[0-9]{1,2})(\.[0-9]+)?", mastery) else "",
            launch_data=(launch_data.text or "").strip()[:4096] if launch_data is not None else "",
        )
    raise _refuse(_("The manifest's default organisation lists no SCO to launch."), "no_sco")


# --- unpacking and saving ------------------------------------------------------------------------


def _extract(archive: zipfile.ZipFile, checked: Checked) -> Path:
    """Unpack into a new temporary directory beside the packages; its path. Sizes are counted
    as written: an entry that unpacks to more than it declares is refused."""
    package_root().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=package_root()))
    try:
        for name, info in checked.files:
            target = staging.joinpath(*name.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
            written = 0
            with archive.open(info) as source, os.fdopen(descriptor, "wb") as sink:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    if written > info.file_size:
                        raise _refuse(
                            _("The file %(name)s unpacks to more than its zip entry says.") % {"name": name},
                            "size_lie",
                        )
                    sink.write(chunk)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _keys(outline: Any) -> set[str]:
    found: set[str] = set()
    for module in outlines.modules(outline):
        found.add(str(module.get("key")))
        for item in module.get("items") or []:
            found.add(str(item.get("key")))
            for question in item.get("questions") or []:
                found.add(str(question.get("key")))
    return found


def new_key(outline: Any, prefix: str) -> str:
    taken = _keys(outline)
    while (key := f"{prefix}{secrets.token_hex(3)}") in taken:
        pass
    return key


def add_to_outline(
    course: Course,
    *,
    actor: User | None,
    package: ScormPackage,
    title: dict[str, str],
    module_key: str = "",
    module_title: dict[str, str] | None = None,
) -> tuple[Revision, str]:
    """Append a SCORM item for ``package`` to a module of the course's working copy (or to a new
    module) and save it as a draft revision; the revision and the new item's key."""
    # Two imports at once must not each append to the same old outline (one would be lost):
    # the course is locked until this transaction ends, and read again under the lock.
    course = Course.objects.select_for_update().get(pk=course.pk)
    working, _many = workflow.working_copy(course)
    outline = copy.deepcopy(working.outline) if isinstance(working.outline, dict) else outlines.empty()
    outline.setdefault("modules", [])
    if module_key:
        module = next((m for m in outline["modules"] if m.get("key") == module_key), None)
        if module is None:
            raise ValidationError(_("The course has no such module."), code="no_module")
    else:
        if not module_title or not any(text.strip() for text in module_title.values()):
            raise ValidationError(_("Give the new module a title."), code="module_title")
        module = {"key": new_key(outline, "m-"), "title": module_title, "items": []}
        outline["modules"].append(module)
    key = new_key(outline, "s-")
    module.setdefault("items", []).append(
        {"key": key, "type": "scorm", "title": title, "package": package.token}
    )
    problems = outlines.problems(outline)
    if problems:
        raise ValidationError(problems, code="outline")
    note = _("SCORM module “%(title)s” added") % {"title": package.title}
    revision = workflow.save_draft(
        course, actor=actor, values={"outline": outline}, base_revision=None, note=note
    )
    return revision, key


def declared_entries(stream: IO[bytes]) -> int | None:
    """How many entries the zip's end record says it has, read before zipfile reads the whole
    directory into memory (millions of tiny entries would fill it); None when it has none."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    tail_size = min(size, 22 + 65535)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return None
    total = int.from_bytes(tail[at + 10 : at + 12], "little")
    if total != 0xFFFF:
        return total
    # Zip64: the count is in the zip64 end record, before its locator and the end record.
    at64 = tail.rfind(b"PK\x06\x06", 0, at)
    return int.from_bytes(tail[at64 + 32 : at64 + 40], "little") if at64 >= 0 else None


def _open(upload: UploadedFile) -> zipfile.ZipFile:
    stream = cast(IO[bytes], upload.file)
    entries = declared_entries(stream)
    # Folders are entries too: twice the files allowed leaves room for them.
    if entries is not None and entries > 2 * settings.SCORM_MAX_FILES:
        raise _refuse(
            _("The package holds too many files (%(count)d); at most %(limit)d are accepted.")
            % {"count": entries, "limit": settings.SCORM_MAX_FILES},
            "too_many_files",
        )
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _refuse(_("The file is not a zip archive that can be read."), "not_zip") from error


def import_package(
    course: Course,
    upload: UploadedFile,
    *,
    actor: User | None,
    title: str = "",
    language: str = "",
    module_key: str = "",
    module_title: str = "",
    translations: Mapping[str, str] | None = None,
) -> tuple[ScormPackage, str]:
    """Check, unpack and add a SCORM package to the course as a new draft revision; the package
    and its item's key. ValidationError (in the reader's language) when anything is wrong, and
    then nothing is left: no directory, no row, no revision. ``translations`` gives the item's
    title in other languages ({language: title})."""
    if actor is not None and not may_edit(actor, course):
        raise PermissionDenied(_("You cannot add SCORM packages to this course."))
    if upload.size is not None and upload.size > settings.SCORM_MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The package takes %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.SCORM_MAX_UPLOAD_BYTES)},
            "too_big",
        )
    with _open(upload) as archive:
        try:
            check_methods(archive)
            checked = check_archive(archive)
            staging = _extract(archive, checked)
        except UNREADABLE_ZIP as error:
            raise _refuse(
                _("The zip archive is damaged or uses a compression that is not supported."), "damaged"
            ) from error
    language = language or course.original_language or "en"
    manifest = checked.manifest
    final: Path | None = None
    try:
        with transaction.atomic():
            package = ScormPackage.objects.create(
                course=course,
                title=(title.strip() or manifest.title)[:300],
                version=manifest.version,
                launch=manifest.launch,
                size=checked.size,
                files=len(checked.files),
                uploaded_by=actor,
            )
            _revision, key = add_to_outline(
                course,
                actor=actor,
                package=package,
                title={**(translations or {}), language: package.title},
                module_key=module_key,
                module_title={language: module_title.strip()} if module_title.strip() else None,
            )
            final = directory(package)
            # Last, so that nothing after it can fail: the row and the files appear together.
            os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if final is not None:
            shutil.rmtree(final, ignore_errors=True)
        raise
    return package, key


def remove_files(sender: type[ScormPackage], instance: ScormPackage, **kwargs: Any) -> None:
    """A package's files go with its row (a deleted course takes its packages along), once the
    deletion is committed."""
    path = directory(instance)
    transaction.on_commit(lambda: shutil.rmtree(path, ignore_errors=True))
