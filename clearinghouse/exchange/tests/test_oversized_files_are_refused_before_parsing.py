"""Files that would cost the worker far more than they weigh are refused in the request, from
what they declare, before anything parses them; nothing is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client, override_settings
from openpyxl import Workbook
from openpyxl.worksheet import _read_only

from clearinghouse.core.testing import World
from clearinghouse.exchange import checks
from clearinghouse.exchange.models import ImportJob
from clearinghouse.exchange.tests.conftest import workbook_upload


@pytest.fixture
def never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl's cell iteration must never be reached."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sheet was parsed")

    monkeypatch.setattr(_read_only.ReadOnlyWorksheet, "_cells_by_row", refuse)


def _far_cell_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "title"
    sheet["XFD1048576"] = "x"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_workbook_reaching_cell_xfd1048576_is_refused_by_its_declared_dimension(
    world: World, client: Client, never_parsed: None
) -> None:
    content = _far_cell_workbook()
    assert len(content) < 10_000
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/needs/offline/upload/", {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(content)}
    )
    assert response.status_code == 422
    assert "reaches cell XFD1048576" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_sheet_without_a_dimension_is_measured_by_its_cells(never_parsed: None) -> None:
    source = zipfile.ZipFile(io.BytesIO(_far_cell_workbook()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:XFD1048576"/>', b"")
            package.writestr(info.filename, data)
    with pytest.raises(checks.RefusedFileError, match="XFD1048576"):
        checks.inspect(io.BytesIO(output.getvalue()), len(output.getvalue()), {checks.XLSX}, 10**6)


def test_a_zip_bomb_is_refused_by_its_compression_ratio(world: World, client: Client) -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/sharedStrings.xml", b"\0" * 20_000_000)
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/needs/offline/upload/",
        {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(output.getvalue())},
    )
    assert response.status_code == 422
    assert "unpacks to far more data than an import reads" in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(IMPORT_MAX_JSON_DEPTH=5)
def test_deeply_nested_json_is_refused(world: World, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    nested = b'[{"a": ' + b"[" * 10 + b'"]]]"' + b"]" * 10 + b"}]"
    client.force_login(world.focal_point)
    response = client.post(
        "/en/needs/offline/submissions/",
        {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile("s.json", nested)},
    )
    assert response.status_code == 422
    assert "nested more than 5 levels deep" in response.content.decode()
    # Brackets inside texts do not count.
    shallow = b'[{"a": "[[[[[[[[[[[[", "b": ["x"]}]'
    assert checks.inspect(io.BytesIO(shallow), len(shallow), {checks.JSON}, 10**6).format == checks.JSON


@override_settings(NEEDS_UPLOAD_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_unread(world: World, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.focal_point)
    response = client.post(
        "/en/needs/offline/submissions/",
        {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile("s.csv", b"title\n" + b"x" * 2000)},
    )
    assert response.status_code == 422
    assert "The file is larger than" in response.content.decode()
    assert not ImportJob.objects.exists()
