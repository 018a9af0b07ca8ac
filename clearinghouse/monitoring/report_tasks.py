"""Building a progress report's files runs as a job: six languages of PDF and DOCX take longer
than a page should wait."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from clearinghouse.monitoring import report_documents
from clearinghouse.monitoring.models import Report


@db_task()
def build_files(report_id: int, languages: list[str]) -> int:
    """Build the report's files in the languages; returns how many were written. Running it twice
    writes the same files again (everything comes from the report's computation)."""
    report = Report.objects.filter(pk=report_id).select_related("computation").first()
    if report is None:
        return 0
    return len(report_documents.build(report, languages))
