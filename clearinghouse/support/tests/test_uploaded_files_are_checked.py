"""Files of a resource's language versions are judged by their content, not their name:
programs, web pages and scripted drawings are refused; images are re-encoded without metadata;
oversized files are refused; downloads are counted."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.support import services, uploads
from clearinghouse.support.models import Resource, ResourceVersion
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import blank_pdf, sample

pytestmark = pytest.mark.usefixtures("vocabularies")


PDF = blank_pdf()


def _resource(world: World) -> Resource:
    return published(Resource, world, sample(Resource, world))


def _reviewed(world: World, version: ResourceVersion) -> ResourceVersion:
    """The version once a reviewer has published the revision it was added to."""
    services.submit(version.resource, actor=world.authorised_user)
    workflow.publish(version.resource, actor=world.focal_point)
    version.refresh_from_db()
    return version


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (32, 24), (10, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (1.0, 17.0, 0.0)}  # GPS
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif.tobytes())
    return output.getvalue()


def test_a_pdf_is_stored_and_its_download_is_counted(world: World, client: Client) -> None:
    resource = _resource(world)
    version = services.add_version(
        resource, actor=world.authorised_user, language="en", upload=SimpleUploadedFile("guide.exe", PDF)
    )
    _reviewed(world, version)
    assert (version.extension, version.media_type, version.size) == ("pdf", "application/pdf", len(PDF))
    assert version.file.name.endswith(".pdf") and "guide" not in version.file.name
    response = client.get(f"/en/support/download/{version.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    version.refresh_from_db()
    resource.refresh_from_db()
    assert version.download_count == 1 and resource.download_count == 1


@override_settings(SUPPORT_UPLOAD_MAX_BYTES=1000)
def test_an_oversized_file_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="larger than"):
        services.add_version(
            _resource(world),
            actor=world.authorised_user,
            language="en",
            upload=SimpleUploadedFile("big.pdf", PDF + b"0" * 2000),
        )
    assert not ResourceVersion.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "Programs"),
        ("report.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "Programs"),
        ("report.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "Web pages"),
        ("notes.pdf", b"  <html><img src=x onerror=alert(1)></html>", "Web pages"),
        ("map.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "Web pages"),
        ("map.svg", b'<?xml version="1.0"?><svg onload="alert(1)"></svg>', "Web pages"),
        ("letter.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "Old binary Office"),
    ],
)
def test_dangerous_files_are_refused_whatever_their_name(
    world: World, name: str, content: bytes, reason: str
) -> None:
    with pytest.raises(ValidationError, match=reason):
        services.add_version(
            _resource(world),
            actor=world.authorised_user,
            language="en",
            upload=SimpleUploadedFile(name, content),
        )
    assert not ResourceVersion.objects.exists()


def test_an_image_is_re_encoded_without_its_exif_metadata(world: World) -> None:
    original = _jpeg_with_exif()
    assert b"SecretCam" in original
    version = services.add_version(
        _resource(world),
        actor=world.authorised_user,
        language="fr",
        upload=SimpleUploadedFile("photo.pdf", original + b"<script>trailing payload</script>"),
    )
    stored = version.file.read()
    assert version.media_type == "image/jpeg"
    assert b"SecretCam" not in stored and b"script" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (32, 24)
        assert not image.getexif()


def test_a_zip_of_data_is_accepted_and_one_hiding_a_program_is_not(world: World) -> None:
    def archive(members: dict[str, bytes]) -> bytes:
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as bundle:
            for member, data in members.items():
                bundle.writestr(member, data)
        return output.getvalue()

    data = uploads.sniff(archive({"plots.csv": b"plot,species\n1,Acacia\n", "readme.txt": b"Survey 2026"}))
    assert data.media_type == "application/zip"
    with pytest.raises(ValidationError, match="programs or web pages"):
        uploads.sniff(archive({"data.csv": b"a,b\n", "setup.exe": b"MZ\x90"}))
    with pytest.raises(ValidationError, match="programs or web pages"):
        uploads.sniff(archive({"data.bin": b"MZ\x90\x00"}))


def test_office_documents_csv_and_text_are_recognised_by_content() -> None:
    from openpyxl import Workbook

    output = io.BytesIO()
    Workbook().save(output)
    assert uploads.sniff(output.getvalue()).extension == "xlsx"
    assert uploads.sniff(b"species;count\nAcacia;3\nFicus;5\n").extension == "csv"
    assert uploads.sniff(b"Rapport de mission: condition=bonne").extension == "txt"


def test_a_link_version_is_shown_with_its_site_and_counted_never_redirected(
    world: World, client: Client
) -> None:
    version = services.add_version(
        _resource(world), actor=world.authorised_user, language="es", link="https://example.org/guia.pdf"
    )
    _reviewed(world, version)
    response = client.get(f"/fr/support/download/{version.pk}/")
    # An address of this site must not forward people to whatever site an editor typed.
    assert response.status_code == 200 and "Location" not in response
    page = response.content.decode()
    assert "example.org" in page and "autre site" in page
    assert 'href="https://example.org/guia.pdf" rel="noopener noreferrer nofollow"' in page
    version.refresh_from_db()
    assert version.download_count == 1


def test_only_the_owners_add_versions(world: World, client: Client) -> None:
    resource = _resource(world)
    client.force_login(world.other_focal_point)
    response = client.post(
        f"/en/support/versions/{resource.identifier}/add/",
        {"language": "en", "file": SimpleUploadedFile("guide.pdf", PDF)},
    )
    assert response.status_code == 403
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/support/versions/{resource.identifier}/add/",
        {"language": "en", "file": SimpleUploadedFile("guide.pdf", PDF)},
    )
    assert response.status_code == 302
    assert resource.versions.count() == 1
