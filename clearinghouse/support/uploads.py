"""Files uploaded as a resource's language versions, checked before anything is stored.

The type is decided from the content (magic bytes), never from the name or the type the browser
claims. Allowed: PDF without scripts, actions or attached files, Office Open XML and
OpenDocument files without macros, images (re-encoded with Pillow, which drops metadata such as
EXIF and anything appended to the pixels), plain text, CSV, and ZIP archives of data. Refused:
executables, HTML, SVG and other markup (they can carry scripts), macro-enabled and legacy
binary Office files, and anything unknown.

No library on PyPI does this whole check offline without libmagic; python-magic needs the system
library and still trusts ZIP containers, so the few signatures we accept are listed here.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    extension: str
    media_type: str


_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"#!")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|svg|script|iframe|object|embed|\?xml|body|head|meta)\b|<[^>]*\bon\w+\s*=", re.I
)
_IMAGES = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
_OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# Members of a data archive that can run or render as a page are refused.
_DANGEROUS_MEMBERS = re.compile(
    r"\.(exe|dll|com|scr|msi|bat|cmd|sh|ps1|vbs|js|jar|app|html?|xhtml|svg|php|py|hta|lnk)$", re.I
)
# What makes a PDF run something or unpack a file when it is opened: scripts, automatic and
# launch actions, attached files, Flash (RichMedia) and XFA forms.
_PDF_ACTIVE = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
    }
)
# A ZIP that inflates to more than this many times the upload limit is refused (zip bombs).
_INFLATION_LIMIT = 10


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="unsafe_file")


def check(upload: UploadedFile) -> CheckedFile:
    """The file's content ready to store, with its true type; ValidationError says why not."""
    limit = int(settings.SUPPORT_UPLOAD_MAX_BYTES)
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
        )
    if not content:
        raise _refuse(_("The file is empty."))
    return sniff(content)


def sniff(content: bytes) -> CheckedFile:
    head = content[:16]
    if head.startswith(_EXECUTABLE_MAGIC):
        raise _refuse(_("Programs cannot be uploaded."))
    if head.startswith(b"%PDF-"):
        return _pdf(content)
    if head.startswith(_OLE2):
        raise _refuse(_("Old binary Office files are not accepted: save the file as .docx, .xlsx or .pptx."))
    if head.startswith(b"PK\x03\x04"):
        return _archive(content)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    ):
        return _image(content)
    return _text(content)


def _pdf(content: bytes) -> CheckedFile:
    """A PDF whose objects hold nothing that runs or unpacks when it is opened (scripts, launch
    and open actions, attached files, Flash, XFA forms). Every object is parsed by pypdf, those
    inside compressed object streams too: a scan of the raw bytes would miss them."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            # Its objects cannot be read without the password, so they cannot be checked.
            raise _refuse(_("Password-protected PDF files are not accepted: upload it without the password."))
        found = _active_content(reader)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of errors on a damaged file; all mean the same
        raise _refuse(
            _("This PDF file is damaged and cannot be read. Save it again as PDF and upload it.")
        ) from None
    if found:
        raise _refuse(
            _(
                "PDF files that carry scripts, actions, attached files or interactive forms are not accepted "
                "(found: %(found)s). Print it to a new PDF and upload that."
            )
            % {"found": ", ".join(sorted(name.lstrip("/") for name in found))}
        )
    return CheckedFile(content, "pdf", "application/pdf")


def _active_content(reader: PdfReader) -> set[str]:
    """The names of active content any object of the PDF holds, directly or nested."""
    found: set[str] = set()
    numbers = [(number, generation) for generation, table in reader.xref.items() for number in table]
    numbers += [(number, 0) for number in reader.xref_objStm]
    for number, generation in numbers:
        stack: list[Any] = [reader.get_object(IndirectObject(number, generation, reader))]
        while stack:
            item = stack.pop()
            if isinstance(item, DictionaryObject):
                found.update(str(key) for key in item if key in _PDF_ACTIVE)
                if item.get("/S") in _PDF_ACTIVE:
                    found.add(str(item["/S"]))
                # Indirect references are visited once, through the cross-reference table.
                stack.extend(value for value in item.values() if not isinstance(value, IndirectObject))
            elif isinstance(item, ArrayObject):
                stack.extend(value for value in item if not isinstance(value, IndirectObject))
    return found


def _image(content: bytes) -> CheckedFile:
    """Re-encode from the pixels alone: metadata (EXIF, GPS, comments) and trailing data are lost."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            source_format = image.format or ""
            if source_format not in {"JPEG", "PNG", "WEBP", "GIF"}:
                raise _refuse(_("This kind of image is not accepted."))
            pixels = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                palette = image.getpalette()
                if palette:
                    pixels.putpalette(palette)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("The image cannot be read.")) from None
    # GIF becomes PNG: one frame, no animation scripts or comments.
    target = source_format if source_format in _IMAGES else "PNG"
    if target == "JPEG" and pixels.mode not in {"RGB", "L"}:
        pixels = pixels.convert("RGB")
    output = io.BytesIO()
    pixels.save(output, target, **({"quality": 90} if target == "JPEG" else {}))
    extension, media_type = _IMAGES[target]
    return CheckedFile(output.getvalue(), extension, media_type)


def _archive(content: bytes) -> CheckedFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(_("The archive is damaged.")) from None
    if inflated > _INFLATION_LIMIT * int(settings.SUPPORT_UPLOAD_MAX_BYTES):
        raise _refuse(_("The archive unpacks to too much data."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse(_("Files with macros are not accepted."))
    if "[Content_Types].xml" in names:
        for prefix, (extension, media_type) in _OOXML.items():
            if any(name.startswith(prefix) for name in names):
                return CheckedFile(content, extension, media_type)
        raise _refuse(_("This kind of Office file is not accepted."))
    if "mimetype" in names:
        declared = archive.read("mimetype").decode("ascii", "replace").strip()
        if declared in _ODF:
            if any(
                name.lower().startswith("basic/") or name.lower().startswith("scripts/") for name in names
            ):
                raise _refuse(_("Files with macros are not accepted."))
            return CheckedFile(content, _ODF[declared], declared)
    for info in archive.infolist():
        if _DANGEROUS_MEMBERS.search(info.filename):
            raise _refuse(
                _("The archive holds programs or web pages: %(name)s.") % {"name": info.filename[:100]}
            )
        with archive.open(info) as member:
            if member.read(4).startswith(_EXECUTABLE_MAGIC):
                raise _refuse(
                    _("The archive holds programs or web pages: %(name)s.") % {"name": info.filename[:100]}
                )
    return CheckedFile(content, "zip", "application/zip")


def _text(content: bytes) -> CheckedFile:
    if b"\x00" in content[:8192]:
        raise _refuse(_("This kind of file is not accepted."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise _refuse(_("This kind of file is not accepted.")) from None
    # Anything a browser could take for a page or a drawing (HTML, SVG, XML) is refused.
    if _MARKUP.search(content[:65536]) or text.lstrip().startswith("<"):
        raise _refuse(_("Web pages, SVG drawings and other markup are not accepted."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        rows = [row for row in csv.reader(io.StringIO(sample), dialect) if row][:5]
        is_csv = len(rows) > 1 and len({len(row) for row in rows[:-1]}) == 1 and len(rows[0]) > 1
    except csv.Error:
        is_csv = False
    if is_csv:
        return CheckedFile(content, "csv", "text/csv")
    return CheckedFile(content, "txt", "text/plain")
