"""Hostile files never crash an import: a damaged or booby-trapped workbook, a CSV or JSON file
of submissions with every edge case we know of, each gets a clear refusal in the uploader's
language, on the upload page (422) or on the job's page (failed), and nothing is half saved.
The client does not re-raise, so a crash shows up as the 500 a person would see."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearinghouse.core.testing import World
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.needs.models import Need, NeedsAssessment
from clearinghouse.needs.offline.filling import fill_workbook, generated_needs
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.publishing.models import Revision
from clearinghouse.support.models import Resource
from clearinghouse.vocabularies.services import data_files, load_vocabularies

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CRASH = (
    "The import stopped on an error of the site; nothing was saved. Try again later; if it happens again, "
    "write to the help desk."
)


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _workbook() -> bytes:
    return fill_workbook(build_workbook("fr"), generated_needs(3))


def _rezip(content: bytes, replace: dict[str, bytes]) -> bytes:
    """The same package with some parts replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in replace:
                target.writestr(info, source.read(info.filename))
        for name, data in replace.items():
            target.writestr(name, data)
    return out.getvalue()


def _first_sheet(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return next(name for name in package.namelist() if name.startswith("xl/worksheets/sheet"))


def _truncated() -> bytes:
    content = _workbook()
    return content[: len(content) // 2]


def _not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "Not a workbook.")
    return out.getvalue()


def _with_shared_strings(table: bytes) -> bytes:
    """The workbook with each sheet's first text moved to a shared strings ``table`` (openpyxl
    writes texts inline; Excel writes them shared)."""
    content = _workbook()
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = package.read(name)
                parts[name] = re.sub(rb't="inlineStr"><is><t>[^<]*</t></is>', b't="s"><v>7</v>', xml, count=1)
        relations = package.read("xl/_rels/workbook.xml.rels")
    relation = (
        b'<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    parts["xl/_rels/workbook.xml.rels"] = relations.replace(b"</Relationships>", relation)
    parts["xl/sharedStrings.xml"] = table
    return _rezip(content, parts)


def _broken_shared_strings() -> bytes:
    return _with_shared_strings(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>cut'
    )


def _missing_shared_strings() -> bytes:
    # Valid XML, but the cell points at a string it does not hold.
    return _with_shared_strings(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>only one</t></si></sst>"
    )


def _sheet_xml(dimension: str, cell: str) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    row = "".join(ch for ch in cell if ch.isdigit())
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{declared}<sheetData><row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def _far_cell(dimension: str) -> bytes:
    content = _workbook()
    return _rezip(content, {_first_sheet(content): _sheet_xml(dimension, "XFD1048576")})


def _zip_bomb() -> bytes:
    content = _workbook()
    return _rezip(content, {"xl/media/padding.xml": b"<a>" + b" " * (50 * 1024 * 1024) + b"</a>"})


WORKBOOKS = [
    pytest.param(_truncated, id="truncated-zip"),
    pytest.param(_not_xlsx, id="zip-that-is-not-xlsx"),
    pytest.param(_broken_shared_strings, id="broken-shared-strings"),
    pytest.param(_missing_shared_strings, id="shared-strings-missing-entries"),
    pytest.param(lambda: _far_cell("A1:XFD1048576"), id="1x1-sheet-declaring-XFD1048576"),
    pytest.param(lambda: _far_cell(""), id="1x1-sheet-at-XFD1048576-without-dimension"),
    pytest.param(_zip_bomb, id="zip-bomb-ratio"),
]


def _nothing_saved() -> None:
    assert not Need.objects.exists()
    assert not NeedsAssessment.objects.exists()
    assert not Resource.objects.exists()
    assert not Revision.objects.exists()


def _refusal(response: object, language: str = "fr") -> str:
    """The one message the person was given: the upload form's error, or the failed job's."""
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500, response.content.decode()[:3000]  # type: ignore[attr-defined]
    if status == 422 or status == 200:
        job = ImportJob.objects.first()
        if job is None:
            errors = response.context["form"].errors["file"]  # type: ignore[attr-defined]
            return str(errors[0])
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED, job.state
    with translation.override(language):
        crash = _(CRASH)
    messages = [problem["message"] for problem in job.problems]
    assert crash not in messages, "a damaged file is said to be damaged, not a crash of the site"
    return messages[0]


def _post_needs(client: Client, world: World, path: str, name: str, content: bytes) -> object:
    client.force_login(world.focal_point)
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(path, {"owner": f"country:{world.kenya.pk}", "file": upload}, follow=True)


@pytest.mark.parametrize("build", WORKBOOKS)
def test_a_damaged_or_booby_trapped_workbook_is_refused_in_french(world: World, build: object) -> None:
    client = Client(raise_request_exception=False)
    response = _post_needs(client, world, "/fr/needs/offline/upload/", "besoins.xlsx", build())  # type: ignore[operator]
    message = _refusal(response)
    with translation.override("en"):
        assert message, "the person is told why"
    assert message.isascii() is False or "xlsx" in message.casefold()
    _nothing_saved()


@pytest.mark.parametrize("build", WORKBOOKS)
def test_a_damaged_workbook_of_support_records_is_refused(world: World, build: object) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.authorised_user)
    upload = io.BytesIO(build())  # type: ignore[operator]
    upload.name = "ressources.xlsx"
    response = client.post(
        "/fr/support/resources/import/", {"owner": f"country:{world.kenya.pk}", "file": upload}, follow=True
    )
    assert _refusal(response)
    _nothing_saved()


def test_the_far_cell_is_refused_before_the_file_is_stored(world: World) -> None:
    client = Client(raise_request_exception=False)
    response = _post_needs(
        client, world, "/en/needs/offline/upload/", "needs.xlsx", _far_cell("A1:XFD1048576")
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "XFD1048576" in _refusal(response)
    assert not ImportJob.objects.exists()


SPANISH_NEED = {
    "needs-format_version": "1.0",
    "needs-title": "Capacitación en restauración de manglares",
    "needs-description": "Las comunidades costeras no cuentan con técnicas de restauración.",
    "needs-priority": "medium",
    "needs-subjects": "SUBJ-PROTECTED-AREAS",
    "needs-support_types": "training",
    "needs-contact_name": "Lucía",
    "needs-contact_email": "lucia@example.org",
}
HEADER = ",".join(SPANISH_NEED).encode()
ROW = ",".join(f'"{value}"' for value in SPANISH_NEED.values()).encode()

CSV_FILES = [
    pytest.param(b"", id="empty"),
    pytest.param(HEADER + b"\n", id="header-only"),
    pytest.param(b"\xef\xbb\xbf" + HEADER + b"\n", id="bom-and-header-only"),
    pytest.param(HEADER + b"\n" + ROW.replace(b"Luc", b"Lu\x00c") + b"\n", id="nul-in-a-row"),
    pytest.param(HEADER + b"\n" + b"x" * 5000 + b"\x00" + b"\n", id="nul-after-the-sniffed-head"),
    pytest.param(HEADER + b"\n" + ROW[:-5] + b"\n", id="unterminated-quote"),
    pytest.param(HEADER + b"\n" + ROW.decode().encode("latin-1") + b"\n", id="latin-1"),
    pytest.param(
        HEADER + b"\n" + b'"' + b"a" * (csv.field_size_limit() + 10) + b'",x\n', id="field-over-the-csv-limit"
    ),
    pytest.param(
        HEADER + b"\r\n" + ROW + b"\r" + ROW.replace(b"medium", b"urgent") + b"\n", id="mixed-line-ends"
    ),
    pytest.param(HEADER + b",needs-title\n" + ROW + ',"Otro título"\n'.encode(), id="duplicate-headings"),
    pytest.param(b"\xef\xbb\xbf\xef\xbb\xbf" + HEADER + b"\n" + ROW + b"\n", id="two-boms"),
    pytest.param(b"\n\n\n", id="blank-lines-only"),
]

JSON_FILES = [
    pytest.param(b"[]", id="empty-list"),
    pytest.param(b"{}", id="empty-object"),
    pytest.param(b"null", id="null"),
    pytest.param(b'{"results": "text"}', id="results-not-a-list"),
    pytest.param(b"[" * 30 + b"]" * 30, id="deeply-nested"),
    pytest.param(
        b'[{"needs": [{"title": "' + b"\\ud800" + b'"}], "format_version": "1.0"}]', id="lone-surrogate"
    ),
    pytest.param(b'[{"format_version": 1e999999}]', id="huge-exponent"),
    pytest.param(b'[{"format_version": ' + b"9" * 5000 + b"}]", id="thousands-of-digits"),
    pytest.param(b'[{"format_version": "1.0", "needs": {"title": "not a list"}}]', id="repeat-not-a-list"),
    pytest.param(b'[{"format_version": "1.0", "needs": [1, "two", null]}]', id="needs-not-objects"),
    pytest.param(
        b'[{"format_version": "1.0", "": 1, "/": 2, "needs": [{"title": ["a", {"b": 1}]}]}]',
        id="odd-keys-and-values",
    ),
    pytest.param(b'{"results": [' + b"x", id="truncated"),
]


@pytest.mark.parametrize("content", CSV_FILES + JSON_FILES)
def test_an_odd_submissions_file_is_refused_in_french(world: World, content: bytes) -> None:
    client = Client(raise_request_exception=False)
    response = _post_needs(client, world, "/fr/needs/offline/submissions/", "soumissions.csv", content)
    assert _refusal(response)
    _nothing_saved()


@pytest.mark.parametrize("content", CSV_FILES + JSON_FILES)
def test_an_odd_support_records_file_is_refused(world: World, content: bytes) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.authorised_user)
    upload = io.BytesIO(content)
    upload.name = "ressources.json"
    response = client.post(
        "/fr/support/resources/import/", {"owner": f"country:{world.kenya.pk}", "file": upload}, follow=True
    )
    assert _refusal(response)
    _nothing_saved()


def test_a_json_value_of_thousands_of_digits_is_named(world: World) -> None:
    """Python refuses to read integers of more than 4,300 digits; the file is said to be damaged."""
    payload = json.dumps([{"format_version": "1.0"}]).encode().replace(b'"1.0"', b"9" * 5000)
    client = Client(raise_request_exception=False)
    response = _post_needs(client, world, "/en/needs/offline/submissions/", "s.json", payload)
    assert "JSON" in _refusal(response, "en")


@pytest.mark.parametrize(
    ("path", "name", "content"),
    [
        pytest.param("/fr/needs/offline/upload/", "besoins.xlsx", _workbook, id="needs-workbook"),
        pytest.param(
            "/fr/needs/offline/submissions/",
            "soumissions.csv",
            lambda: HEADER + b"\n" + ROW + b"\n" + ROW + b"\n",
            id="needs-submissions",
        ),
    ],
)
def test_reading_past_the_cpu_limit_fails_the_job_and_saves_nothing(
    world: World, settings: object, path: str, name: str, content: object
) -> None:
    # No CPU time at all: the first check the reading makes is past the limit.
    settings.IMPORT_MAX_CPU_SECONDS = 0  # type: ignore[attr-defined]
    client = Client(raise_request_exception=False)
    response = _post_needs(client, world, path, name, content())  # type: ignore[operator]
    message = _refusal(response)
    with translation.override("fr"):
        expected = ngettext(
            "Reading this file took more than the %(seconds)s second of computing time an import may take; "
            "nothing was saved. Split it into smaller files and upload them one at a time.",
            "Reading this file took more than the %(seconds)s seconds of computing time an import may take; "
            "nothing was saved. Split it into smaller files and upload them one at a time.",
            0,
        ) % {"seconds": "0"}
    assert message == expected
    _nothing_saved()


def test_a_generous_cpu_limit_lets_the_same_file_through(world: World, settings: object) -> None:
    settings.IMPORT_MAX_CPU_SECONDS = 600  # type: ignore[attr-defined]
    client = Client(raise_request_exception=False)
    _post_needs(client, world, "/fr/needs/offline/upload/", "besoins.xlsx", _workbook())
    assert ImportJob.objects.get().state == JobState.DONE
