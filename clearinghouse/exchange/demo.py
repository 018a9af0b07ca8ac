"""Demo imports for `clearinghouse loaddemo`: files uploaded by demo people and run through the
same job as an upload from the import page, so that "My imports" shows a finished job with its
drafts and a refused one with its problems in the uploader's language. Idempotent: a demo file
already uploaded by that person is not uploaded again."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from clearinghouse.accounts.models import User
from clearinghouse.exchange import registry, services
from clearinghouse.exchange.models import ImportJob


def demo_import(
    uploader: User, owner: registry.Owner, kind_name: str, filename: str, content: bytes, language: str
) -> ImportJob:
    """Upload ``content`` as ``filename`` and run its job now (the worker may not be running
    yet); the job already made for this file when there is one."""
    existing = ImportJob.objects.filter(uploader=uploader, kind=kind_name, filename=filename).first()
    if existing is not None:
        return existing
    job = services.start_import(uploader, owner, kind_name, SimpleUploadedFile(filename, content), language)
    # The queued task finds the job claimed and leaves it alone.
    services.run(job.pk)
    job.refresh_from_db()
    return job
