"""Every record type has an Atom feed from its registration, in the language asked, with public
records only and no confidential field; every search has one too, with the page's results."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date
from lxml import etree

from clearinghouse.core.testing import World
from clearinghouse.publishing import registry
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.syndication.tests.conftest import Needs

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def entries(content: bytes) -> list[dict[str, str]]:
    root = etree.fromstring(content)
    return [
        {
            "title": entry.findtext("a:title", "", ATOM),
            "summary": entry.findtext("a:summary", "", ATOM),
            "id": entry.findtext("a:id", "", ATOM),
            "link": entry.find("a:link", ATOM).get("href"),
            "author": entry.findtext("a:author/a:name", "", ATOM),
            "categories": " ".join(category.get("term") for category in entry.findall("a:category", ATOM)),
        }
        for entry in root.findall("a:entry", ATOM)
    ]


@pytest.mark.django_db
def test_every_registered_type_has_a_feed(client: Client) -> None:
    feeds = registry.feeds()
    assert len(feeds) == len(registry.record_types())
    named = {"needs", "needs-assessments", "requests-for-assistance", "offers-of-support", "experts"}
    assert named | {"opportunities", "events"} <= set(feeds)
    for name in feeds:
        answer = client.get(f"/feeds/{name}/")
        assert answer.status_code == 200, name
        assert answer["Content-Type"].startswith("application/atom+xml"), name


def test_a_type_keeps_the_richer_feed_it_declares() -> None:
    events = next(record_type for record_type in registry.record_types() if record_type.name == "event")
    assert registry.syndicated(events) is events.feed


@pytest.mark.django_db
def test_the_needs_feed_gives_public_needs_in_the_language_asked_without_contacts(
    needs: Needs, client: Client
) -> None:
    english = client.get("/feeds/needs/")
    shown = {entry["id"]: entry for entry in entries(english.content)}
    assert set(shown) == {
        f"urn:clearinghouse:{record.identifier}" for record in (needs.reefs, needs.mangroves, needs.wetlands)
    }
    reefs = shown[f"urn:clearinghouse:{needs.reefs.identifier}"]
    assert reefs["title"] == "Training in coral reef monitoring"
    assert reefs["author"] == "Kenya"
    assert "Marine and coastal biodiversity" in reefs["categories"]
    assert reefs["link"].endswith(f"/en/needs/{needs.reefs.identifier}/")
    assert b"Salma" not in english.content and b"salma@" not in english.content

    french = {entry["id"]: entry for entry in entries(client.get("/feeds/needs/?lang=fr").content)}
    reefs = french[f"urn:clearinghouse:{needs.reefs.identifier}"]
    assert reefs["title"] == "Formation au suivi des récifs coralliens"
    assert "relevés des récifs" in reefs["summary"]
    assert reefs["link"].endswith(f"/fr/needs/{needs.reefs.identifier}/")

    arabic = client.get("/feeds/needs/?lang=ar")
    assert etree.fromstring(arabic.content).get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    wetlands = {entry["id"]: entry for entry in entries(arabic.content)}[
        f"urn:clearinghouse:{needs.wetlands.identifier}"
    ]
    assert wetlands["title"] == "رصد الأراضي الرطبة"
    assert (
        wetlands["author"] == "جمهورية تنزانيا المتحدة" or wetlands["author"] != "United Republic of Tanzania"
    )


@pytest.mark.django_db
def test_markup_in_a_record_is_shown_as_text_in_the_feed(needs: Needs, client: Client) -> None:
    mangroves = {entry["id"]: entry for entry in entries(client.get("/feeds/needs/").content)}[
        f"urn:clearinghouse:{needs.mangroves.identifier}"
    ]
    # The summary is HTML to feed readers: the record's own markup arrives escaped, as text.
    assert "&lt;b&gt;replant&lt;/b&gt;" in mangroves["summary"] and "<b>" not in mangroves["summary"]


@pytest.mark.django_db
def test_a_feed_answers_304_while_unchanged_and_200_once_a_record_leaves_it(
    needs: Needs, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    first = client.get("/feeds/needs/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    assert client.get("/feeds/needs/", headers={"if-none-match": first["ETag"]}).status_code == 304
    since = client.get("/feeds/needs/", headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304

    from clearinghouse.publishing import workflow

    with django_capture_on_commit_callbacks(execute=True):
        workflow.archive(needs.mangroves, actor=None)
    changed = client.get("/feeds/needs/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert needs.mangroves.identifier.encode() not in changed.content
    assert http_date(0) != changed["Last-Modified"]


@pytest.mark.django_db
def test_the_search_page_offers_a_feed_of_its_search_with_the_same_results(
    needs: Needs, client: Client
) -> None:
    page = client.get("/en/search/", {"q": "reef", "party": "KE"})
    feed_url = page.context["feed_url"]
    assert feed_url.startswith("/feeds/search/?") and "lang=en" in feed_url and "party=KE" in feed_url
    html = page.content.decode()
    assert 'type="application/atom+xml"' in html and "Subscribe (Atom)" in html

    answer = client.get(feed_url)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/atom+xml")
    found = [entry["id"].removeprefix("urn:clearinghouse:") for entry in entries(answer.content)]
    expected = service.search(
        SearchQuery(text="reef", filters={"party": ["KE"]}, sort="newest", page_size=50)
    )
    assert found == [hit.key for hit in expected.hits]
    assert needs.reefs.identifier in found and needs.wetlands.identifier not in found


def test_the_search_page_offers_the_same_search_as_json_ld(needs: Needs, client: Client) -> None:
    page = client.get("/fr/search/", {"q": "reef", "party": "KE"})
    url = page.context["linked_data_url"]
    assert url.startswith("/feeds/search.jsonld?") and "lang=fr" in url and "party=KE" in url
    assert f'type="application/ld+json" href="{url.replace("&", "&amp;")}"' in page.content.decode()

    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/ld+json")
    data = json.loads(answer.content)
    assert data["@type"] == "SearchResultsPage" and data["inLanguage"] == "fr"
    items = data["mainEntity"]["itemListElement"]
    expected = service.search(
        SearchQuery(text="reef", filters={"party": ["KE"]}, sort="newest", page_size=50, language="fr")
    )
    assert [item["identifier"] for item in items] == [hit.key for hit in expected.hits]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    assert needs.reefs.identifier in [item["identifier"] for item in items]
    assert all(item["url"].startswith("http://testserver/") for item in items)
    # Unchanged, it revalidates.
    again = client.get(url, HTTP_IF_NONE_MATCH=answer["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_feed_of_every_record_lists_the_newest_first_in_the_language_asked(
    needs: Needs, client: Client
) -> None:
    answer = client.get("/feeds/search/", {"record_type": "need", "lang": "fr"})
    listed = {entry["id"].removeprefix("urn:clearinghouse:"): entry for entry in entries(answer.content)}
    newest = service.search(SearchQuery(filters={"record_type": ["need"]}, sort="newest", language="fr"))
    assert list(listed) == [hit.key for hit in newest.hits]
    assert set(listed) == {needs.reefs.identifier, needs.mangroves.identifier, needs.wetlands.identifier}
    reefs = listed[needs.reefs.identifier]
    assert reefs["title"] == "Formation au suivi des récifs coralliens"
    # Search keeps no page address for needs: the stable one, which opens in the reader's language.
    assert reefs["link"].endswith(f"/r/{needs.reefs.identifier}")


@pytest.mark.django_db
def test_list_pages_announce_their_feeds_in_their_language(client: Client) -> None:
    needs_page = client.get("/fr/needs/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in needs_page
    assert 'href="/feeds/needs/?lang=fr"' in needs_page
    assert 'href="/feeds/requests-for-assistance/?lang=fr"' in needs_page
    assert 'href="/feeds/experts/?lang=ar"' in client.get("/ar/support/experts/").content.decode()
    assert 'href="/feeds/faq/?lang=en"' in client.get("/en/helpdesk/faq/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_readers_feed_stays_private_and_revalidates(
    needs: Needs, client: Client, world: World
) -> None:
    client.force_login(world.outsider)
    first = client.get("/feeds/needs/")
    assert "private" in first["Cache-Control"] and "X-Accel-Expires" not in first
    assert client.get("/feeds/needs/", headers={"if-none-match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_the_public_api_answers_304_while_the_record_is_unchanged(needs: Needs, client: Client) -> None:
    address = reverse("api:record", args=[needs.reefs.identifier])
    first = client.get(address)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(address, headers={"if-none-match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_a_feed_and_a_sitemap_section_cost_a_fixed_number_of_queries(
    needs: Needs, client: Client, django_assert_max_num_queries: Any
) -> None:
    # The records, their owners joined and their terms prefetched (one query per term field),
    # and the type's last change: whatever the number of records.
    with django_assert_max_num_queries(12):
        client.get("/feeds/needs/")
    with django_assert_max_num_queries(6):
        client.get("/sitemap-need.xml")
