"""PostgreSQL's driver and Redis's client are installed for production only
(requirements/production.txt; `make run` needs neither): configured without them, the platform
stops at start-up and says what to install instead of failing on an import later."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clearinghouse import env


def test_a_missing_production_package_names_the_file_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(
        ImproperlyConfigured, match=r"PostgreSQL, but psycopg .*pip install -r requirements/production\.txt"
    ):
        env.require_production_package("psycopg", "DATABASE_URL names PostgreSQL")


def test_an_installed_package_passes() -> None:
    env.require_production_package("json", "always")


def _start_without(module: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = f"import sys; sys.modules[{module!r}] = None; import clearinghouse.settings"
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("module", "setting", "message"),
    [
        (
            "psycopg",
            {"DATABASE_URL": "postgres://clearinghouse@db.example/clearinghouse"},
            "DATABASE_URL names PostgreSQL",
        ),
        ("redis", {"REDIS_URL": "redis://queue.example:6379/0"}, "REDIS_URL is set"),
    ],
)
def test_the_settings_stop_when_production_needs_a_package_that_is_missing(
    tmp_path: Path, module: str, setting: dict[str, str], message: str
) -> None:
    base = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path)}
    assert _start_without(module, base).returncode == 0, "SQLite and the SQLite job queue need neither"
    started = _start_without(module, base | setting)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert message in started.stderr
    assert "pip install -r requirements/production.txt" in started.stderr
