"""The reference deployment (deploy/) run on one machine: a fresh PostgreSQL database, Redis, two
app hosts (gunicorn with deploy/gunicorn.conf.py, each with its own VAR_DIR), two workers and
nginx in front, with the upstream and the locations of deploy/nginx. A record published through
one host is read, found and suggested through the other and through nginx; a report built by a
worker is downloaded through both hosts; nginx keeps serving when a host is killed; a job whose
worker is killed mid-run is finished by the other worker.

Everything runs as separate processes, as on separate machines: they share only the database,
Redis, the network and the folders deploy/env.example puts on shared storage. Slow (the
migrations alone take about a minute): one run only."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import loopback
from bench.loopback import POSTGRES, Deployment, cache_status, free_port, get, poll

pytestmark = pytest.mark.single_run

# The suite's own runs and `make run` use Redis's database 0: this test keeps to its own, and
# empties it before and after.
REDIS = "redis://127.0.0.1:6379/7"

RECORDS = """
import json
from clearinghouse.geo.models import Country
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.support import services
from clearinghouse.support.models import Offer
from clearinghouse.vocabularies.models import Term

def terms(*codes):
    return list(Term.objects.filter(code__in=codes))

kenya = Country.objects.get(code="KE")
published = {}
"""

# A need, drafted, submitted and published through the workflow as a person would.
NEED = """
need = workflow.create(Need, actor=None, owner=kenya, values={
    "original_language": "en", "format_version": CURRENT_VERSION,
    "title": {"en": "Training rangers in coral reef monitoring"},
    "description": {"en": "Our marine park rangers need training in reef survey methods."},
    "priority": "high", "subjects": terms("SUBJ-MARINE-COASTAL"), "gbf_targets": terms("GBF-T3"),
    "instruments": terms("CBD"), "capacity_levels": terms("individual"),
    "support_types": terms("training"), "support_languages": ["en"],
    "contact_name": "Salma Hassan", "contact_email": "salma@example.org",
})
workflow.submit(need, actor=None)
published["need"] = workflow.publish(need, actor=None).identifier
"""

OFFER = """
offer = services.create(Offer, actor=None, owner=kenya, language="en", cleaned={{
    "title": {title!r}, "description": {description!r},
    "support_types": terms("training"), "subjects": terms("SUBJ-MARINE-COASTAL"),
    "gbf_targets": terms("GBF-T3"), "eligibility": ["Africa"], "languages": ["en", "fr"],
}})
services.submit(offer, actor=None)
published["offer"] = workflow.publish(offer, actor=None).identifier
"""

SUGGESTED = """
from clearinghouse.matching.suggestions import support_for
need = Need.objects.get(identifier={need!r})
print("SUGGESTED", json.dumps([suggestion.record.identifier for suggestion in support_for(need)]))
"""


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    why = loopback.unavailable(REDIS)
    if why:
        pytest.skip(why)
    with loopback.deployment(tmp_path, REDIS, settings={"PROXY_CACHE_SECONDS": "30"}) as running:
        yield running


def publish(d: Deployment, host: str, script: str) -> dict[str, str]:
    """Run RECORDS and then ``script`` through ``host``: the identifiers it published."""
    output = d.shell(host, RECORDS + script + 'print("PUBLISHED", json.dumps(published))')
    line = re.search(r"^PUBLISHED (.*)$", output, re.M)
    assert line is not None, output
    published: dict[str, str] = json.loads(line.group(1))
    return published


def test_two_app_hosts_behind_nginx_serve_one_platform_and_survive_losing_a_host_and_a_worker(
    deployment: Deployment,
) -> None:
    import psycopg

    d = deployment
    d.install()
    ports = free_port(), free_port()
    for host, port in zip("ab", ports, strict=True):
        d.start_app(host, port)
        d.start_worker(host)
    app = {host: f"http://127.0.0.1:{port}" for host, port in zip("ab", ports, strict=True)}
    proxy = d.start_proxy(ports)

    def healthy() -> dict[str, Any] | None:
        status, body = get(f"{proxy}/healthz")
        answer: dict[str, Any] = json.loads(body) if status == 200 else {}
        return answer if answer.get("live_workers") == 2 else None

    poll(
        healthy,
        seconds=60,
        failure=lambda: (
            "no healthy platform with 2 live workers through nginx\n"
            + d.tail("nginx", "app-a", "app-b", "worker-a", "worker-b")
        ),
    )

    # Published through host A: the search and matching jobs go to the queue, for either worker.
    reef = OFFER.format(
        title="Coral reef monitoring course",
        description="<p>Field training in <strong>reef survey</strong> methods for marine park rangers.</p>",
    )
    records = publish(d, "a", NEED + reef)
    need, offer = records["need"], records["offer"]

    ledger = psycopg.connect(f"{POSTGRES}/{d.database}", autocommit=True)

    def jobs() -> list[tuple[str, str, int | None, str]]:
        return ledger.execute("SELECT name, status, worker_pid, task_id FROM core_job ORDER BY id").fetchall()

    def ledger_empty() -> bool:
        return not jobs()

    poll(
        ledger_empty,
        seconds=60,
        failure=lambda: f"jobs left in the ledger: {jobs()}\n" + d.tail("worker-a", "worker-b"),
    )

    # Read through host B directly and through nginx: the page, search, and a suggestion.
    for base in (app["b"], proxy):
        status, page = get(f"{base}/r/{offer}")
        assert status == 200 and "Coral reef monitoring course" in page, f"{base}/r/{offer}: {status}"
        status, page = get(f"{base}/en/search/?q=reef")
        assert status == 200 and offer in page, f"{base}: search for reef does not find {offer}"
    suggested = d.shell("b", RECORDS + SUGGESTED.format(need=need))
    assert f'"{offer}"' in suggested, f"host B does not suggest {offer} for {need}: {suggested}"

    # A progress report built by a worker (on either host) into the shared REPORTS_ROOT is
    # downloaded through both hosts, neither of which keeps it in its own VAR_DIR.
    built = d.shell(
        "a",
        "from clearinghouse.monitoring import report_tasks, reports\n"
        "report = reports.publish(reports.create(2025, 2026))\n"
        "report_tasks.build_files(report.pk, ['en'])\n"
        "print('REPORT', report.pk)\n",
    )
    report = re.search(r"^REPORT (\d+)$", built, re.M)
    assert report is not None, built
    poll(ledger_empty, seconds=120, failure=lambda: f"the report is not built: {jobs()}")

    def downloaded(base: str) -> int:
        url = f"{base}/en/monitoring/reports/published/{report.group(1)}/en.docx"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as answer:  # noqa: S310 - loopback
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return error.code

    assert [downloaded(app[host]) for host in "ab"] == [200, 200]
    assert not any((d.directory / host / "var" / "reports").exists() for host in "ab")

    # Host A dies: nginx sends everything to host B.
    d.kill("app-a")
    # (With a cookie: the proxy's cache would answer a cookieless visitor by itself.)
    answers = [get(f"{proxy}/r/{offer}", cookie="visitor=1")[0] for _ in range(20)]
    assert answers == [200] * 20, answers

    # A worker dies while it indexes a record: the other one runs the job again. The search
    # table is held locked so that the job is surely running when its worker is killed.
    holder = psycopg.connect(f"{POSTGRES}/{d.database}")
    holder.execute("LOCK TABLE search_searchentry IN SHARE ROW EXCLUSIVE MODE")
    seagrass_offer = OFFER.format(
        title="Seagrass meadow mapping", description="<p>Mapping seagrass meadows from drones.</p>"
    )
    seagrass = publish(d, "b", seagrass_offer)["offer"]

    def indexing() -> tuple[str, str, int | None, str] | None:
        running = [job for job in jobs() if job[0].endswith("index_documents") and job[1] == "running"]
        return running[0] if running else None

    _name, _status, pid, task_id = poll(
        indexing, seconds=30, failure=lambda: f"no index job running: {jobs()}"
    )
    workers = {d.processes[name].pid: name for name in ("worker-a", "worker-b")}
    assert pid in workers, f"the index job runs on process {pid}, not one of the workers {workers}"
    killed = workers.pop(pid)
    d.kill(killed)
    holder.rollback()
    holder.close()
    survivor = next(iter(workers.values()))

    def finished_by_survivor() -> bool:
        return re.search(rf"{task_id}.* executed in", d.log(survivor).read_text()) is not None

    poll(
        finished_by_survivor,
        seconds=30,
        failure=lambda: f"{survivor} did not run the job again: {jobs()}\n" + d.tail(survivor),
    )
    poll(ledger_empty, seconds=30, failure=lambda: f"jobs left in the ledger: {jobs()}")
    status, page = get(f"{proxy}/en/search/?q=seagrass")
    assert status == 200 and seagrass in page, f"search through nginx does not find {seagrass}"

    # The public-page cache (PROXY_CACHE_SECONDS): a page asked twice without a cookie comes
    # the second time from the proxy; with a cookie (a signed-in person's), always from a host.
    page = f"{proxy}/en/search/?q=seagrass"
    assert cache_status(page) == "HIT"
    assert cache_status(page, cookie="sessionid=anything") == "BYPASS"
    assert [cache_status(f"{proxy}/healthz") for _ in range(2)] == ["MISS", "MISS"]  # never kept

    status, body = get(f"{proxy}/healthz")
    assert status == 200, body
    assert get(f"{proxy}/metrics")[0] == 404  # never through the proxy
    ledger.close()
