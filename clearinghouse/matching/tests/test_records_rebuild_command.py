"""``clearinghouse rebuildmatching`` embeds only what is missing or stale, drops what is no longer
public, rebuilds and saves both catalogues, and says so in one line."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.matching.index import Catalogue
from clearinghouse.matching.models import CatalogueState, StoredEmbedding
from clearinghouse.support.models import Offer

from .records import publish_support
from .test_records_lifecycle import offer_values, reef_need

pytestmark = pytest.mark.usefixtures("vocabularies")
SUMMARY = re.compile(
    r"^matching: support=(\d+) needs=(\d+) records=(\d+) embedded=(\d+) dropped=(\d+) seconds=[\d.]+$"
)


def rebuild(*options: str) -> tuple[int, ...]:
    out = StringIO()
    call_command("rebuildmatching", *options, stdout=out)
    found = SUMMARY.match(out.getvalue().strip())
    assert found, out.getvalue()
    return tuple(int(value) for value in found.groups())


def test_the_command_embeds_what_is_missing_and_drops_what_is_gone(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    reef_need(django_capture_on_commit_callbacks, world)
    offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    # Everything is embedded already (on publication): nothing to embed again.
    assert rebuild() == (1, 1, 0, 0, 0)
    assert rebuild("--reembed") == (1, 1, 0, 2, 0)
    # A row lost (say, a database restored from an older backup) is embedded again; a record
    # withdrawn without a signal is dropped.
    StoredEmbedding.objects.filter(identifier=offer.identifier).delete()
    assert rebuild() == (1, 1, 0, 1, 0)
    Offer.objects.filter(pk=offer.pk).update(live=False)
    assert rebuild() == (0, 1, 0, 0, 1)
    assert not (index.catalogue_dir(Catalogue.SUPPORT) / "meta.json").exists()
    assert (index.catalogue_dir(Catalogue.NEEDS) / "meta.json").exists()


def test_the_command_with_sync_only_brings_this_hosts_caches_up_to_date(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    reef_need(django_capture_on_commit_callbacks, world)
    publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
    versions = list(CatalogueState.objects.order_by("catalogue").values_list("version", flat=True))

    def sync() -> str:
        out = StringIO()
        call_command("rebuildmatching", "--sync", stdout=out)
        return out.getvalue().strip()

    assert sync() == "matching caches: support=fresh needs=fresh records=empty"
    # A cache lost (a new host, a cleaned disk) is built again from the database.
    shutil.rmtree(index.catalogue_dir(Catalogue.SUPPORT))
    index.forget()
    assert sync() == "matching caches: support=built needs=fresh records=empty"
    assert (index.catalogue_dir(Catalogue.SUPPORT) / "stamp.json").exists()
    assert list(CatalogueState.objects.order_by("catalogue").values_list("version", flat=True)) == versions
