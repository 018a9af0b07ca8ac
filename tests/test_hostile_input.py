"""Hostile input never crashes a page: a hidden field or a query parameter holding a word, a
fraction, a negative, an overflowing or a non-ASCII number gets a clear answer (a 4xx, or the
page as if the value were absent), never a server error. The client does not re-raise, so a
crash shows up as the 500 a person would see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision
from clearinghouse.support import services as support
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.samples import sample
from clearinghouse.vocabularies.services import data_files, load_vocabularies

# What a tampered form or a hand-edited address sends where a whole number is expected.
HOSTILE_NUMBERS = [
    "abc",  # a word
    "1.5",
    "-1",
    "0",
    "99999999999999999999999999",  # overflows every integer column
    "9" * 5000,
    "١٢",  # Arabic-Indic digits
    "１２",  # full-width digits
    "1e3",
    " 7 ",
    "7\x00",
    "\u202e12",  # behind a right-to-left override
]


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


@dataclass(frozen=True)
class Records:
    need: Need
    resource: Resource


@pytest.fixture
def records(world: World, vocabularies: None) -> Records:
    need = workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values("en", "Training customs officers", "Invasive species"),
    )
    # A second revision, so that the history compares two and restore has something to restore.
    workflow.save_draft(
        need, actor=world.authorised_user, values={"title": {"en": "Retitled"}}, base_revision=None
    )
    resource = support.create(
        Resource,
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        cleaned=sample(Resource, world),
    )
    return Records(need, resource)


def _client(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.secretariat)
    return client


@dataclass(frozen=True)
class Probe:
    """One place a number is read: how to send ``value`` there."""

    method: str
    url: Callable[[Records], str]
    data: Callable[[str], dict[str, Any]]


PROBES: dict[str, Probe] = {
    "needs list ?page": Probe("get", lambda r: "/en/needs/", lambda v: {"page": v}),
    "my needs ?page": Probe("get", lambda r: "/en/needs/mine/", lambda v: {"page": v}),
    "support list ?page": Probe("get", lambda r: "/en/support/resources/", lambda v: {"page": v}),
    "organisations ?page": Probe("get", lambda r: "/en/organisations/", lambda v: {"page": v}),
    "search ?page": Probe("get", lambda r: "/en/search/", lambda v: {"page": v, "q": "species"}),
    "matchmaking console ?page": Probe("get", lambda r: "/en/matchmaking/", lambda v: {"page": v}),
    "my matches ?page": Probe("get", lambda r: "/en/matchmaking/mine/", lambda v: {"page": v}),
    "plan ?number": Probe("get", lambda r: "/en/plan/", lambda v: {"number": v, "page": v}),
    "history ?from&to": Probe(
        "get", lambda r: f"/en/records/{r.need.identifier}/history/", lambda v: {"from": v, "to": v}
    ),
    "restore revision": Probe(
        "post", lambda r: f"/en/records/{r.need.identifier}/restore/", lambda v: {"revision": v}
    ),
    "revoke share link": Probe(
        "post", lambda r: f"/en/records/{r.need.identifier}/share/", lambda v: {"revoke": v}
    ),
    "need step base_revision": Probe(
        "post",
        lambda r: f"/en/needs/edit/{r.need.identifier}/describe/",
        lambda v: {"action": "save", "base_revision": v, "title": "Edited"},
    ),
    "need translation base_revision": Probe(
        "post",
        lambda r: f"/en/needs/translate/{r.need.identifier}/fr/",
        lambda v: {"base_revision": v, "title": "Former les douaniers", "description": "Espèces"},
    ),
    "support edit base_revision": Probe(
        "post",
        lambda r: f"/en/support/edit/{r.resource.identifier}/",
        lambda v: {"base_revision": v, "action": "save"},
    ),
    "need status": Probe("post", lambda r: f"/en/needs/status/{r.need.identifier}/", lambda v: {"status": v}),
}


@pytest.mark.parametrize("probe", list(PROBES.values()), ids=list(PROBES))
def test_a_hostile_number_gets_a_clear_answer_not_a_server_error(
    world: World, records: Records, probe: Probe
) -> None:
    # Every hostile value is sent to the place in a savepoint rolled back after it, as if each
    # were a test of its own (one value's effect cannot hide another's), while the records are
    # built once per place; every value that fails is named, not only the first.
    failures = []
    for value in HOSTILE_NUMBERS:
        shown = repr(value[:30])
        with transaction.atomic():
            revisions = Revision.objects.count()
            client = _client(world)
            send = client.get if probe.method == "get" else client.post
            response = send(probe.url(records), probe.data(value))
            content = response.content.decode()
            if response.status_code >= 500:
                failures.append(f"{shown}: {response.status_code}\n{content[:2000]}")
            # The person is told, in words, what went wrong.
            elif response.status_code == 400 and "reload" not in content.casefold():
                failures.append(f"{shown}: a 400 that does not say what to do\n{content[:2000]}")
            # A value that is not a revision number never makes a new revision out of nothing.
            if probe is PROBES["restore revision"] and Revision.objects.count() != revisions:
                failures.append(f"{shown}: a revision was made")
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", ["99999999999999999999999999", "2147483648"])
@pytest.mark.parametrize(
    "path",
    [
        "/en/imports/{}/",
        "/en/organisations/{}/",
        "/en/plan/{}/",
        "/en/matchmaking/cases/{}/",
        "/en/matchmaking/matches/{}/",
        "/en/support/download/{}/",
        "/en/search/saved/{}/pause/",
    ],
)
def test_an_overflowing_id_in_the_address_is_not_found(world: World, path: str, value: str) -> None:
    client = _client(world)
    response = client.get(path.format(value))
    assert response.status_code in {404, 405}, response.content.decode()[:2000]
