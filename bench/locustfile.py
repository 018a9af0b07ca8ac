"""The visitors of bench/load.py: each asks, as fast as it is answered, for one address after
another drawn at random from the list in the file LOAD_ADDRESSES names (one path per line),
keeping the cookies it is given, as a browser does. Every request is counted under LOAD_NAME;
any status other than 200 is an error.

With LOAD_COOKIE set, every request carries that cookie, as a signed-in person's does: the
proxy's public-page cache is passed by, and the platform answers each request itself. The
proxy's verdicts (its X-Cache-Status header: HIT, MISS, BYPASS, ...) are counted and written, at
the end, as JSON to the file LOAD_VERDICTS names."""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, events, task

ADDRESSES = Path(os.environ["LOAD_ADDRESSES"]).read_text().split()
NAME = os.environ.get("LOAD_NAME", "load")
COOKIE = os.environ.get("LOAD_COOKIE", "")
VERDICTS: Counter[str] = Counter()


class Visitor(FastHttpUser):
    wait_time = constant(0)
    # Compressed answers, as a browser asks for them.
    default_headers = {"Accept-Encoding": "gzip, br", "Accept-Language": "en"}

    @task
    def visit(self) -> None:
        headers = {"Cookie": COOKIE} if COOKIE else {}
        address = random.choice(ADDRESSES)
        with self.client.get(address, name=NAME, headers=headers, catch_response=True) as response:
            VERDICTS[response.headers.get("X-Cache-Status") or "NONE"] += 1
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {address}")


@events.test_stop.add_listener
def write_verdicts(**_kwargs: Any) -> None:
    if target := os.environ.get("LOAD_VERDICTS"):
        Path(target).write_text(json.dumps(VERDICTS))
