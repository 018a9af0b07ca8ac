"""Pictures (organisations' logos, events' pictures): checked on upload, stored without metadata
under a name taken from their content, and shown as AVIF and WebP with a JPEG or PNG fallback,
each generated at the exact size shown (1x and 2x) by django-imagekit.

A picture's stored name is a digest of its bytes, and each rendition's name a digest of the
picture's name and the rendition's settings: a changed picture has new addresses, so browsers may
keep every rendition for a year (core.views.picture).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import ResizeToFill, ResizeToFit
from PIL import Image, ImageOps, UnidentifiedImageError

# What Pillow finds in the bytes, whatever the file's name or declared type says.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MIN_SIDE = 64
MAX_SIDE = 6000
# Quality settings chosen by eye on the demo's emblems and photographs: no visible artefacts at
# the sizes shown, at about a third of the JPEG's bytes for AVIF.
QUALITY = {"AVIF": 55, "WEBP": 75, "JPEG": 80}
MIME = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
# The renditions' file types by name (Python 3.11's mimetypes may not know AVIF).
RENDITION_TYPES = {".avif": "image/avif", ".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png"}


@dataclass(frozen=True)
class PictureKind:
    """How one kind of picture is shown: its display sizes in CSS pixels, how it is fitted to
    them, and the format for browsers without AVIF or WebP."""

    folder: str
    sizes: dict[str, tuple[int, int]]
    # "pad" keeps the whole picture on a transparent ground (logos); "fill" crops to fill.
    fit: str
    fallback: str


LOGO = PictureKind(folder="logos", sizes={"page": (96, 96), "list": (48, 48)}, fit="pad", fallback="PNG")
EVENT_PICTURE = PictureKind(
    folder="events", sizes={"page": (640, 360), "list": (160, 90)}, fit="fill", fallback="JPEG"
)


def picture_path(kind: PictureKind, name: str) -> str:
    return f"pictures/originals/{kind.folder}/{name}"


def check_size(upload: UploadedFile) -> None:
    """Refuses a picture larger than PICTURE_MAX_UPLOAD_BYTES before anything reads it."""
    limit = settings.PICTURE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This picture is %(size)s; the largest accepted is %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def clean_picture(upload: UploadedFile) -> ContentFile[bytes]:
    """The uploaded picture, checked and stored anew without its metadata (EXIF: camera, place,
    date) and turned upright; named after its content. Raises ValidationError saying why not."""
    check_size(upload)
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            found = probe.format or ""
            probe.verify()
        if found not in ACCEPTED_FORMATS:
            raise ValidationError(
                _("Send a JPEG, PNG or WebP picture; this file is not one."), code="wrong_type"
            )
        with Image.open(BytesIO(data)) as opened:
            width, height = opened.size
            if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
                raise ValidationError(
                    _(
                        "This picture is %(width)s × %(height)s pixels; each side must be between "
                        "%(min)s and %(max)s pixels."
                    ),
                    code="dimensions",
                    params={"width": width, "height": height, "min": MIN_SIDE, "max": MAX_SIDE},
                )
            upright = ImageOps.exif_transpose(opened)
            transparent = "A" in upright.getbands() or "transparency" in opened.info
            clean = upright.convert("RGBA" if transparent else "RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise ValidationError(
            _("Send a JPEG, PNG or WebP picture; this file is not one."), code="wrong_type"
        ) from error
    stored_format = "PNG" if clean.mode == "RGBA" else found
    out = BytesIO()
    # Saved from pixels only: nothing of the original's metadata is carried over.
    clean.save(out, stored_format, **({"quality": 90} if stored_format != "PNG" else {}))
    body = out.getvalue()
    name = f"{hashlib.sha256(body).hexdigest()[:24]}.{ACCEPTED_FORMATS[stored_format]}"
    return ContentFile(body, name=name)


class PictureField(forms.ImageField):
    """A picture upload: its size first, then Django's own check that it is an image, then
    clean_picture. The cleaned value is the file to store."""

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        check_size(data)
        super().to_python(data)
        return clean_picture(data)


class Rendition(ImageSpec):
    """One picture at one size in one format."""

    def __init__(self, source: FieldFile, kind: PictureKind, width: int, height: int, image_format: str):
        if kind.fit == "fill":
            self.processors = [ResizeToFill(width, height)]
        else:
            self.processors = [ResizeToFit(width, height, mat_color=(255, 255, 255, 0))]
        self.format = image_format
        self.options = {"quality": QUALITY[image_format]} if image_format in QUALITY else {}
        super().__init__(source=source)


@dataclass(frozen=True)
class Source:
    mime: str
    srcset: str


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs: the modern sources, the fallback and the box."""

    sources: list[Source]
    src: str
    srcset: str
    width: int
    height: int


def _url(source: FieldFile, kind: PictureKind, width: int, height: int, image_format: str) -> str:
    rendition = ImageCacheFile(Rendition(source, kind, width, height, image_format))
    # Made now if imagekit's cache and the storage do not have it yet (then remembered).
    rendition.generate()
    return str(rendition.url)


def picture(source: FieldFile, kind: PictureKind, size: str) -> Picture:
    """The renditions of ``source`` for display ``size`` of its kind (generated on first use)."""
    width, height = kind.sizes[size]
    sources = []
    for image_format in ("AVIF", "WEBP"):
        one = _url(source, kind, width, height, image_format)
        two = _url(source, kind, width * 2, height * 2, image_format)
        sources.append(Source(MIME[image_format], f"{one} 1x, {two} 2x"))
    src = _url(source, kind, width, height, kind.fallback)
    double = _url(source, kind, width * 2, height * 2, kind.fallback)
    return Picture(sources, src, f"{double} 2x", width, height)
