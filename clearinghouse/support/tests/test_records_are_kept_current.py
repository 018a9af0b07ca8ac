"""Owners confirm each record once a year; they get one reminder digest each, in their own
language; records neither confirmed nor published for two years are flagged stale in the
pages, the API and search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from clearinghouse.accounts.models import Role
from clearinghouse.accounts.services import appoint
from clearinghouse.core.testing import World
from clearinghouse.search.records import document
from clearinghouse.support import maintenance, tasks
from clearinghouse.support.models import Offer, Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def _age(record: Offer | Resource, days: int) -> None:
    """As if the record had been published ``days`` days ago."""
    moment = timezone.now() - timedelta(days=days)
    type(record).objects.filter(pk=record.pk).update(last_published_at=moment, first_published_at=moment)
    record.refresh_from_db()


def test_a_record_unconfirmed_for_two_years_is_stale_everywhere(world: World, client: Client) -> None:
    offer = published(Offer, world, sample(Offer, world))
    fresh = published(Offer, world, sample(Offer, world) | {"title": "Fresh offer"})
    _age(offer, 800)
    assert offer.stale and not fresh.stale
    assert "stale" in document(offer).facets["status"]
    assert "stale" not in document(fresh).facets["status"]

    body = client.get("/api/v1/offers/", {"status": "stale"}).json()
    assert [item["identifier"] for item in body["results"]] == [offer.identifier]
    assert client.get(f"/api/v1/offers/{offer.identifier}/").json()["stale"] is True
    listing = client.get("/en/support/offers/", {"status": "stale"}).content.decode()
    assert offer.identifier in listing and fresh.identifier not in listing
    assert offer.identifier in maintenance.newly_stale(timezone.now() + timedelta(days=0), days=800)


def test_the_confirm_button_makes_a_stale_record_current_again(world: World, client: Client) -> None:
    offer = published(Offer, world, sample(Offer, world))
    _age(offer, 800)
    client.force_login(world.other_focal_point)
    client.post(f"/en/support/confirm/{offer.identifier}/")
    offer.refresh_from_db()
    assert offer.confirmed_at is None, "only the owners confirm"

    client.force_login(world.authorised_user)
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "Confirm it is still accurate" in page
    client.post(f"/en/support/confirm/{offer.identifier}/")
    offer.refresh_from_db()
    assert offer.confirmed_at is not None and not offer.stale


def test_each_owner_gets_one_digest_a_year_in_their_language(world: World) -> None:
    appoint(actor=None, user=world.trainer, role=Role.AUTHORISED_USER, country=world.kenya)  # French speaker
    offer = published(Offer, world, sample(Offer, world))
    resource = published(Resource, world, sample(Resource, world))
    recent = published(Offer, world, sample(Offer, world) | {"title": "Recent"})
    _age(offer, 400)
    _age(resource, 500)
    mail.outbox.clear()

    sent = tasks.remind_owners.call_local()
    kenyans = {world.focal_point.email, world.authorised_user.email, world.trainer.email}
    assert sent == 3
    assert {message.to[0] for message in mail.outbox} == kenyans
    digest = next(message for message in mail.outbox if message.to == [world.authorised_user.email])
    assert offer.identifier in digest.body and resource.identifier in digest.body
    assert recent.identifier not in digest.body
    assert f"/en/support/offers/{offer.identifier}/" in digest.body
    french = next(message for message in mail.outbox if message.to == [world.trainer.email])
    assert f"/fr/support/offers/{offer.identifier}/" in french.body

    # Reminded once: the next run sends nothing until a year has passed.
    mail.outbox.clear()
    assert tasks.remind_owners.call_local() == 0
    assert mail.outbox == []


def test_a_confirmed_record_is_not_reminded(world: World) -> None:
    offer = published(Offer, world, sample(Offer, world))
    _age(offer, 400)
    Offer.objects.filter(pk=offer.pk).update(confirmed_at=timezone.now() - timedelta(days=10))
    assert maintenance.due_for_reminder() == []
