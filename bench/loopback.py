"""The reference deployment (deploy/) brought up on this machine, on loopback: a fresh PostgreSQL
database, Redis, app hosts running gunicorn with deploy/gunicorn.conf.py (each with its own
VAR_DIR), workers, and Debian's nginx in front with the upstream and the locations of
deploy/nginx as they ship. Everything runs as separate processes, as on separate machines: they
share only the database, Redis, the shared folders and the network.

Used by tests/test_deployment_on_loopback.py (one record through two hosts, a host and a worker
killed) and by bench/load.py (the load held by two hosts).
"""

from __future__ import annotations

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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLEARINGHOUSE = str(BIN / "clearinghouse")
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
T = TypeVar("T")


class NotReadyError(AssertionError):
    """What was waited for did not happen in time."""


def unavailable(redis_url: str) -> str | None:
    """Why the deployment cannot be brought up here, or None when it can."""
    if NGINX is None:
        return "nginx is not installed (make system-test-deps installs it)"
    try:
        import psycopg
        import redis

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception:  # whatever stops a connection means the service is not there
        return f"PostgreSQL ({POSTGRES}, trust) or Redis ({redis_url}) is not reachable"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def poll(check: Callable[[], T | None], *, seconds: float, failure: Callable[[], str]) -> T:
    """The first truthy answer of ``check`` within ``seconds``, else NotReadyError with ``failure()``."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise NotReadyError(failure())
        time.sleep(0.25)


def get(url: str, cookie: str = "") -> tuple[int, str]:
    """The status and body of a GET of ``url`` (with ``cookie`` when given)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a loopback http URL
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return 0, str(error)


def cache_status(url: str, cookie: str = "") -> str:
    """What the proxy's public-page cache did for a GET of ``url`` (its X-Cache-Status: HIT,
    MISS, BYPASS, ...), asked with ``cookie`` when given."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a loopback http URL
        return str(response.headers.get("X-Cache-Status", ""))


@dataclass
class Deployment:
    directory: Path
    database: str
    redis_url: str
    # Settings of this deployment beyond the shared ones (every host, every process).
    settings: dict[str, str] = field(default_factory=dict)
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
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": "loopback-" + self.database,
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(self.directory / "static"),
            "VAR_DIR": str(self.directory / host / "var"),
            # What one host writes for another is on storage every host shares (docs/operations.md).
            "MEDIA_ROOT": str(shared / "media"),
            "IMPORT_UPLOAD_ROOT": str(shared / "private" / "imports"),
            "SCORM_ROOT": str(shared / "private" / "scorm"),
            "REPORTS_ROOT": str(shared / "reports"),
            "LEARNING_PACKAGE_ROOT": str(shared / "private" / "packages"),
            "JOB_HEARTBEAT_SECONDS": "1",
            "JOB_WORKER_STALE_SECONDS": "3",
            **self.settings,
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

    def run(self, host: str, *arguments: str, seconds: float = 60, **more: str) -> str:
        done = subprocess.run(
            [CLEARINGHOUSE, *arguments],
            cwd=ROOT,
            env=self.environment(host, **more),
            capture_output=True,
            text=True,
            timeout=seconds,
        )
        if done.returncode:
            raise NotReadyError(f"clearinghouse {arguments[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def shell(self, host: str, script: str) -> str:
        return self.run(host, "shell", "-c", script)

    def tail(self, *names: str) -> str:
        return "\n".join(f"--- {name}:\n{self.log(name).read_text()[-3000:]}" for name in names)

    def install(self, host: str = "a") -> None:
        """As README's "Production deployment" says: migrations once, static files per host (here
        one folder for all); side by side, as they do not depend on each other."""
        environment = self.environment(host)
        migrate = self.start("migrate", [CLEARINGHOUSE, "migrate", "--no-input"], environment)
        static = self.start(
            "collectstatic", [CLEARINGHOUSE, "collectstatic", "--no-input", "-v", "0"], environment
        )
        for name, process in (("migrate", migrate), ("collectstatic", static)):
            if process.wait(timeout=300):
                raise NotReadyError(f"{name} failed\n{self.tail(name)}")
        self.run(host, "loadreference")

    def start_app(self, host: str, port: int, *, workers: int = 2, threads: int | None = None) -> None:
        """An app host: gunicorn with deploy/gunicorn.conf.py, counting its metrics in its own folder."""
        metrics = self.directory / host / "metrics"
        metrics.mkdir(parents=True, exist_ok=True)
        command = [
            str(BIN / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(["--threads", str(threads)] if threads else []),
        ]
        self.start(f"app-{host}", command, self.environment(host, PROMETHEUS_MULTIPROC_DIR=str(metrics)))

    def start_worker(self, host: str) -> None:
        self.start(f"worker-{host}", [CLEARINGHOUSE, "worker"], self.environment(host))

    def start_proxy(self, app_ports: tuple[int, int]) -> str:
        """nginx in front of the two app hosts: its address."""
        assert NGINX is not None
        port = free_port()
        folder = self.directory / "nginx"
        folder.mkdir(exist_ok=True)
        configuration = nginx_configuration(folder, port, app_ports)
        self.start(
            "nginx",
            [
                NGINX,
                "-p",
                str(folder),
                "-c",
                str(configuration),
                "-g",
                f"daemon off; pid {folder}/nginx.pid; error_log stderr;",
            ],
            os.environ.copy(),
        )
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name)


def nginx_configuration(directory: Path, port: int, app_ports: tuple[int, int]) -> Path:
    """deploy/nginx's upstream, public-page cache and locations, as they ship, in a plain-HTTP
    server on loopback."""
    shipped = ROOT / "deploy" / "nginx"
    main = (shipped / "clearinghouse.conf").read_text()
    upstream = re.search(r"^upstream clearinghouse \{.*?^\}", main, re.M | re.S)
    assert upstream is not None, "deploy/nginx/clearinghouse.conf has no upstream clearinghouse"
    hosts = upstream.group(0).replace("server app1:8000", f"server 127.0.0.1:{app_ports[0]}")
    hosts = hosts.replace("server app2:8000", f"server 127.0.0.1:{app_ports[1]}")
    assert hosts.count("server 127.0.0.1:") == 2, hosts
    cache = re.search(r"^proxy_cache_path .*?;$", main, re.M | re.S)
    assert cache is not None, "deploy/nginx/clearinghouse.conf has no proxy_cache_path"
    cache_path = re.sub(r"/var/cache/nginx/clearinghouse", str(directory / "cache"), cache.group(0))
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
        f"{user}worker_processes 1;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\naccess_log {directory}/access.log;\n{temporary}\n{cache_path}\n{hosts}\n"
        f"server {{\nlisten 127.0.0.1:{port};\nserver_name localhost;\n"
        f"include {directory}/clearinghouse-site.conf;\n}}\n}}\n"
    )
    return configuration


@contextmanager
def deployment(
    directory: Path, redis_url: str, prefix: str = "deploy", settings: dict[str, str] | None = None
) -> Iterator[Deployment]:
    """A new database and an emptied Redis database for a deployment; both dropped, and every
    process it started killed, when done."""
    import psycopg
    import redis

    queue = redis.Redis.from_url(redis_url)
    queue.flushdb()
    database = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database}")
    running = Deployment(directory, database, redis_url, dict(settings or {}))
    try:
        yield running
    finally:
        running.stop()
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        queue.flushdb()
