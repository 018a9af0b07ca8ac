"""An organiser gives an event a picture, shown on its page and in the list; a bad file is refused
with the reason and nothing is stored; an outsider cannot change it."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests import factories

pytestmark = pytest.mark.django_db


def photo(image_format: str = "JPEG", size: tuple[int, int] = (1280, 720)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", size, (200, 90, 20)).save(out, image_format)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_an_organiser_gives_the_event_a_picture_shown_on_its_page_and_in_the_list(
    client: Client, world: World, vocabularies: None
) -> None:
    event = factories.published(world)
    client.force_login(world.focal_point)
    response = client.post(reverse("events:picture", args=[event.identifier]), {"picture": photo()})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.picture.name.startswith("pictures/originals/events/")

    page = client.get(event.get_absolute_url()).content.decode()
    assert '<source type="image/avif"' in page and 'width="640" height="360"' in page
    listing = client.get(reverse("events:list")).content.decode()
    assert 'width="160" height="90"' in listing
    # In save-data mode the page keeps its title and loses the picture.
    light = client.get(event.get_absolute_url(), headers={"Save-Data": "on"}).content.decode()
    assert "<picture" not in light


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored(
    client: Client, world: World, vocabularies: None
) -> None:
    event = factories.published(world)
    client.force_login(world.focal_point)
    gif = photo("GIF", (200, 200))
    response = client.post(reverse("events:picture", args=[event.identifier]), {"picture": gif})
    assert response.status_code == 200
    assert "Send a JPEG, PNG or WebP picture; this file is not one." in response.content.decode()
    event.refresh_from_db()
    assert not event.picture
    assert stored_files() == []


def test_the_picture_can_be_removed(client: Client, world: World, vocabularies: None) -> None:
    event = factories.published(world)
    client.force_login(world.focal_point)
    client.post(reverse("events:picture", args=[event.identifier]), {"picture": photo()})
    client.post(reverse("events:picture", args=[event.identifier]), {"remove": "on"})
    assert not Event.objects.get(pk=event.pk).picture


def test_someone_who_does_not_organise_the_event_cannot_change_its_picture(
    client: Client, world: World, vocabularies: None
) -> None:
    event = factories.published(world)
    client.force_login(world.other_focal_point)
    response = client.post(reverse("events:picture", args=[event.identifier]), {"picture": photo()})
    assert response.status_code == 403
    assert not Event.objects.get(pk=event.pk).picture
