"""The API gives a need's peers as the page does, to anyone; the finder reads a fixed number of
queries whatever the number of candidate needs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clearinghouse.peers import finder
from clearinghouse.peers.tests.conftest import Peers, kenyan_need, tanzanian_need_in_french

pytestmark = pytest.mark.django_db


def test_the_api_lists_the_peers_of_a_published_need(peers: Peers, client: Client) -> None:
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)

    response = client.get(f"/api/v1/needs/{need.identifier}/peers/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    (tanzania,) = response.json()
    assert tanzania["party"] == "TZ" and tanzania["name"] == "Tanzanie"
    assert tanzania["shared_subjects"] == [
        {"code": "SUBJ-INVASIVE-ALIEN-SPECIES", "label": "Espèces exotiques envahissantes"}
    ]
    assert [item["identifier"] for item in tanzania["needs"]] == [theirs.identifier]
    assert client.get("/api/v1/needs/CB-NEED-KE-999999/peers/").status_code == 404


def test_the_finder_reads_as_many_queries_for_ten_candidates_as_for_one(peers: Peers) -> None:
    world = peers.world
    need = kenyan_need(peers)
    tanzanian_need_in_french(peers)
    with CaptureQueriesContext(connection) as one:
        finder.peers_of(need)
    for number in range(9):
        peers.publish(
            peers.senegal_focal_point if number % 2 else world.other_focal_point,
            peers.senegal if number % 2 else world.tanzania,
            language="fr",
            title=f"Former les douaniers aux espèces envahissantes, volet {number}",
            description="Les inspecteurs ont besoin de guides d'identification des plantes envahissantes.",
            subjects=("SUBJ-INVASIVE-ALIEN-SPECIES",),
            targets=("GBF-T6",),
        )
    with CaptureQueriesContext(connection) as ten:
        found = finder.peers_of(need)

    assert {peer.country.code for peer in found} == {"TZ", "SN"}
    assert len(ten.captured_queries) == len(one.captured_queries)
