"""The owners of a support record add its texts in one more language through the shared
translation page: the original beside each field, saved as a draft revision."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.factories import draft
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_an_owner_translates_an_offer_into_spanish(world: World, client: Client) -> None:
    offer = draft(Offer, world, sample(Offer, world))
    client.force_login(world.authorised_user)
    url = f"/en/support/translate/{offer.identifier}/es/"
    page = client.get(url).content.decode()
    # The English original stands beside the field to translate.
    assert "Training of trainers on invasive species identification" in page
    response = client.post(
        url,
        {"base_revision": offer.revision_number, "title": "Formación de formadores en especies invasoras"},
    )
    assert response.status_code == 302
    assert response["Location"] == offer.get_absolute_url()
    working, _many = workflow.working_copy(Offer.objects.get(pk=offer.pk))
    assert working.title["es"] == "Formación de formadores en especies invasoras"
    assert working.title["en"] == "Training of trainers on invasive species identification"


def test_the_original_language_and_outsiders_are_turned_away(world: World, client: Client) -> None:
    offer = draft(Offer, world, sample(Offer, world))
    client.force_login(world.authorised_user)
    assert client.get(f"/en/support/translate/{offer.identifier}/en/").status_code == 404
    client.force_login(world.outsider)
    assert client.get(f"/en/support/translate/{offer.identifier}/es/").status_code == 403
