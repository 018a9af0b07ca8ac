"""The sitemap: an index of a section per record type and one of the main pages, each address in
the six languages with its alternates; public records only."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from clearinghouse.publishing import registry
from clearinghouse.syndication.tests.conftest import Needs

SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.mark.django_db
def test_the_index_lists_a_section_per_record_type_and_the_pages(client: Client) -> None:
    answer = client.get("/sitemap.xml")
    assert answer.status_code == 200
    locations = [element.text for element in etree.fromstring(answer.content).findall("s:sitemap/s:loc", SM)]
    assert any(location.endswith("/sitemap-pages.xml") for location in locations)
    for record_type in registry.record_types():
        assert any(location.endswith(f"/sitemap-{record_type.name}.xml") for location in locations)


@pytest.mark.django_db
def test_a_section_lists_public_records_in_six_languages_with_alternates(
    needs: Needs, client: Client
) -> None:
    answer = client.get("/sitemap-need.xml")
    assert answer.status_code == 200
    root = etree.fromstring(answer.content)
    locations = [element.text for element in root.findall("s:url/s:loc", SM)]
    for prefix in ("en", "fr", "es", "ar", "ru", "zh"):
        assert any(f"/{prefix}/needs/{needs.reefs.identifier}/" in location for location in locations), prefix
    assert not any(needs.archived.identifier in location for location in locations)
    assert not any(needs.draft.identifier in location for location in locations)
    first = root.find("s:url", SM)
    languages = {link.get("hreflang") for link in first.findall("x:link", SM)}
    assert {"en", "fr", "es", "ar", "ru", "zh-hans", "x-default"} <= languages
    assert first.findtext("s:lastmod", "", SM)
    assert client.get("/sitemap-need.xml", headers={"if-none-match": answer["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_the_pages_section_names_the_main_public_pages(client: Client) -> None:
    content = client.get("/sitemap-pages.xml").content.decode()
    assert "/en/search/" in content and "/ar/search/" in content
    assert client.get("/sitemap-nothing.xml").status_code == 404
