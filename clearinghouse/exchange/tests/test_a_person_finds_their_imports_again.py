"""A person who leaves an import's page finds it again under "My imports": their own jobs only
(the Secretariat sees everyone's), each linked to its page with what came of it."""

from __future__ import annotations

from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.exchange.models import ImportJob
from clearinghouse.exchange.tests.conftest import workbook_upload


def test_my_imports_lists_the_persons_own_jobs(world: World, client: Client, needs_workbook: bytes) -> None:
    client.force_login(world.authorised_user)
    assert "You have not imported any file yet" in client.get("/en/imports/").content.decode()
    client.post(
        "/en/needs/offline/upload/",
        {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(needs_workbook, name="kenya.xlsx")},
    )
    job = ImportJob.objects.get()
    page = client.get("/fr/imports/").content.decode()
    assert "Mes importations" in page
    assert f'href="/fr/imports/{job.pk}/"' in page and "kenya.xlsx" in page
    assert str(job.get_state_display()) in page
    # Someone else sees none of it; the Secretariat sees it, with who uploaded it.
    client.force_login(world.focal_point)
    assert "kenya.xlsx" not in client.get("/en/imports/").content.decode()
    client.force_login(world.secretariat)
    page = client.get("/en/imports/").content.decode()
    assert "kenya.xlsx" in page and str(world.authorised_user) in page
    client.logout()
    assert client.get("/en/imports/").status_code == 302
