"""Background jobs that keep the index in step with the registries."""

from __future__ import annotations

from collections.abc import Collection

from huey.contrib.djhuey import task

from clearinghouse.search import providers, service


@task(retries=2, retry_delay=30)
def index_documents(keys: Collection[str]) -> int:
    """Index the published records of ``keys``; keys no provider returns leave the index."""
    wanted = set(keys)
    documents = list(providers.documents(wanted))
    found = {document.key for document in documents}
    indexed = service.index(documents)
    if wanted - found:
        service.remove(wanted - found)
    return indexed


@task(retries=2, retry_delay=30)
def remove_documents(keys: Collection[str]) -> int:
    """Take records out of the index (withdrawn, archived, deleted)."""
    return service.remove(list(keys))
