"""A bulk export shows what its reader could see on the record pages and in the API: an expert's
name, e-mail and biography only with the expert's consent, contact details only when the owner
made them public; the owners, the reviewers and the help desk see everything."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import exchange, registry
from clearinghouse.support.models import Expert, Offer, Provider, SupportRecord
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")

_SECRETS = {
    Expert: ["name", "email", "biography.en"],
    Provider: ["contact_name", "contact_email"],
    Offer: ["contact_email"],
}
_CONSENT = {Expert: {"consent_to_publish": True}, Provider: {"contact_public": True}}


def _exported(client: Client, model: type[SupportRecord], format_name: str) -> dict[str, str]:
    response = client.get(f"/en/support/{model.SLUG}/export/", {"format": format_name})
    assert response.status_code == 200
    [row] = exchange.read(registry.of(model), response.content, format_name)
    return row


@pytest.mark.parametrize("format_name", exchange.FORMATS)
@pytest.mark.parametrize("model", [Expert, Provider, Offer])
def test_the_public_export_leaves_confidential_fields_empty(
    world: World, client: Client, model: type[SupportRecord], format_name: str
) -> None:
    values = sample(model, world)
    published(model, world, values)
    row = _exported(client, model, format_name)
    assert all(row.get(column, "") == "" for column in _SECRETS[model]), row
    # The rest of the record is there.
    assert row["title.en"] == values["title"]
    # Someone signed in without a role on the record sees no more than the public.
    client.force_login(world.outsider)
    row = _exported(client, model, format_name)
    assert all(row.get(column, "") == "" for column in _SECRETS[model]), row


@pytest.mark.parametrize("model", [Expert, Provider])
def test_consent_makes_them_public(world: World, client: Client, model: type[SupportRecord]) -> None:
    values: dict[str, Any] = sample(model, world) | _CONSENT[model]
    published(model, world, values)
    row = _exported(client, model, "csv")
    assert all(row[column] for column in _SECRETS[model]), row


@pytest.mark.parametrize("reader", ["authorised_user", "focal_point", "secretariat", "helpdesk_agent"])
def test_owners_reviewers_and_the_help_desk_see_everything(world: World, client: Client, reader: str) -> None:
    published(Expert, world, sample(Expert, world))
    client.force_login(getattr(world, reader))
    row = _exported(client, Expert, "json")
    assert (row["name"], row["email"]) == ("Otieno Odhiambo", "otieno@example.org")


def test_the_expert_sees_their_own_profile_in_full(world: World, client: Client) -> None:
    expert = published(Expert, world, sample(Expert, world))
    Expert.objects.filter(pk=expert.pk).update(expert_user=world.learner)
    client.force_login(world.learner)
    response = client.get("/en/support/experts/export/", {"format": "csv", "mine": "1"})
    [row] = exchange.read(registry.of(Expert), response.content, "csv")
    assert row["email"] == "otieno@example.org"
