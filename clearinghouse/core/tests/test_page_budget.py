"""Every public page of a small world keeps its HTML, compressed as sent, well inside the issue's
first-visit budget of 100 KB for the whole page (bench/page_weight.py measures the whole page in
a browser on the demo)."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World

pytestmark = pytest.mark.django_db

# The HTML's share of the 100 KB: the shared CSS and the scripts take the rest.
HTML_BUDGET = 60 * 1024
PAGES = [
    "/en/",
    "/ar/",
    "/en/needs/",
    "/ar/needs/",
    "/en/events/",
    "/en/support/offers/",
    "/en/learning/",
    "/en/organisations/",
    "/en/search/?q=biodiversity",
    "/ar/search/?q=biodiversity",
    "/en/statistics/",
    "/en/helpdesk/faq/",
]


@pytest.mark.parametrize("address", PAGES)
def test_a_public_pages_html_stays_within_its_budget(client: Client, world: World, address: str) -> None:
    response = client.get(address, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) <= HTML_BUDGET, f"{address}: {len(response.content)} bytes"


def test_a_signed_in_focal_points_dashboard_stays_within_its_budget(client: Client, world: World) -> None:
    client.force_login(world.focal_point)
    response = client.get("/en/work/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert len(response.content) <= HTML_BUDGET
