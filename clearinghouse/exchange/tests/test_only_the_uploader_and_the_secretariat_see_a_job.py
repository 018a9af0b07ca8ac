"""A job shows who uploaded what and what came of it: only the uploader and the Secretariat
see it; anyone else is told it does not exist."""

from __future__ import annotations

from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.exchange.models import ImportJob
from clearinghouse.exchange.tests.conftest import workbook_upload


def test_another_person_gets_not_found(world: World, client: Client, needs_workbook: bytes) -> None:
    client.force_login(world.authorised_user)
    client.post(
        "/en/needs/offline/upload/",
        {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(needs_workbook)},
    )
    job = ImportJob.objects.get()
    url = f"/en/imports/{job.pk}/"
    assert client.get(url).status_code == 200
    # The focal point of the same Party did not upload it.
    for person in (world.focal_point, world.outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    client.force_login(world.secretariat)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
