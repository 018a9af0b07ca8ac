"""A loopback HTTP server standing in for another clearing-house (http.server in a thread: the
harvest is read through the network as in production, nothing is mocked), and the settings
that let a harvest reach it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.harvest.models import Source
from clearinghouse.vocabularies.services import data_files, load_vocabularies

DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0  # seconds before the answer starts
    endless: bool = False  # streams bytes until the client hangs up


class FakeClearingHouse:
    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def serve(self, path: str, answer: Answer | str) -> str:
        """Answer ``path`` with a data file's content or a given answer; its full address."""
        self.answers[path] = Answer(body=(DATA / answer).read_bytes()) if isinstance(answer, str) else answer
        return self.url(path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        house = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer = house.answers.get(self.path, Answer(status=404, body=b"{}"))
                time.sleep(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if not answer.endless:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                try:
                    if answer.endless:
                        chunk = b" " * 65536
                        for _ in range(2000):  # up to 128 MB, unless the client hangs up first
                            self.wfile.write(chunk)
                    else:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def house() -> Iterator[FakeClearingHouse]:
    fake = FakeClearingHouse()
    fake.thread.start()
    with override_settings(
        HARVEST_PRIVATE_HOSTS_ALLOWED=["127.0.0.1"],
        HARVEST_CONNECT_TIMEOUT=2,
        HARVEST_READ_TIMEOUT=1,
        HARVEST_TOTAL_SECONDS=5,
        HARVEST_MAX_BYTES=1024 * 1024,
    ):
        yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def make_source(world: World, url: str, mapping: str = "chm-initiative", **fields: Any) -> Source:
    return Source.objects.create(
        name=fields.pop("name", "CBD Clearing-House Mechanism"),
        url=url,
        mapping=mapping,
        record_url=fields.pop("record_url", "https://chm.cbd.int/database/{identifier}"),
        owner_organisation=world.international,
        **fields,
    )
