"""What the requester's pages need in tests: a question form filled in as a person would
(shown long enough ago), and files to attach."""

from __future__ import annotations

import io
import time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from clearinghouse.helpdesk.public_forms import started_token


def pdf() -> bytes:
    """A one-page PDF with nothing active in it."""
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def question(**fields: Any) -> dict[str, Any]:
    """The ask form as an anonymous person sends it a minute after opening it."""
    data: dict[str, Any] = {
        "subject": "Where is the needs form?",
        "body": "I want to register our national needs assessment but cannot find the form.",
        "name": "Ada Asker",
        "email": "ada@example.org",
        "started": started_token(time.time() - 60),
        "website": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def text_file(
    name: str = "steps.txt", content: bytes = b"1. Open the form\n2. It fails\n"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def program(name: str = "setup.exe") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 60, content_type="application/octet-stream")
