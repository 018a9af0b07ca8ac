"""One migrated test database per test run, copied to the other xdist workers.

Creating the test database runs every migration, and Django spends about 25 s of pure Python
rendering migration states for it. Each xdist worker used to do that for itself. Now the first
worker to need the database builds it by running the migrations as before and keeps a copy
(a file on SQLite, a template database on PostgreSQL); the other workers get a copy of that,
byte for byte, in about a second. Every worker still tests the schema the migrations built.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connections
from django.test.utils import setup_databases, teardown_databases
from filelock import FileLock

ALIAS = "default"


def _creation() -> Any:
    # Django's creation API for test databases, beyond what django-stubs declares.
    return connections[ALIAS].creation


def _quote(name: str) -> str:
    return connections[ALIAS].ops.quote_name(name)


def _keep_sqlite(directory: Path) -> dict[str, str]:
    connection = connections[ALIAS]
    path = directory / "migrated.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    with copy:
        connection.connection.backup(copy)
    copy.close()
    return {"vendor": "sqlite", "path": str(path)}


def _keep_postgresql(run_id: str) -> dict[str, str]:
    connection = connections[ALIAS]
    template = f"{connection.settings_dict['NAME']}_template_{run_id}"[:63]
    # PostgreSQL copies a database only while nobody is connected to it.
    connection.close()
    with _creation()._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(template)}")
        cursor.execute(
            f"CREATE DATABASE {_quote(template)} TEMPLATE {_quote(connection.settings_dict['NAME'])}"
        )
    return {"vendor": "postgresql", "name": template}


def _copy(kept: dict[str, str]) -> Any:
    """Give this worker its own copy of the kept database; return what teardown needs."""
    connection = connections[ALIAS]
    creation = _creation()
    if kept["vendor"] == "sqlite":
        # Django's own name for an in-memory test database (shared cache, lives as long as a
        # connection to it is open; Django never closes in-memory test connections).
        name = f"file:memorydb_{ALIAS}?mode=memory&cache=shared"
        memory = sqlite3.connect(name, uri=True)
        source = sqlite3.connect(kept["path"])
        source.backup(memory)
        source.close()
        old_name = connection.settings_dict["NAME"]
        _use(name)
        connection.ensure_connection()
        memory.close()
        return old_name
    old_name = connection.settings_dict["NAME"]
    name = creation._get_test_db_name()
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        cursor.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(kept['name'])}")
    _use(name)
    connection.ensure_connection()
    return old_name


def _use(name: str) -> None:
    from django.conf import settings

    connection = connections[ALIAS]
    connection.close()
    settings.DATABASES[ALIAS]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _can_share(aliases: Any, serialized_aliases: set[str], keepdb: bool) -> bool:
    connection = connections[ALIAS]
    return (
        not keepdb
        and aliases == {ALIAS}
        and not serialized_aliases
        and connection.vendor in {"sqlite", "postgresql"}
        and (connection.vendor != "sqlite" or _creation().is_in_memory_db(_creation()._get_test_db_name()))
    )


def _end_other_sessions() -> None:
    """Close the sessions other threads left on this worker's test database: some tests' threads
    (the help desk's SMTP receiver) hold connections of their own, and PostgreSQL refuses to drop
    a database anyone is still connected to."""
    connection = connections[ALIAS]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def migrated_test_databases(
    *,
    aliases: Any,
    serialized_aliases: set[str],
    keepdb: bool,
    verbosity: int,
    share_in: tuple[Path, str] | None,
) -> Iterator[None]:
    """Set up the test databases (torn down after the one ``yield``), as pytest-django does.

    With ``share_in`` (a directory shared by the workers of one run and only by them, and the
    run's id), the first worker builds the database and the others copy it."""
    if share_in is None or not _can_share(aliases, serialized_aliases, keepdb):
        db_cfg = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
        yield
        if not keepdb:
            _end_other_sessions()
            teardown_databases(db_cfg, verbosity=verbosity)
        return

    directory, run_id = share_in
    lock = FileLock(directory / "migrated-db.lock")
    marker = directory / "migrated-db.json"
    with lock:
        if marker.exists():
            old_name = _copy(json.loads(marker.read_text()))
            built = None
        else:
            built = setup_databases(
                verbosity=verbosity, interactive=False, aliases=aliases, serialized_aliases=set()
            )
            vendor = connections[ALIAS].vendor
            kept = _keep_sqlite(directory) if vendor == "sqlite" else _keep_postgresql(run_id)
            marker.write_text(json.dumps(kept))
    yield
    _end_other_sessions()
    if built is None:
        connections[ALIAS].creation.destroy_test_db(old_name, verbosity=verbosity)
        return
    teardown_databases(built, verbosity=verbosity)
    with lock:
        # A worker that has not copied the database by now builds its own.
        kept = json.loads(marker.read_text())
        marker.unlink()
        if kept["vendor"] == "postgresql":
            with _creation()._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(kept['name'])}")
        else:
            os.unlink(kept["path"])
