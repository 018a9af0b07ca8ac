"""Pictures: an upload is checked by its content (type, size, dimensions) with a clear error in
the person's language, stored without its EXIF metadata under a name taken from its bytes, and
shown as AVIF and WebP with a fallback, at the exact display size (1x and 2x), lazily, and not
at all in save-data mode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.utils import translation
from PIL import Image

from clearinghouse.core.pictures import PictureField


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def image_bytes(size: tuple[int, int] = (400, 300), image_format: str = "JPEG", exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 60))
    out = BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Camera maker"  # Make
        tags[0x0132] = "2026:01:02 03:04:05"  # DateTime
        image.save(out, image_format, exif=tags)
    else:
        image.save(out, image_format)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(ValidationError) as raised:
        PictureField(required=False).clean(upload(data, name))
    return " ".join(raised.value.messages)


def test_a_picture_is_stored_without_its_exif_and_named_after_its_content() -> None:
    original = image_bytes(exif=True)
    assert Image.open(BytesIO(original)).getexif()  # the camera's details are there to strip
    cleaned = PictureField(required=False).clean(upload(original))
    body = cleaned.read()
    stored = Image.open(BytesIO(body))
    assert stored.format == "JPEG" and stored.size == (400, 300)
    assert not stored.getexif()
    assert re.fullmatch(r"[0-9a-f]{24}\.jpg", cleaned.name)
    # The same picture sent again gets the same name: its renditions stay cached.
    assert PictureField(required=False).clean(upload(original)).name == cleaned.name


def test_a_file_that_is_not_a_picture_is_refused_whatever_its_name() -> None:
    message = refusal(b"%PDF-1.7 not a picture at all" * 20, name="logo.png")
    assert "image" in message.lower() or "picture" in message.lower()


def test_a_picture_in_another_format_is_refused_by_its_content() -> None:
    gif = image_bytes(image_format="GIF")
    assert refusal(gif, name="logo.jpg") == "Send a JPEG, PNG or WebP picture; this file is not one."


@override_settings(PICTURE_MAX_UPLOAD_BYTES=1000)
def test_a_picture_too_large_is_refused_with_both_sizes() -> None:
    message = refusal(image_bytes((800, 800)))
    assert "the largest accepted is 1000" in message


def test_a_picture_too_small_or_too_large_in_pixels_is_refused() -> None:
    assert "between 64 and 6000 pixels" in refusal(image_bytes((40, 200)))
    assert "between 64 and 6000 pixels" in refusal(image_bytes((6100, 64), image_format="PNG"))


def test_the_refusal_is_in_the_persons_language() -> None:
    with translation.override("ar"):
        message = refusal(image_bytes(image_format="GIF"))
    assert message != "Send a JPEG, PNG or WebP picture; this file is not one."
    assert re.search("[\u0600-\u06ff]", message)


def render(source: object, save_data: bool = False) -> str:
    request = RequestFactory().get("/")
    request.save_data = save_data  # type: ignore[attr-defined]
    template = Template('{% load pictures %}{% picture source "logo" "list" %}')
    return template.render(Context({"source": source, "request": request}))


def stored_logo() -> object:
    from clearinghouse.organisations.models import Organisation

    cleaned = PictureField(required=False).clean(upload(image_bytes((300, 200), "PNG"), "logo.png"))
    organisation = Organisation(name="Logo test")
    organisation.logo.save(cleaned.name, cleaned, save=False)
    return organisation.logo


def test_a_logo_is_shown_as_avif_and_webp_with_a_png_fallback_at_the_size_shown() -> None:
    html = render(stored_logo())
    avif = re.search(r'<source type="image/avif" srcset="(\S+) 1x, (\S+) 2x">', html)
    webp = re.search(r'<source type="image/webp" srcset="(\S+) 1x, (\S+) 2x">', html)
    img = re.search(
        r'<img src="(\S+)" srcset="(\S+) 2x" width="48" height="48" alt="" loading="lazy" decoding="async">',
        html,
    )
    assert avif and webp and img, html
    expected = {
        avif[1]: ("AVIF", 48), avif[2]: ("AVIF", 96),
        webp[1]: ("WEBP", 48), webp[2]: ("WEBP", 96),
        img[1]: ("PNG", 48), img[2]: ("PNG", 96),
    }  # fmt: skip
    for url, (image_format, side) in expected.items():
        assert url.startswith("/media/pictures/renditions/")
        with default_storage.open(url.removeprefix("/media/")) as file:
            rendition = Image.open(file)
            assert (rendition.format, rendition.size) == (image_format, (side, side))


def test_no_picture_in_save_data_mode_nor_without_a_picture() -> None:
    logo = stored_logo()
    assert "<picture" in render(logo)
    assert render(logo, save_data=True) == ""
    assert render(None) == ""


def test_a_picture_whose_file_is_lost_is_left_out_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    logo = stored_logo()
    Path(logo.path).unlink()  # type: ignore[attr-defined]
    assert render(logo) == ""
    assert "not shown" in caplog.text and logo.name in caplog.text  # type: ignore[attr-defined]


def test_renditions_are_served_with_a_years_caching(client: object) -> None:
    html = render(stored_logo())
    url = re.search(r'<img src="(\S+)"', html)[1]  # type: ignore[index]
    response = client.get(url, headers={"Accept-Encoding": "gzip"})  # type: ignore[attr-defined]
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # Already compressed: gzip would cost time and save nothing.
    assert "Content-Encoding" not in response
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    # The uploads themselves, and every other file of the media folder, are not served.
    assert client.get("/media/pictures/originals/logos/x.png").status_code == 404  # type: ignore[attr-defined]
    escaping = client.get("/media/pictures/renditions/../originals/x.png")  # type: ignore[attr-defined]
    assert escaping.status_code in (400, 404)
