"""clearinghouse rebuildindex: empty the search index and fill it from every provider."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand

from clearinghouse.search import providers, service
from clearinghouse.search.documents import SearchDocument


class Command(BaseCommand):
    help = "Rebuild the search index from every provider in SEARCH_PROVIDERS."

    def handle(self, *args: Any, **options: Any) -> None:
        counts: dict[str, int] = {}

        def counted() -> Iterator[SearchDocument]:
            for document in providers.documents(None):
                counts[document.record_type] = counts.get(document.record_type, 0) + 1
                yield document

        start = time.perf_counter()
        total = service.rebuild(counted())
        seconds = time.perf_counter() - start
        for record_type, count in sorted(counts.items()):
            self.stdout.write(f"{record_type}: {count}")
        self.stdout.write(f"Indexed {total} records in {seconds:.1f} s.")
