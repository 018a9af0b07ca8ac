"""What the backup tests do inside a deployment, in a child process with its own settings:
``fill`` gives it people, a published resource with its file and an import waiting; ``search
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
    return {"title": str(values["title"]), "file": version.file.name, "import": waiting}


def search(text: str) -> list[str]:
    from clearinghouse.search import service
    from clearinghouse.search.documents import SearchQuery

    return [hit.title for hit in service.search(SearchQuery(text=text)).hits]


if __name__ == "__main__":
    django.setup()
    done: object = fill() if sys.argv[1] == "fill" else search(sys.argv[2])
    sys.stdout.write(json.dumps(done) + "\n")
