"""Hostile input never crashes a page: a hidden field or a query parameter holding a word, a
fraction, a negative, an overflowing or a non-ASCII number gets a clear answer (a 4xx, or the
page as if the value were absent), never a server error. The client does not re-raise, so a
crash shows up as the 500 a person would see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
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
    pytest.param("abc", id="word"),
    pytest.param("1.5", id="fraction"),
    pytest.param("-1", id="negative"),
    pytest.param("0", id="zero"),
    pytest.param("99999999999999999999999999", id="overflow"),
    pytest.param("9" * 5000, id="thousands-of-digits"),
    pytest.param("١٢", id="arabic-indic-digits"),
    pytest.param("１２", id="fullwidth-digits"),
    pytest.param("1e3", id="exponent"),
    pytest.param(" 7 ", id="padded"),
    pytest.param("7\x00", id="nul"),
    pytest.param("\u202e12", id="bidi-override"),
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


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.parametrize("probe", list(PROBES.values()), ids=list(PROBES))
def test_a_hostile_number_gets_a_clear_answer_not_a_server_error(
    world: World, records: Records, probe: Probe, value: str
) -> None:
    revisions = Revision.objects.count()
    client = _client(world)
    send = client.get if probe.method == "get" else client.post
    response = send(probe.url(records), probe.data(value))
    assert response.status_code < 500, response.content.decode()[:2000]
    if response.status_code == 400:
        # The person is told, in words, what went wrong.
        assert "reload" in response.content.decode().casefold()
    # A value that is not a revision number never makes a new revision out of nothing.
    if probe is PROBES["restore revision"]:
        assert Revision.objects.count() == revisions


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
