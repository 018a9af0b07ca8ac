"""In Chromium, in Arabic and English: an organisation's logo arrives as AVIF at the size shown;
the footer's switch turns save-data mode on (no picture, no htmx, the indicator) and off again,
without JavaScript too."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from playwright.sync_api import expect

from clearinghouse.core.pictures import clean_picture
from clearinghouse.core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _give_logo(organisation: Any) -> None:
    out = BytesIO()
    Image.new("RGB", (400, 400), (11, 93, 59)).save(out, "PNG")
    cleaned = clean_picture(SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png"))
    organisation.logo.save(cleaned.name, cleaned)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_pictures_come_as_avif_and_the_switch_leaves_them_out(
    chromium: Any, live_server: Any, tmp_path: Path, language: str
) -> None:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        world = build_world()
        _give_logo(world.kenyan_ngo)
        page_address = f"{live_server.url}/{language}/organisations/{world.kenyan_ngo.pk}/"
        for javascript in (True, False):
            context = chromium.new_context(java_script_enabled=javascript)
            page = context.new_page()
            page.goto(page_address)
            if javascript:
                image = page.locator("picture img")
                image.wait_for()
                expect(image).to_have_js_property("complete", True)
                assert image.evaluate("img => img.currentSrc").endswith(".avif")
                assert image.evaluate("img => [img.naturalWidth, img.width]") == [96, 96]
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

            page.locator(".save-data-switch button").click()
            page.wait_for_load_state()
            assert page.url == page_address
            assert page.locator("picture").count() == 0
            assert page.locator(".save-data-on").is_visible()
            assert page.locator("script[src*=htmx]").count() == 0

            page.locator(".save-data-on button").click()
            page.wait_for_load_state()
            assert page.locator("picture").count() == 1
            assert page.locator(".save-data-on").count() == 0
            context.close()
