"""Descriptions accept simple formatting, but no script survives a save."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.support.models import Initiative, Offer
from clearinghouse.support.tests.factories import draft, published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")

PAYLOADS = [
    '<p>Training</p><script>alert("x")</script>',
    '<img src="x" onerror="alert(1)"><p>Training</p>',
    '<a href="javascript:alert(1)">Training</a>',
    '<p onclick="steal()">Training</p><iframe src="https://evil.example"></iframe>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_script_survives_a_save(world: World, client: Client, payload: str) -> None:
    record = published(Offer, world, sample(Offer, world) | {"description": payload})
    stored = record.description["en"]
    for danger in ("<script", "onerror", "javascript:", "onclick", "<iframe", "alert"):
        assert danger not in stored.lower(), stored
    assert "Training" in stored
    revision = workflow.latest_revision(record)
    assert revision is not None and "<script" not in str(revision.content).lower()
    page = client.get(record.get_absolute_url()).content.decode()
    assert "alert(" not in page


def test_simple_formatting_and_safe_links_are_kept(world: World) -> None:
    record = draft(
        Initiative,
        world,
        sample(Initiative, world)
        | {
            "results": '<p>Trained <strong>40</strong> officers; <a href="https://example.org/report">report</a>.</p>'
        },
    )
    assert record.results["en"].startswith("<p>Trained <strong>40</strong>")
    assert 'href="https://example.org/report"' in record.results["en"]


def test_web_addresses_are_validated(world: World) -> None:
    with pytest.raises(Exception, match="valid"):
        draft(Initiative, world, sample(Initiative, world) | {"event_links": ["javascript:alert(1)"]})
