"""A national webmaster picks a widget on /<lang>/widgets/ and copies its line of HTML: a plain
GET form, with a preview, in every language."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from clearinghouse.core.testing import World

pytestmark = pytest.mark.django_db


def _snippet(body: str) -> str:
    found = re.search(r"<textarea[^>]*>(.*?)</textarea>", body, re.DOTALL)
    assert found is not None
    return html.unescape(found.group(1))


def test_the_first_visit_offers_kenyas_records_in_the_readers_language(client: Client, world: World) -> None:
    body = client.get("/fr/widgets/").content.decode()

    assert _snippet(body) == (
        '<iframe src="http://testserver/widgets/records/?lang=fr&amp;country=KE" '
        'title="Fiches de renforcement des capacités" width="100%" height="450" '
        'style="border:0" loading="lazy"></iframe>'
    )
    # The preview is the widget itself.
    assert '<iframe src="http://testserver/widgets/records/?lang=fr&amp;country=KE"' in body


def test_the_choices_made_go_into_the_line_and_the_defaults_stay_out(client: Client, world: World) -> None:
    body = client.get(
        "/en/widgets/",
        {
            "kind": "courses",
            "country": "TZ",
            "lang": "zh",
            "type": "need",
            "count": "8",
            "accent": "#0b5d3b",
            "background": "#fafafa",
            "text": "#1b1b1b",
            "compact": "on",
        },
    ).content.decode()

    snippet = _snippet(body)
    assert (
        'src="http://testserver/widgets/courses/?lang=zh&amp;country=TZ&amp;count=8&amp;background=%23fafafa&amp;compact=1"'
        in snippet
    )
    assert "type=" not in snippet  # a course catalogue has no record type
    assert "http://testserver/widgets/courses.json?lang=zh&amp;country=TZ" in body


def test_the_generator_in_arabic_reads_right_to_left(client: Client, world: World) -> None:
    body = client.get("/ar/widgets/").content.decode()

    assert 'dir="rtl"' in body
    assert "أدوات مضمّنة للمواقع الوطنية" in body
    assert "lang=ar" in _snippet(body)


def test_a_bad_choice_is_refused_with_the_form_and_no_snippet(client: Client, world: World) -> None:
    response = client.get("/en/widgets/", {"kind": "records", "accent": "red;}</style>", "count": "99"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "Give a colour as #rgb or #rrggbb, for example #0b5d3b." in body
    assert "<textarea" not in body
    assert "red;}</style>" not in body


def test_the_footer_of_every_page_links_the_generator(client: Client, world: World) -> None:
    assert 'href="/es/widgets/"' in client.get("/es/").content.decode()


def test_the_frames_title_is_in_the_widgets_language_and_the_kind_defaults_to_records(
    client: Client, world: World
) -> None:
    events = _snippet(
        client.get("/en/widgets/", {"kind": "events", "lang": "ar", "country": "KE"}).content.decode()
    )
    assert 'title="الفعاليات القادمة"' in events

    records = _snippet(client.get("/en/widgets/", {"country": "TZ", "lang": "ru"}).content.decode())
    assert "/widgets/records/?lang=ru&amp;country=TZ" in records
