"""One writer at a time: the lease of a catalogue is held by one writer, on any host, until it
lets go or its lease expires; a writer without it writes nothing and its job tries again later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from huey.exceptions import RetryTask

from clearinghouse.core.testing import World
from clearinghouse.matching import index, leases, tasks
from clearinghouse.matching.leases import CatalogueBusyError
from clearinghouse.matching.models import Catalogue, CatalogueState, StoredEmbedding
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.factories import draft

from .test_records_lifecycle import offer_values

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_a_second_writer_cannot_take_the_lease_while_the_first_holds_it() -> None:
    with leases.hold([Catalogue.SUPPORT]) as first:
        with pytest.raises(CatalogueBusyError), leases.hold([Catalogue.SUPPORT]):
            pytest.fail("two writers at once")
        # The other catalogue is free.
        with leases.hold([Catalogue.NEEDS]):
            pass
        assert CatalogueState.objects.get(catalogue=Catalogue.SUPPORT).holder == first.holder
    # Let go: the next writer takes it.
    with leases.hold([Catalogue.SUPPORT]) as second:
        assert CatalogueState.objects.get(catalogue=Catalogue.SUPPORT).holder == second.holder


def test_a_refresh_while_another_writer_holds_the_lease_writes_nothing_and_is_retried_later(
    world: World,
) -> None:
    offer = draft(Offer, world, offer_values())
    Offer.objects.filter(pk=offer.pk).update(live=True)
    with leases.hold([Catalogue.SUPPORT]):
        with pytest.raises(CatalogueBusyError):
            index.refresh([offer.identifier])
        with pytest.raises(RetryTask):
            tasks.refresh_records.call_local([offer.identifier])
    assert not StoredEmbedding.objects.exists()
    assert CatalogueState.objects.get(catalogue=Catalogue.SUPPORT).version == 0
    index.refresh([offer.identifier])
    assert StoredEmbedding.objects.filter(identifier=offer.identifier, active=True).exists()


def test_an_expired_lease_is_taken_over_and_the_old_holder_can_no_longer_write(world: World) -> None:
    offer = draft(Offer, world, offer_values())
    Offer.objects.filter(pk=offer.pk).update(live=True)
    with leases.hold([Catalogue.SUPPORT]) as stalled:
        # The first writer stalls past its lease; another takes the catalogue over.
        CatalogueState.objects.filter(catalogue=Catalogue.SUPPORT).update(
            lease_expires=timezone.now() - timedelta(seconds=1)
        )
        index.refresh([offer.identifier])
        with pytest.raises(CatalogueBusyError):
            stalled.check(Catalogue.SUPPORT)
        with pytest.raises(CatalogueBusyError):
            stalled.renew()
    assert StoredEmbedding.objects.filter(identifier=offer.identifier, active=True).exists()


def test_the_command_waits_for_the_writer_then_says_it_is_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import CommandError, call_command

    from clearinghouse.matching.management.commands import rebuildmatching

    monkeypatch.setattr(rebuildmatching, "WAIT_SECONDS", 0)
    with leases.hold([Catalogue.NEEDS]), pytest.raises(CommandError, match="needs catalogue"):
        call_command("rebuildmatching")
