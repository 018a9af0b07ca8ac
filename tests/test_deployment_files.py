"""The reference deployment's files (deploy/) agree with each other and with the settings: no
container engine runs in CI, so compose.yaml is read here rather than run, and nginx checks the
site's syntax when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SETTINGS_SOURCE = "".join(
    (DEPLOY.parent / "clearinghouse" / name).read_text() for name in ("settings.py", "env.py")
)
APP_SERVICES = ("migrate", "app1", "app2", "worker1", "worker2")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "env.example").read_text().splitlines()
    pairs = (line.lstrip("#").split("=", 1) for line in lines if re.match(r"#?[A-Z_]+=", line))
    return dict(pairs)


def test_compose_runs_the_database_the_queue_two_app_hosts_two_workers_and_nginx() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "app1", "app2", "worker1", "worker2", "nginx"}
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert services["nginx"]["ports"] == ["80:80", "443:443"]
    # Only nginx is reached from outside: an app host published directly would skip its rules.
    assert [name for name, service in services.items() if "ports" in service] == ["nginx"]


def test_every_app_container_has_the_same_settings_and_waits_for_the_migrations() -> None:
    services = compose()["services"]
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"} <= set(environments[0])
    assert "@db:5432/" in environments[0]["DATABASE_URL"] and "//redis:6379" in environments[0]["REDIS_URL"]
    for name in ("app1", "app2", "worker1", "worker2"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["restart"] == "no"
    build = services["app1"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).exists()


def test_every_app_host_keeps_its_matching_cache_in_step() -> None:
    services = compose()["services"]
    for name in ("app1", "app2"):
        assert "clearinghouse rebuildmatching --sync" in services[name]["command"][-1]
    timer = (DEPLOY / "systemd" / "clearinghouse-matching-sync.service").read_text()
    assert "clearinghouse rebuildmatching --sync" in timer


def test_workers_stop_as_docs_operations_says() -> None:
    services = compose()["services"]
    for name in ("worker1", "worker2"):
        assert services[name]["command"] == ["clearinghouse", "worker"]
        assert services[name]["stop_signal"] == "SIGINT"
    unit = (DEPLOY / "systemd" / "clearinghouse-worker.service").read_text()
    assert "KillSignal=SIGINT" in unit and "Restart=always" in unit


def test_nginx_upstream_names_the_app_services_and_mounts_shipped_files() -> None:
    services = compose()["services"]
    site = (DEPLOY / "nginx" / "clearinghouse.conf").read_text()
    assert re.findall(r"server (\w+):8000", site) == ["app1", "app2"]
    for volume in services["nginx"]["volumes"]:
        source = volume.split(":")[0]
        assert (DEPLOY / source).exists() or source == "./certs", volume


def test_env_example_names_only_settings_the_platform_reads() -> None:
    names = set(env_example())
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "HTTPS",
        "CSRF_TRUSTED_ORIGINS",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "VAR_DIR",
        "MEDIA_ROOT",
        "IMPORT_UPLOAD_ROOT",
        "SCORM_ROOT",
        "REPORTS_ROOT",
        "LEARNING_PACKAGE_ROOT",
        "STATIC_ROOT",
        "LOG_FORMAT",
        "METRICS_TOKEN",
        "PROXY_COUNT",
        "JOB_HEARTBEAT_SECONDS",
        "JOB_WORKER_STALE_SECONDS",
    } <= names
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text()
    unread = sorted(name for name in names if f'"{name}"' not in SETTINGS_SOURCE + gunicorn)
    assert unread == []
    assert env_example()["HTTPS"] == "1" and env_example()["LOG_FORMAT"] == "json"


SHARED_FOLDERS = ("MEDIA_ROOT", "IMPORT_UPLOAD_ROOT", "SCORM_ROOT", "REPORTS_ROOT", "LEARNING_PACKAGE_ROOT")


def test_what_one_host_writes_for_another_is_on_shared_storage_outside_var_dir() -> None:
    """A report built by one host's worker is downloaded through another host, an import
    uploaded to one is run by a worker on another: these folders are shared, VAR_DIR is not."""
    example = env_example()
    services = compose()["services"]
    environment = services["app1"]["environment"]
    assert "shared:/srv/clearinghouse-shared" in services["app1"]["volumes"]
    for settings_of_a_host in (example, environment):
        for name in SHARED_FOLDERS:
            folder = Path(settings_of_a_host[name])
            assert folder.is_relative_to("/srv/clearinghouse-shared"), name
            assert not folder.is_relative_to(settings_of_a_host["VAR_DIR"]), name
    assert len({example[name] for name in SHARED_FOLDERS}) == len(SHARED_FOLDERS)


def test_nginx_accepts_the_largest_upload_the_platform_does() -> None:
    site = (DEPLOY / "nginx" / "clearinghouse-site.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))  # type: ignore[union-attr]
    largest = max(
        settings.SCORM_MAX_UPLOAD_BYTES, settings.SUPPORT_UPLOAD_MAX_BYTES, settings.PICTURE_MAX_UPLOAD_BYTES
    )
    assert megabytes * 1024 * 1024 >= largest


def test_nginx_never_serves_uploads_from_disk_nor_metrics() -> None:
    site = (DEPLOY / "nginx" / "clearinghouse-site.conf").read_text()
    directives = "\n".join(line for line in site.splitlines() if not line.lstrip().startswith("#"))
    assert "location /media" not in directives and "alias" not in directives
    assert re.search(r"location = /metrics \{\s*return 404;", directives)


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make system-test-deps installs it)")
@pytest.mark.skipif(
    not shutil.which("openssl"), reason="openssl is not installed (for a throw-away certificate)"
)
def test_nginx_accepts_the_shipped_site(tmp_path: Path) -> None:
    assert NGINX is not None
    subprocess.run(
        [
            *(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
            ),
            *("-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
    )
    for name in ("clearinghouse.conf", "clearinghouse-proxy.conf", "clearinghouse-site.conf"):
        text = (DEPLOY / "nginx" / name).read_text()
        text = text.replace("/etc/nginx/clearinghouse/", f"{tmp_path}/").replace(
            "/etc/ssl/clearinghouse/", f"{tmp_path}/"
        )
        text = text.replace("/var/cache/nginx/clearinghouse", f"{tmp_path}/cache")
        # The app hosts' names resolve only where they run.
        (tmp_path / name).write_text(re.sub(r"server app(\d):8000", r"server 127.0.0.1:800\1", text))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\naccess_log off;\ninclude {tmp_path}/clearinghouse.conf;\n}}\n"
    )
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_the_container_installs_the_production_packages() -> None:
    # PostgreSQL's driver, Redis's client and hnswlib are not in base.txt (`make run` does
    # without them): a container that forgot production.txt would stop at start-up.
    containerfile = (DEPLOY / "Containerfile").read_text()
    assert re.search(
        r"pip install .*-r requirements/base\.txt -r requirements/production\.txt", containerfile
    )
    production = (DEPLOY.parent / "requirements" / "production.txt").read_text()
    for package in ("psycopg==", "psycopg-binary==", "redis==", "hnswlib=="):
        assert package in production
