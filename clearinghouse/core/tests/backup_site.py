"""What the backup tests do inside a deployment, in a child process with its own settings:
``fill`` gives it people, a published resource with its file, an import waiting, a progress
report's built file and an offline course package (derived: left out of backups); ``search
TEXT`` prints the titles the search service finds. Each prints JSON."""

from __future__ import annotations

import json
import sys

import django


def fill() -> dict[str, str]:
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clearinghouse.core.testing import build_world
    from clearinghouse.exchange.models import upload_storage
    from clearinghouse.learning import offline
    from clearinghouse.monitoring import report_documents
    from clearinghouse.monitoring.models import Report, ReportFile
    from clearinghouse.publishing import workflow
    from clearinghouse.support import services
    from clearinghouse.support.models import Resource
    from clearinghouse.support.tests.factories import published
    from clearinghouse.support.tests.samples import blank_pdf, sample
    from clearinghouse.vocabularies.services import data_files, load_vocabularies

    world = build_world()
    load_vocabularies(data_files())
    values = sample(Resource, world)
    resource = published(Resource, world, values)
    upload = SimpleUploadedFile("guide.pdf", blank_pdf())
    version = services.add_version(resource, actor=world.authorised_user, language="en", upload=upload)
    services.submit(resource, actor=world.authorised_user)
    workflow.publish(resource, actor=world.focal_point)
    waiting = upload_storage().save("waiting/needs.xlsx", ContentFile(b"a workbook waiting for its job"))
    report = Report.objects.create(period_start=2025, period_end=2026)
    built = report_documents._write(report, "en", ReportFile.Format.DOCX, b"a report's DOCX as published")
    package = offline.storage().save("course/en.zip", ContentFile(b"an offline package, built again"))
    return {
        "title": str(values["title"]),
        "file": version.file.name,
        "import": waiting,
        "report": built.path,
        "package": package,
    }


def search(text: str) -> list[str]:
    from clearinghouse.search import service
    from clearinghouse.search.documents import SearchQuery

    return [hit.title for hit in service.search(SearchQuery(text=text)).hits]


if __name__ == "__main__":
    django.setup()
    done: object = fill() if sys.argv[1] == "fill" else search(sys.argv[2])
    sys.stdout.write(json.dumps(done) + "\n")
