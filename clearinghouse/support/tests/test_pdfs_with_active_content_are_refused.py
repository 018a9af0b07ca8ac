"""A PDF that would run a script, launch a program or unpack an attached file when opened is
refused on upload, in the uploader's language; its objects are parsed, not scanned as bytes,
so a name written with an escape (/J#53 is /JS) is found too. A damaged PDF is refused as
damaged."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from clearinghouse.support import uploads

Change = Callable[[PdfWriter], None]


def _script() -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def _pdf(change: Change | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change is not None:
        change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _document_script(writer: PdfWriter) -> None:
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), _script()])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def _open_action(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_script())


def _page_action(writer: PdfWriter) -> None:
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _script()})


def _launch(writer: PdfWriter) -> None:
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("a.exe")}
    )
    writer._root_object[NameObject("/Outlines")] = DictionaryObject({NameObject("/A"): launch})


def _attachment(writer: PdfWriter) -> None:
    writer.add_attachment("payload.txt", b"hello")


def _xfa(writer: PdfWriter) -> None:
    form = DictionaryObject({NameObject("/XFA"): ArrayObject(), NameObject("/Fields"): ArrayObject()})
    writer._root_object[NameObject("/AcroForm")] = form


def _rich_media(writer: PdfWriter) -> None:
    writer.pages[0][NameObject("/Annots")] = ArrayObject(
        [
            DictionaryObject(
                {
                    NameObject("/Subtype"): NameObject("/RichMedia"),
                    NameObject("/RichMedia"): DictionaryObject(),
                }
            )
        ]
    )


@pytest.mark.parametrize(
    ("change", "name"),
    [
        pytest.param(_document_script, "JavaScript", id="document-javascript"),
        pytest.param(_open_action, "OpenAction", id="open-action"),
        pytest.param(_page_action, "AA", id="page-additional-action"),
        pytest.param(_launch, "Launch", id="launch-action"),
        pytest.param(_attachment, "EmbeddedFile", id="embedded-file"),
        pytest.param(_xfa, "XFA", id="xfa-form"),
        pytest.param(_rich_media, "RichMedia", id="rich-media"),
    ],
)
def test_a_pdf_with_active_content_is_refused_in_the_uploaders_language(change: Change, name: str) -> None:
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        uploads.sniff(_pdf(change))
    message = refused.value.messages[0]
    assert name in message
    assert "PDF" in message and "scripts" not in message, "said in Spanish"


def test_a_name_written_with_an_escape_is_found_all_the_same() -> None:
    content = _pdf(_page_action)
    assert b"/JS " in content or b"/JS(" in content
    disguised = content.replace(b"/JS", b"/J#53", 1)
    with pytest.raises(ValidationError, match="JS"):
        uploads.sniff(disguised)


def _object_stream_pdf() -> bytes:
    """A PDF 1.5 whose script action sits in a compressed object stream, found only through the
    cross-reference stream: its bytes never show the word JavaScript."""
    header = b"4 0 "
    packed = zlib.compress(header + b"<< /S /JavaScript /JS (app.alert(1)) >>")
    out = bytearray(b"%PDF-1.5\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /Extra 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [] /Count 0 >>")
    stream = b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
    add(3, stream % (len(header), len(packed)) + packed + b"\nendstream")
    start = len(out)
    rows = [
        (0, 0, 65535),
        (1, offsets[1], 0),
        (1, offsets[2], 0),
        (1, offsets[3], 0),
        (2, 3, 0),
        (1, start, 0),
    ]
    table = b"".join(
        bytes([kind]) + field.to_bytes(4, "big") + extra.to_bytes(2, "big") for kind, field, extra in rows
    )
    out.extend(
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    )
    return bytes(out)


def test_a_script_inside_a_compressed_object_stream_is_found() -> None:
    content = _object_stream_pdf()
    assert b"JavaScript" not in content, "a scan of the bytes would pass it"
    with pytest.raises(ValidationError, match="JavaScript"):
        uploads.sniff(content)


def test_a_plain_pdf_is_accepted() -> None:
    assert uploads.sniff(_pdf()).extension == "pdf"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\n" + b"\x00" * 50, id="header-only"),
        pytest.param(_pdf()[:200], id="truncated"),
        pytest.param(b"%PDF-1.7\n1 0 obj\n" + b"[" * 5000 + b"\nendobj\n%%EOF", id="deep-nesting"),
    ],
)
def test_a_damaged_pdf_is_refused_as_damaged(content: bytes) -> None:
    with pytest.raises(ValidationError, match="damaged"):
        uploads.sniff(content)
