"""The type of a file is read from its content, not its name, and a file of a kind the import
does not read is refused on the upload page, with what to do about it; nothing is stored."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.exchange.models import ImportJob


def _post(client: Client, url: str, world: World, name: str, content: bytes) -> str:
    response = client.post(
        url, {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code in {200, 422}
    return response.content.decode()


def test_each_import_names_what_it_reads(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    latin1 = "title,description\nFormation,Former les agents à la détection\n".encode("latin-1")
    page = _post(client, "/en/needs/offline/submissions/", world, "needs.csv", latin1)
    assert "This file is not in UTF-8: export it again as UTF-8." in page
    page = _post(client, "/en/needs/offline/upload/", world, "needs.xlsx", b"title\nFormation\n")
    assert "This is not an Excel workbook (.xlsx)." in page
    picture = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    page = _post(client, "/en/support/offers/import/", world, "offers.csv", picture)
    assert "This file is not in a format this import reads: CSV, JSON, XLSX." in page
    assert not ImportJob.objects.exists()
