"""A partner organisation's editor registers an offer through the pages, as a person would:
fills in the form, submits it; the focal point publishes it; everyone then finds it in the list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.factories import published, terms
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def _form(world: World) -> dict[str, Any]:
    return {
        "owner": f"organisation:{world.kenyan_ngo.pk}",
        "original_language": "fr",
        "title": "Formation à l'identification des espèces envahissantes",
        "description": "<p>Cinq jours à Nairobi.</p>",
        "provider": world.kenyan_ngo.pk,
        "support_types": [term.pk for term in terms("training")],
        "gbf_targets": [term.pk for term in terms("GBF-T6")],
        "eligibility": ["Africa", "TZ"],
        "languages": ["fr", "en"],
        "capacity": "4",
        "period_end": "2099-12-31",
        "value_kind": "in_kind",
        "currency": "",
    }


def test_a_partner_registers_an_offer_and_everyone_sees_it_listed(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    assert client.get("/fr/support/offers/new/").status_code == 200
    response = client.post("/fr/support/offers/new/", _form(world) | {"action": "submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = Offer.objects.get()
    assert offer.state == State.SUBMITTED
    assert offer.identifier.startswith(f"CB-OFFER-{world.kenyan_ngo.code}-")
    assert offer.eligibility == ["Africa", "TZ"]
    assert offer.capacity == 4

    mine = client.get("/fr/support/mine/").content.decode()
    assert offer.identifier in mine

    # The Kenyan focal point reviews organisations based in Kenya.
    client.force_login(world.focal_point)
    client.post(f"/en/records/{offer.identifier}/publish/")
    offer.refresh_from_db()
    assert offer.live

    client.logout()
    listing = client.get("/fr/support/offers/", {"support_type": terms("training")[0].pk}).content.decode()
    assert "Formation à l&#x27;identification" in listing or "Formation à l'identification" in listing
    assert offer.identifier in listing
    other = client.get("/fr/support/offers/", {"support_type": terms("funding")[0].pk}).content.decode()
    assert offer.identifier not in other


def test_the_form_works_as_plain_html_and_a_draft_can_be_saved_incomplete(
    world: World, client: Client
) -> None:
    client.force_login(world.partner_editor)
    page = client.get("/en/support/offers/new/").content.decode()
    assert "<form" in page and 'name="action" value="save"' in page
    response = client.post(
        "/en/support/offers/new/",
        {
            "owner": f"organisation:{world.kenyan_ngo.pk}",
            "original_language": "en",
            "title": "Draft",
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert Offer.objects.get().state == State.DRAFT


def test_people_without_a_role_cannot_register(world: World, client: Client) -> None:
    client.force_login(world.learner)
    assert client.get("/en/support/offers/new/").status_code == 403


def test_lists_make_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    for number in range(12):
        published(Offer, world, sample(Offer, world) | {"title": f"Offer {number}"})
    # The page's queries must not grow with the number of records shown.
    with django_assert_max_num_queries(12):
        assert client.get("/en/support/offers/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/offers/").status_code == 200
