"""An organisation's logo: uploaded with its record, shown on its page and in the list at the sizes
shown; a file too large is refused with the reason and nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from clearinghouse.core.testing import World
from clearinghouse.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def logo(size: tuple[int, int] = (300, 300)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGBA", size, (20, 90, 200, 255)).save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def form_values(organisation: Organisation, **extra: object) -> dict[str, object]:
    return {
        "name": organisation.name,
        "name_language": organisation.name_language,
        "type": organisation.type,
        "country": organisation.country.pk if organisation.country else "",
        **extra,
    }


def test_a_logo_sent_with_the_record_is_shown_on_the_page_and_in_the_list(
    client: Client, world: World
) -> None:
    client.force_login(world.secretariat)
    organisation = world.kenyan_ngo
    response = client.post(
        reverse("organisations:update", args=[organisation.pk]), form_values(organisation, logo=logo())
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("pictures/originals/logos/")
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert 'width="96" height="96"' in page and 'type="image/webp"' in page
    listing = client.get(reverse("organisations:list")).content.decode()
    assert 'width="48" height="48"' in listing


@override_settings(PICTURE_MAX_UPLOAD_BYTES=500)
def test_a_logo_too_large_is_refused_and_nothing_is_stored(client: Client, world: World) -> None:
    client.force_login(world.secretariat)
    organisation = world.kenyan_ngo
    response = client.post(
        reverse("organisations:update", args=[organisation.pk]),
        form_values(organisation, logo=logo((1200, 1200))),
    )
    assert response.status_code == 200
    assert "the largest accepted is 500" in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.logo
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))
