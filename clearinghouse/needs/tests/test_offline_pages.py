"""The offline pages through the browser's eyes (Django's test client, no JavaScript):
download, upload, follow the import's page to every problem or what was created, export. The
worker runs imports at once in the tests (huey immediate)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import include, path
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.i18n import language_patterns
from clearinghouse.needs.models import Need
from clearinghouse.needs.offline.filling import FRENCH_NEED, fill_workbook, generated_needs
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.urls import urlpatterns as site_urlpatterns
from clearinghouse.vocabularies.services import data_files, load_vocabularies

# The site with the offline pages mounted under the needs registry, before its
# "needs/<identifier>/" pattern, which would otherwise take "needs/offline/".
urlpatterns = [
    *language_patterns(path("needs/offline/", include("clearinghouse.needs.offline.urls"))),
    *site_urlpatterns,
]
pytestmark = pytest.mark.urls(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _file(content: bytes, name: str = "besoins.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_anyone_downloads_the_template_in_their_language_or_another(client: Client) -> None:
    page = client.get("/fr/needs/offline/").content.decode()
    assert 'action="/fr/needs/offline/template/"' in page
    assert '<option value="fr" selected>' in page  # the reader's language by default
    response = client.get("/fr/needs/offline/template/", {"language": "ar"})
    assert response["Content-Type"] == XLSX
    assert 'filename="needs-template-1.0-ar.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)


def test_anyone_downloads_the_xlsform(client: Client) -> None:
    response = client.get("/en/needs/offline/xlsform/")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["survey", "choices", "settings"]


def test_the_upload_offers_only_the_owners_the_person_may_draft_for(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    page = client.get("/en/needs/offline/upload/").content.decode()
    assert "Nature Kenya" in page
    assert ">Kenya</option>" not in page and "Tanzania" not in page


def test_an_upload_shows_the_drafts_it_created(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    content = fill_workbook(build_workbook("fr"), generated_needs(2))
    response = client.post(
        "/fr/needs/offline/upload/",
        {"owner": f"country:{world.kenya.pk}", "file": _file(content)},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[0][0].startswith("/fr/imports/")
    need = Need.objects.order_by("identifier").first()
    assert need is not None
    assert f'href="/fr/records/{need.identifier}/"' in page
    assert need.title["fr"] in page


def test_a_bad_upload_lists_every_problem_by_sheet_row_and_column(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    rows = [FRENCH_NEED | {"title": ""}, FRENCH_NEED | {"priority": "urgent", "start_year": 1890}]
    content = fill_workbook(build_workbook("fr"), rows)
    response = client.post(
        "/fr/needs/offline/upload/",
        {"owner": f"country:{world.kenya.pk}", "file": _file(content)},
        follow=True,
    )
    page = response.content.decode()
    assert "Rien n'a été importé" in page
    assert "<table" in page
    assert "<td>Besoins</td><td>3</td><td>A (Titre)</td>" in page
    assert "<td>Besoins</td><td>4</td><td>E (Priorité)</td>" in page
    assert not Need.objects.exists()


def test_a_picture_renamed_xlsx_is_refused_on_the_page(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    picture = _file(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "besoins.xlsx")
    response = client.post(
        "/en/needs/offline/upload/", {"owner": f"country:{world.kenya.pk}", "file": picture}
    )
    assert response.status_code == 422
    assert "This is not an Excel workbook (.xlsx)" in response.content.decode()


def test_submissions_are_imported_from_their_page(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    exported_csv = (
        "format_version,title,description,priority,subjects,instruments,capacity_levels,"
        "support_types,support_languages,contact_name,contact_email\n"
        '1.0,Herbarium training,"Staff need herbarium skills to document the flora of the parks.",'
        "low,SUBJ-PROTECTED-AREAS,CBD,individual,training,en,Wanjiru Kamau,wanjiru@example.org\n"
    )
    response = client.post(
        "/en/needs/offline/submissions/",
        {
            "owner": f"country:{world.kenya.pk}",
            "file": SimpleUploadedFile("needs.csv", exported_csv.encode(), "text/csv"),
        },
        follow=True,
    )
    assert "Import done" in response.content.decode()
    assert Need.objects.get().title == {"en": "Herbarium training"}


def test_owners_export_their_needs_and_others_cannot(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    client.post(
        "/en/needs/offline/upload/",
        {
            "owner": f"country:{world.kenya.pk}",
            "file": _file(fill_workbook(build_workbook("en"), generated_needs(2))),
        },
    )
    response = client.get(
        "/en/needs/offline/export/", {"owner": f"country:{world.kenya.pk}", "format": "json"}
    )
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content.decode().count('"identifier"') == 2
    # Tanzania is not among this person's owners: the choice is refused.
    refused = client.get(
        "/en/needs/offline/export/", {"owner": f"country:{world.tanzania.pk}", "format": "json"}
    )
    assert refused.status_code == 400


def test_people_without_a_role_cannot_upload(world: World, client: Client) -> None:
    client.force_login(world.outsider)
    assert client.get("/en/needs/offline/upload/").status_code == 403
    assert "Sign in" not in client.get("/en/needs/offline/").content.decode()
    client.logout()
    assert client.get("/en/needs/offline/upload/").status_code == 302
