"""The needs list and /api/v1/needs/ read the same filters, with the same values (codes)."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")


def _published_need(world: World) -> Need:
    need = workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values(
            "en", "Training customs officers", "Invasive alien species at the border"
        ),
    )
    workflow.submit(need, actor=world.authorised_user)
    return workflow.publish(need, actor=world.focal_point)


def _listed(client: Client, query: dict[str, str]) -> tuple[bool, int]:
    """Whether the page lists the need, and how many needs the API finds, for one query."""
    page = client.get("/en/needs/", query).content.decode()
    return "Training customs officers" in page, client.get("/api/v1/needs/", query).json()["count"]


def test_the_page_and_the_api_find_the_same_needs_by_code(world: World, client: Client) -> None:
    _published_need(world)
    assert _listed(client, {"party": "KE", "target": "GBF-T6", "support_type": "training"}) == (True, 1)
    assert _listed(client, {"party": "TZ"}) == (False, 0)
    assert _listed(client, {"priority": "low"}) == (False, 0)


def test_a_code_that_names_nothing_finds_nothing_rather_than_failing(world: World, client: Client) -> None:
    _published_need(world)
    assert _listed(client, {"target": "GBF-T99"}) == (False, 0)
    assert client.get("/api/v1/needs/", {"party": "XX"}).status_code == 200
    # A number too long to be an id is no id either (it would overflow the database's column).
    assert _listed(client, {"subject": "9" * 30}) == (False, 0)


def test_the_page_offers_codes_and_still_reads_the_numbers_of_older_links(
    world: World, client: Client
) -> None:
    _published_need(world)
    page = client.get("/en/needs/").content.decode()
    assert '<option value="GBF-T6"' in page
    target = Term.objects.get(code="GBF-T6")
    assert _listed(client, {"target": str(target.pk)}) == (True, 1)
