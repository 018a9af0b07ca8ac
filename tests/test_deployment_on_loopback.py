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
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

pytestmark = pytest.mark.single_run

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
# The suite's own runs and `make run` use Redis's database 0: this test keeps to its own, and
# empties it before and after.
REDIS = "redis://127.0.0.1:6379/7"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
T = TypeVar("T")

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


def reachable(url: str) -> bool:
    try:
        import psycopg
        import redis

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception:  # whatever stops a connection means the service is not there
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def poll(check: Callable[[], T | None], *, seconds: float, failure: Callable[[], str]) -> T:
    """The first truthy answer of ``check`` within ``seconds``, else fail with ``failure()``."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            pytest.fail(failure())
        time.sleep(0.25)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a loopback http URL
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return 0, str(error)


@dataclass
class Deployment:
    directory: Path
    database: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def environment(self, host: str, **more: str) -> dict[str, str]:
        """The settings every process shares, as deploy/env.example has them (the folders every
        host reads on storage they share), and the host's own VAR_DIR (its caches)."""
        shared = self.directory / "shared"
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROMETHEUS_"))}
        inherited.pop("DATABASE_URL", None)
        return inherited | {
            "DJANGO_SETTINGS_MODULE": "clearinghouse.settings",
            "DATABASE_URL": f"{POSTGRES}/{self.database}",
            "REDIS_URL": REDIS,
            "SECRET_KEY": "loopback-" + self.database,
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(self.directory / "static"),
            "VAR_DIR": str(self.directory / host / "var"),
            "MEDIA_ROOT": str(shared / "media"),
            "IMPORT_UPLOAD_ROOT": str(shared / "private" / "imports"),
            "SCORM_ROOT": str(shared / "private" / "scorm"),
            "REPORTS_ROOT": str(shared / "reports"),
            "LEARNING_PACKAGE_ROOT": str(shared / "private" / "packages"),
            "JOB_HEARTBEAT_SECONDS": "1",
            "JOB_WORKER_STALE_SECONDS": "3",
            **more,
        }

    def log(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with self.log(name).open("wb") as log:
            # A session of its own: killing the host kills gunicorn's workers with it.
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def run(self, host: str, *arguments: str, seconds: float = 60) -> str:
        done = subprocess.run(
            [str(BIN / "clearinghouse"), *arguments],
            cwd=ROOT,
            env=self.environment(host),
            capture_output=True,
            text=True,
            timeout=seconds,
        )
        assert done.returncode == 0, f"clearinghouse {arguments[0]} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def shell(self, host: str, script: str) -> str:
        return self.run(host, "shell", "-c", script)

    def publish(self, host: str, script: str) -> dict[str, str]:
        """Run RECORDS and then ``script`` through ``host``: the identifiers it published."""
        output = self.shell(host, RECORDS + script + 'print("PUBLISHED", json.dumps(published))')
        line = re.search(r"^PUBLISHED (.*)$", output, re.M)
        assert line is not None, output
        published: dict[str, str] = json.loads(line.group(1))
        return published

    def tail(self, *names: str) -> str:
        return "\n".join(f"--- {name}:\n{self.log(name).read_text()[-3000:]}" for name in names)


def nginx_configuration(directory: Path, port: int, app_ports: tuple[int, int]) -> Path:
    """deploy/nginx's upstream and locations, as they ship, in a plain-HTTP server on loopback."""
    shipped = ROOT / "deploy" / "nginx"
    upstream = re.search(
        r"^upstream clearinghouse \{.*?^\}", (shipped / "clearinghouse.conf").read_text(), re.M | re.S
    )
    assert upstream is not None, "deploy/nginx/clearinghouse.conf has no upstream clearinghouse"
    hosts = upstream.group(0).replace("server app1:8000", f"server 127.0.0.1:{app_ports[0]}")
    hosts = hosts.replace("server app2:8000", f"server 127.0.0.1:{app_ports[1]}")
    assert hosts.count("server 127.0.0.1:") == 2, hosts
    for name in ("clearinghouse-proxy.conf", "clearinghouse-site.conf"):
        text = (shipped / name).read_text().replace("/etc/nginx/clearinghouse/", f"{directory}/")
        (directory / name).write_text(text)
    temporary = "\n".join(
        f"{kind}_temp_path {directory}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Debian's nginx switches its workers to "nobody" when started as root: keep them as we are.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    configuration = directory / "nginx.conf"
    configuration.write_text(
        f"{user}worker_processes 1;\nevents {{ worker_connections 256; }}\n"
        f"http {{\naccess_log {directory}/access.log;\n{temporary}\n{hosts}\n"
        f"server {{\nlisten 127.0.0.1:{port};\nserver_name localhost;\n"
        f"include {directory}/clearinghouse-site.conf;\n}}\n}}\n"
    )
    return configuration


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    if NGINX is None:
        pytest.skip("nginx is not installed (make system-test-deps installs it)")
    if not reachable(REDIS):
        pytest.skip(f"PostgreSQL ({POSTGRES}, trust) or Redis ({REDIS}) is not reachable")
    import psycopg
    import redis

    queue = redis.Redis.from_url(REDIS)
    queue.flushdb()
    database = f"deploy_{secrets.token_hex(4)}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database}")
    deployment = Deployment(tmp_path, database)
    try:
        yield deployment
    finally:
        for name in list(deployment.processes):
            deployment.kill(name)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        queue.flushdb()


def test_two_app_hosts_behind_nginx_serve_one_platform_and_survive_losing_a_host_and_a_worker(
    deployment: Deployment,
) -> None:
    import psycopg

    d = deployment
    # Set up as README's "Production deployment" says: migrations once, static files per host
    # (here one folder for both); side by side, as they do not depend on each other.
    migrate = d.start("migrate", [str(BIN / "clearinghouse"), "migrate", "--no-input"], d.environment("a"))
    static = d.start(
        "collectstatic",
        [str(BIN / "clearinghouse"), "collectstatic", "--no-input", "-v", "0"],
        d.environment("a"),
    )
    for name, process in (("migrate", migrate), ("collectstatic", static)):
        assert process.wait(timeout=240) == 0, d.tail(name)
    d.run("a", "loadreference")

    ports = free_port(), free_port()
    for host, port in zip("ab", ports, strict=True):
        metrics = d.directory / host / "metrics"
        metrics.mkdir(parents=True)
        env = d.environment(host, PROMETHEUS_MULTIPROC_DIR=str(metrics))
        d.start(
            f"app-{host}",
            [
                str(BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            env,
        )
        d.start(f"worker-{host}", [str(BIN / "clearinghouse"), "worker"], d.environment(host))
    app = {host: f"http://127.0.0.1:{port}" for host, port in zip("ab", ports, strict=True)}
    proxy_port = free_port()
    proxy = f"http://127.0.0.1:{proxy_port}"
    (d.directory / "nginx").mkdir()
    configuration = nginx_configuration(d.directory / "nginx", proxy_port, ports)
    assert NGINX is not None
    d.start(
        "nginx",
        [
            NGINX,
            "-p",
            str(d.directory / "nginx"),
            "-c",
            str(configuration),
            "-g",
            f"daemon off; pid {d.directory}/nginx.pid; error_log stderr;",
        ],
        os.environ.copy(),
    )

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
    records = d.publish("a", NEED + reef)
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
    answers = [get(f"{proxy}/r/{offer}")[0] for _ in range(20)]
    assert answers == [200] * 20, answers

    # A worker dies while it indexes a record: the other one runs the job again. The search
    # table is held locked so that the job is surely running when its worker is killed.
    holder = psycopg.connect(f"{POSTGRES}/{d.database}")
    holder.execute("LOCK TABLE search_searchentry IN SHARE ROW EXCLUSIVE MODE")
    seagrass_offer = OFFER.format(
        title="Seagrass meadow mapping", description="<p>Mapping seagrass meadows from drones.</p>"
    )
    seagrass = d.publish("b", seagrass_offer)["offer"]

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

    status, body = get(f"{proxy}/healthz")
    assert status == 200, body
    assert get(f"{proxy}/metrics")[0] == 404  # never through the proxy
    ledger.close()
