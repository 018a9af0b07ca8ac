from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clearinghouse.needs.offline.filling import fill_workbook, generated_needs
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.vocabularies.services import data_files, load_vocabularies

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def workbook_upload(content: bytes, name: str = "needs.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


@pytest.fixture
def needs_workbook() -> bytes:
    """The template in English with three needs."""
    return fill_workbook(build_workbook("en"), generated_needs(3))
