"""A rich text (an offer's description, sanitised HTML) reaches feeds, JSON-LD and Dublin Core as
its words: its markup is neither shown as tags nor passed on as HTML of the record's own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from clearinghouse.core.testing import World
from clearinghouse.matching.tests.records import publish_support
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.samples import sample
from clearinghouse.syndication import oai


@pytest.fixture
def offer(world: World, vocabularies: None, django_capture_on_commit_callbacks: Any) -> Offer:
    return publish_support(django_capture_on_commit_callbacks, Offer, world, sample(Offer, world))


@pytest.mark.django_db
def test_an_offers_rich_description_is_given_as_its_words(offer: Offer, client: Client) -> None:
    feed = etree.fromstring(client.get("/feeds/offers-of-support/").content)
    [summary] = feed.findall("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.text == "<p>Five days, in Nairobi.</p>"

    data = json.loads(client.get(f"/r/{offer.identifier}.jsonld").content)
    assert data["@type"] == "Service" and data["description"] == "Five days, in Nairobi."
    assert data["publisher"] == {"@type": "GovernmentOrganization", "name": "Kenya"}

    answer = client.get(
        "/oai",
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": f"oai:{oai.host()}:{offer.identifier}",
        },
    )
    descriptions = etree.fromstring(answer.content).findall(f".//{{{oai.DC}}}description")
    assert [element.text for element in descriptions] == ["Five days, in Nairobi."]
