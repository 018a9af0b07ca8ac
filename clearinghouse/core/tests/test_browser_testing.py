"""The live server of the browser tests lets one request in at a time."""

from __future__ import annotations

import threading
import time
from typing import Any

from clearinghouse.core.browser_testing import OneRequestAtATime


class _Body:
    """A response body that is read slowly and says when it was closed."""

    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name

    def __iter__(self) -> Any:
        self.log.append(f"{self.name} in")
        time.sleep(0.05)
        yield b"part one, "
        time.sleep(0.05)
        yield b"part two"
        self.log.append(f"{self.name} out")

    def close(self) -> None:
        self.log.append(f"{self.name} closed")


def test_two_requests_at_once_are_answered_one_after_the_other_whole() -> None:
    log: list[str] = []

    def application(environ: dict[str, Any], start_response: Any) -> _Body:
        start_response("200 OK", [])
        return _Body(log, environ["name"])

    serial = OneRequestAtATime(application)
    answers: dict[str, list[bytes]] = {}

    def ask(name: str) -> None:
        answers[name] = serial({"name": name}, lambda *args: None)

    threads = [threading.Thread(target=ask, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == {"first": [b"part one, part two"], "second": [b"part one, part two"]}
    # Each body is read and closed before the other request starts.
    first, second = sorted({entry.split()[0] for entry in log}, key=lambda name: log.index(f"{name} in"))
    assert log == [f"{name} {step}" for name in (first, second) for step in ("in", "out", "closed")]
