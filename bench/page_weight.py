"""Page weights: the bytes a browser transfers for the platform's main pages, as the issue's
targets count them (HTML, CSS, JS, images and fonts, compressed as sent).

    python -m bench.page_weight [--fresh]

Builds the demo database once (kept in the work folder; ``--fresh`` builds it again), serves it
with gunicorn as production does (DEBUG off, static files collected and compressed by whitenoise),
and opens each page in Debian's Chromium through Playwright, counting every response's encoded
length as the network reports it (CDP ``Network.loadingFinished``). For each kind of page, in
English and Arabic, normally and in save-data mode:

- ``first``: the first page of that kind in a browser with an empty cache (target ≤ 100 KB);
- ``later``: then another page of the same kind (a second need after a first; the same page again
  where there is only one, such as the home page or the dashboard) (target ≤ 10 KB).

One line per page (printed, and returned by ``run``), the figures in
bench/results/page-weight.json; the process exits non-zero when a page misses a target.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "page-weight.json"
WORK_DIR = Path(tempfile.gettempdir()) / "clearinghouse-bench-page-weight"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FIRST_LIMIT = 100 * 1024
LATER_LIMIT = 10 * 1024
LANGUAGES = ("en", "ar")
# The demo's focal point of Kenya (README: demo sign-in), for the dashboard.
FOCAL_POINT = "focalpoint.ke@demo.clearinghouse.example"
DEMO_PASSWORD = "demo-clearinghouse-2026"  # noqa: S105  # the demo's published password
FOCAL_POINT_TOTP = "ZPX4GLS22HOJCX5642MMXLOSPATLCTCR"

# Each kind of page: how to find its first and second address in the demo (paths without the
# language prefix), and whether it needs the focal point signed in.
KINDS: list[dict[str, Any]] = [
    {"kind": "home", "first": "/", "later": "/"},
    {"kind": "search results", "first": "/search/?q=biodiversity", "later": "/search/?q=water"},
    {"kind": "needs list", "first": "/needs/", "later": "/needs/?page=2"},
    {"kind": "need", "record": "needs", "link": "/needs/"},
    {"kind": "event", "record": "events", "link": "/events/"},
    {"kind": "course", "record": "learning", "link": "/learning/courses/"},
    {"kind": "record of support", "record": "support/offers", "link": "/support/offers/"},
    {"kind": "statistics", "first": "/statistics/", "later": "/statistics/gaps/"},
    {"kind": "dashboard", "first": "/work/", "later": "/work/", "signed_in": True},
]


def _environment() -> dict[str, str]:
    var = WORK_DIR / "var"
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK_DIR / 'demo.sqlite3'}",
        "VAR_DIR": str(var),
        "STATIC_ROOT": str(WORK_DIR / "static"),
        "MEDIA_ROOT": str(var / "media"),
        "SECRET_KEY": "page-weight-bench-" + "x" * 50,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "JOBS_IMMEDIATE": "1",
        "SITE_URL": "http://127.0.0.1",
    }


def _manage(*arguments: str) -> None:
    command = [str(Path(sys.executable).parent / "clearinghouse"), *arguments]
    done = subprocess.run(command, cwd=ROOT, env=_environment(), capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"clearinghouse {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")


def build(fresh: bool) -> None:
    """The demo database as `make run` loads it (kept between runs unless ``fresh``)."""
    marker = WORK_DIR / "demo-loaded"
    if fresh and WORK_DIR.exists():
        shutil.rmtree(WORK_DIR)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    _manage("collectstatic", "--no-input", "-v", "0")
    if marker.exists():
        return
    _manage("migrate", "--no-input", "-v", "0")
    _manage("loadreference")
    _manage("importplan", "clearinghouse/plan/data/decision-XIII-23-ar.txt")
    _manage("loadindicators")
    _manage("loaddemo")
    marker.touch()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(  # our own server, from our own virtualenv
        [
            gunicorn,
            "clearinghouse.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_environment(),
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(120):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310  # our server
                return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the server did not answer within a minute")


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit code of an authenticator app (RFC 6238, 30 s, SHA-1)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Meter:
    """Counts the bytes the network delivers to one page (CDP encodedDataLength: compressed
    bodies plus headers, as transferred), by resource type."""

    def __init__(self, page: Any) -> None:
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.types: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.session.on("Network.responseReceived", self._response)
        self.session.on("Network.loadingFinished", self._finished)

    def _response(self, event: dict[str, Any]) -> None:
        self.types[event["requestId"]] = event.get("type", "Other")

    def _finished(self, event: dict[str, Any]) -> None:
        kind = self.types.get(event["requestId"], "Other")
        self.bytes[kind] = self.bytes.get(kind, 0) + int(event["encodedDataLength"])

    def reset(self) -> None:
        self.bytes = {}

    @property
    def total(self) -> int:
        return sum(self.bytes.values())


def _visit(page: Any, meter: Meter, url: str) -> dict[str, Any]:
    meter.reset()
    response = page.goto(url, wait_until="networkidle")
    if response is None or response.status >= 400:
        raise RuntimeError(f"{url} answered {response.status if response else 'nothing'}")
    # Lazy images below the fold count only once they are scrolled to: scroll to the end.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    return {"url": url, "bytes": meter.total, "by_type": dict(meter.bytes)}


def _sign_in(page: Any, base: str, language: str) -> None:
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("input[name=login]", FOCAL_POINT)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state("networkidle")
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", totp(FOCAL_POINT_TOTP))
        page.locator("input[name=code]").press("Enter")
        page.wait_for_load_state("networkidle")


def _records(page: Any, base: str, language: str, kind: dict[str, Any]) -> tuple[str, str]:
    """The first two record pages linked from the kind's list."""
    page.goto(f"{base}/{language}/{kind['record']}/")
    prefix = f"/{language}{kind['link']}"
    links = page.eval_on_selector_all(
        f'a[href^="{prefix}"]', "links => links.map(link => link.getAttribute('href'))"
    )
    # A record's own page: one identifier (with a digit) after the list's address.
    found = list(
        dict.fromkeys(
            link for link in links if re.fullmatch(r"[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*/?", link[len(prefix) :])
        )
    )
    if len(found) < 2:
        raise RuntimeError(f"fewer than two {kind['kind']} pages linked from /{kind['record']}/")
    return found[0].removeprefix(f"/{language}"), found[1].removeprefix(f"/{language}")


def measure(base: str) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            for language in LANGUAGES:
                for save_data in (False, True):
                    for kind in KINDS:
                        headers = {"Save-Data": "on"} if save_data else {}
                        # A new context: an empty cache, as on a first visit. The service worker
                        # is kept out: its own fetches happen in another target, which the page's
                        # meter would not see (they are counted once, by worker_install).
                        context = browser.new_context(extra_http_headers=headers, service_workers="block")
                        page = context.new_page()
                        if kind.get("signed_in"):
                            _sign_in(page, base, language)
                        if "record" in kind:
                            first, later = _records(page, base, language, kind)
                        else:
                            first, later = kind["first"], kind["later"]
                        if kind.get("signed_in") or "record" in kind:
                            # What signing in or finding the records loaded is not the first visit.
                            context.clear_cookies() if not kind.get("signed_in") else None
                            cookies = context.cookies()
                            context.close()
                            context = browser.new_context(extra_http_headers=headers, service_workers="block")
                            context.add_cookies(cookies)
                            page = context.new_page()
                        meter = Meter(page)
                        one = _visit(page, meter, f"{base}/{language}{first}")
                        two = _visit(page, meter, f"{base}/{language}{later}")
                        context.close()
                        rows.append(
                            {
                                "kind": kind["kind"],
                                "language": language,
                                "save_data": save_data,
                                "first": one,
                                "later": two,
                                "first_ok": one["bytes"] <= FIRST_LIMIT,
                                "later_ok": two["bytes"] <= LATER_LIMIT,
                            }
                        )
        finally:
            browser.close()
    return rows


def worker_install(base: str) -> dict[str, Any]:
    """What installing the service worker transfers once per release: the worker itself and every
    file of the shell it precaches, compressed as the server sends them (an upper bound: the files
    the first page already loaded come from the browser's HTTP cache)."""

    def transferred(path: str) -> int:
        request = urllib.request.Request(f"{base}{path}", headers={"Accept-Encoding": "br, gzip"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # our own server
            body = response.read()
            head = sum(len(name) + len(value) + 4 for name, value in response.getheaders())
        return len(body) + head

    with urllib.request.urlopen(f"{base}/en/", timeout=30) as response:  # noqa: S310  # our own server
        page = response.read().decode()
    outbox = re.search(r'data-outbox-script="([^"]+)"', page)
    worker_path = "/sw.js" + (f"?outbox={outbox.group(1)}" if outbox else "")
    with urllib.request.urlopen(f"{base}{worker_path}", timeout=30) as response:  # noqa: S310  # our own server
        worker = response.read().decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});\n", worker, re.S).group(1))  # type: ignore[union-attr]
    files = {path: transferred(path) for path in [worker_path, *config["shell"]]}
    return {"files": files, "bytes": sum(files.values())}


def _line(row: dict[str, Any]) -> str:
    mode = "save-data" if row["save_data"] else "normal"
    flags = "" if row["first_ok"] and row["later_ok"] else "  OVER TARGET"
    return (
        f"page-weight kind={row['kind'].replace(' ', '-')} language={row['language']} mode={mode} "
        f"first_kb={row['first']['bytes'] / 1024:.1f} later_kb={row['later']['bytes'] / 1024:.1f}{flags}"
    )


def run(scale: str = "full", fresh: bool = False) -> list[str]:
    """Measure every kind of page; return the lines; exit non-zero past a target (the scale does
    not change what is measured: the demo is the demo)."""
    build(fresh)
    server, base = serve()
    try:
        rows = measure(base)
        install = worker_install(base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [_line(row) for row in rows]
    lines.append(
        f"page-weight service-worker-install files={len(install['files'])} kb={install['bytes'] / 1024:.1f}"
    )
    for line in lines:
        print(line)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "first_limit": FIRST_LIMIT,
                "later_limit": LATER_LIMIT,
                "cores": os.cpu_count(),
                "pages": rows,
                "service_worker_install": install,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    if not all(row["first_ok"] and row["later_ok"] for row in rows):
        print("page-weight: some pages are over their target", file=sys.stderr)
        sys.exit(1)
    return lines


if __name__ == "__main__":
    run(fresh="--fresh" in sys.argv[1:])
