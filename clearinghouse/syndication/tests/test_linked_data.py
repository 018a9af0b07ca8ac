"""Every record type is described in schema.org JSON-LD from its registration: embedded in the
record's page, safely, and served as application/ld+json at /r/<identifier>.jsonld."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events.tests.factories import published as published_event
from clearinghouse.publishing import linked_data, registry
from clearinghouse.syndication.tests.conftest import Needs

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def embedded(html: str) -> list[dict[str, Any]]:
    return [json.loads(body) for body in SCRIPT.findall(html)]


@pytest.mark.django_db
def test_a_need_page_carries_its_description_in_the_readers_language(needs: Needs, client: Client) -> None:
    page = client.get(f"/fr/needs/{needs.reefs.identifier}/")
    [data] = embedded(page.content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert data["name"] == "Formation au suivi des récifs coralliens"
    assert data["identifier"] == needs.reefs.identifier
    assert data["url"].endswith(f"/fr/needs/{needs.reefs.identifier}/")
    assert data["inLanguage"] == "en"
    assert data["spatialCoverage"] == {"@type": "Country", "identifier": "KE", "name": "Kenya"}
    assert {"SUBJ-MARINE-COASTAL"} <= {term["termCode"] for term in data["about"]}
    assert data["dateModified"]
    assert "Salma" not in json.dumps(data)


@pytest.mark.django_db
def test_a_closing_script_tag_in_a_title_cannot_end_the_data_block(needs: Needs, client: Client) -> None:
    html = client.get(f"/en/needs/{needs.mangroves.identifier}/").content.decode()
    assert "</script><script>alert(1)" not in html
    [data] = embedded(html)
    assert data["name"] == "Mangrove restoration </script><script>alert(1)</script>"


@pytest.mark.django_db
def test_the_description_is_served_as_json_ld_for_public_records_only(needs: Needs, client: Client) -> None:
    answer = client.get(f"/r/{needs.wetlands.identifier}.jsonld", {"lang": "ar"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/ld+json; charset=utf-8"
    data = json.loads(answer.content)
    assert data["name"] == "رصد الأراضي الرطبة" and "/ar/needs/" in data["url"]
    assert client.get(f"/r/{needs.wetlands.identifier}", {"format": "jsonld"}).status_code == 200
    assert client.get(f"/r/{needs.archived.identifier}.jsonld").status_code == 404
    assert client.get(f"/r/{needs.draft.identifier}.jsonld").status_code == 404
    # Its ETag and Last-Modified let a crawler ask again cheaply.
    again = client.get(
        f"/r/{needs.wetlands.identifier}.jsonld", {"lang": "ar"}, headers={"if-none-match": answer["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.django_db
def test_a_draft_page_carries_no_description(needs: Needs, world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    html = client.get(f"/en/needs/{needs.draft.identifier}/").content.decode()
    assert embedded(html) == []


@pytest.mark.django_db
def test_an_event_adds_its_dates_and_place_to_the_shared_description(world: World, client: Client) -> None:
    event = published_event(world)
    [data] = embedded(client.get(event.get_absolute_url()).content.decode())
    assert data["@type"] == "Event"
    assert data["identifier"] == event.identifier
    assert data["startDate"] and data["eventAttendanceMode"].startswith("https://schema.org/")
    assert linked_data.describe(event)["startDate"] == data["startDate"]


def test_every_type_is_described_as_a_schema_org_type() -> None:
    types = {record_type.name: record_type.schema_type for record_type in registry.record_types()}
    assert types["event"] == "Event" and types["course"] == "Course" and types["expert"] == "Person"
    assert types["opportunity"] == "Grant" and types["provider"] == "Organization"
    assert all(types.values())


@pytest.mark.django_db
def test_record_pages_with_their_data_block_keep_their_etag(
    needs: Needs, world: World, client: Client
) -> None:
    # The data block carries no CSP nonce, so the page can still be revalidated.
    event = published_event(world)
    for address in (f"/en/needs/{needs.reefs.identifier}/", event.get_absolute_url()):
        first = client.get(address)
        assert first.status_code == 200 and first.has_header("ETag"), address
        assert client.get(address, headers={"if-none-match": first["ETag"]}).status_code == 304, address
