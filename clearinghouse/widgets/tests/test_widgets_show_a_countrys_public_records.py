"""Each kind of widget shows a country's public records, in the language asked for, as a page for
an iframe and as JSON; drafts, other countries' records, past events and confidential details never."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clearinghouse.core.testing import World
from clearinghouse.geo.models import Country, Region
from clearinghouse.widgets.tests.scene import (
    DRAFT_TITLE,
    EVENT_CONTACT,
    NEED_CONTACT,
    PAST_TITLE,
    TANZANIAN_TITLE,
    TRANSLATED_TITLES,
    Scene,
)

pytestmark = pytest.mark.django_db

NEVER_SHOWN = (DRAFT_TITLE, TANZANIAN_TITLE, NEED_CONTACT, EVENT_CONTACT, "Awa")


def _text(response: Any) -> str:
    return response.content.decode()


def _never_shown(body: str) -> None:
    for text in NEVER_SHOWN:
        assert text not in body


def test_the_records_widget_lists_kenyas_public_records_of_every_type(client: Client, scene: Scene) -> None:
    response = client.get("/widgets/records/", {"country": "KE", "lang": "en"})

    assert response.status_code == 200
    body = _text(response)
    assert '<html lang="en" dir="ltr">' in body
    assert "Training customs officers on invasive species" in body
    assert "Training of trainers on invasive alien species" in body
    # A record, unlike the calendar, includes events that are over.
    assert PAST_TITLE in body
    assert f'href="http://testserver/r/{scene.need.identifier}"' in body
    _never_shown(body)


def test_one_type_of_record_is_chosen_by_its_name_in_the_registry(client: Client, scene: Scene) -> None:
    body = _text(client.get("/widgets/records/", {"country": "KE", "type": "need"}))

    assert "Training customs officers on invasive species" in body
    assert "Training of trainers on invasive alien species" not in body


def test_the_event_calendar_in_arabic_reads_right_to_left_with_the_arabic_title(
    client: Client, scene: Scene
) -> None:
    response = client.get("/widgets/events/", {"country": "KE", "lang": "ar"})

    assert response.status_code == 200
    body = _text(response)
    assert '<html lang="ar" dir="rtl">' in body
    assert TRANSLATED_TITLES["ar"] in body
    assert "الفعاليات القادمة" in body  # "Upcoming events"
    assert f"http://testserver/ar/events/{scene.event.identifier}/" in body
    assert response["Content-Language"] == "ar"
    assert PAST_TITLE not in body
    _never_shown(body)


def test_the_event_calendar_in_french_and_by_subject(client: Client, scene: Scene) -> None:
    body = _text(
        client.get(
            "/widgets/events/", {"country": "KE", "lang": "fr", "topic": "SUBJ-INVASIVE-ALIEN-SPECIES"}
        )
    )
    assert TRANSLATED_TITLES["fr"] in body
    assert '<html lang="fr" dir="ltr">' in body

    other = _text(client.get("/widgets/events/", {"country": "KE", "topic": "SUBJ-PROTECTED-AREAS"}))
    assert "Training of trainers" not in other


def test_events_of_a_region_include_those_of_its_countries_at_every_level(
    client: Client, scene: Scene, world: World
) -> None:
    # The M49 regions as loadreference gives them; the test world's countries have none.
    africa = Region.objects.create(code="002", level=Region.Level.REGION, names={"en": "Africa"})
    eastern = Region.objects.create(
        code="014", level=Region.Level.SUBREGION, parent=africa, names={"en": "Eastern Africa"}
    )
    Country.objects.filter(pk=world.kenya.pk).update(region=africa, subregion=eastern)

    for code in ("002", "014"):
        body = _text(client.get("/widgets/events/", {"region": code}))
        assert "Training of trainers on invasive alien species" in body
        assert TANZANIAN_TITLE not in body


def test_the_course_catalogue_in_english_and_arabic(client: Client, scene: Scene) -> None:
    english = _text(client.get("/widgets/courses/", {"country": "KE", "lang": "en"}))
    arabic = _text(client.get("/widgets/courses/", {"country": "KE", "lang": "ar"}))

    assert "Invasive species" in english and "An introduction." in english
    assert "الأنواع الغازية" in arabic and 'dir="rtl"' in arabic
    assert f"http://testserver/ar/learning/courses/{scene.course.identifier}/" in arabic
    # Tanzania offers no course.
    assert "Nothing to show yet." in _text(client.get("/widgets/courses/", {"country": "TZ"}))


def test_the_search_box_shows_matching_records_inside_the_frame(client: Client, scene: Scene) -> None:
    empty = _text(client.get("/widgets/search/", {"country": "KE", "lang": "es", "accent": "#c00"}))
    assert 'name="q"' in empty and '<html lang="es"' in empty
    # The frame's own form keeps the website's parameters.
    assert '<input type="hidden" name="accent" value="#c00">' in empty

    found = _text(client.get("/widgets/search/", {"country": "KE", "q": "customs"}))
    assert "Training customs officers on invasive species" in found
    nothing = _text(client.get("/widgets/search/", {"country": "TZ", "q": "customs"}))
    assert "No records match your search." in nothing


def test_the_json_gives_the_same_list_with_absolute_links(client: Client, scene: Scene) -> None:
    response = client.get("/widgets/events.json", {"country": "KE", "lang": "ar", "count": "3"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["kind"] == "events"
    assert data["language"] == "ar"
    assert data["country"]["code"] == "KE"
    assert data["more"] == "http://testserver/ar/events/"
    [item] = data["items"]
    assert set(item) == {
        "identifier",
        "type",
        "type_label",
        "title",
        "title_language",
        "url",
        "date",
        "date_text",
        "place",
        "summary",
    }
    assert item["identifier"] == scene.event.identifier
    assert item["type"] == "event"
    assert item["title"] == TRANSLATED_TITLES["ar"]
    assert item["title_language"] == "ar"
    assert item["url"] == f"http://testserver/ar/events/{scene.event.identifier}/"
    _never_shown(response.content.decode())


def test_every_kind_answers_in_json(client: Client, scene: Scene) -> None:
    for kind, expected in (("records", 3), ("events", 1), ("courses", 1), ("search", 0)):
        data = json.loads(client.get(f"/widgets/{kind}.json", {"country": "KE"}).content)
        assert len(data["items"]) == expected, kind
    searched = json.loads(client.get("/widgets/search.json", {"country": "KE", "q": "customs"}).content)
    assert [item["identifier"] for item in searched["items"]] == [scene.need.identifier]


def test_the_number_of_items_is_the_one_asked_for(client: Client, scene: Scene) -> None:
    data = json.loads(client.get("/widgets/records.json", {"country": "KE", "count": "1"}).content)
    assert len(data["items"]) == 1


def test_an_unknown_kind_is_not_found(client: Client, db: None) -> None:
    assert client.get("/widgets/people/").status_code == 404
    assert client.get("/widgets/people.json").status_code == 404


# A search reads the index as the search page does (expansion, ranking, meaning): more queries,
# but as few for twenty items as for one.
@pytest.mark.parametrize(("kind", "most"), [("records", 8), ("events", 4), ("courses", 4), ("search", 20)])
def test_a_widget_reads_a_bounded_number_of_queries(
    client: Client, scene: Scene, kind: str, most: int
) -> None:
    read = []
    for count in ("1", "20", "20"):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(
                    f"/widgets/{kind}/", {"country": "KE", "count": count, "q": "training"}
                ).status_code
                == 200
            )
        read.append(len(queries))
    # The first request also fills caches (the registry's labels, the matching catalogues).
    assert read[2] <= most
    assert read[2] <= read[0]


def test_chinese_is_asked_for_as_zh_and_links_to_the_chinese_pages(client: Client, scene: Scene) -> None:
    body = _text(client.get("/widgets/events/", {"country": "KE", "lang": "zh"}))

    assert '<html lang="zh-Hans" dir="ltr">' in body
    assert "即将举行的活动" in body
    assert f"http://testserver/zh/events/{scene.event.identifier}/" in body
