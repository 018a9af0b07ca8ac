"""The SQLite file holds confidential contacts: only the platform's own account reads it."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from types import SimpleNamespace

from clearinghouse.core.receivers import keep_database_private


def _connection(vendor: str, name: str) -> SimpleNamespace:
    return SimpleNamespace(vendor=vendor, settings_dict={"NAME": name})


def test_a_world_readable_database_file_is_made_private(tmp_path: Path) -> None:
    database = tmp_path / "clearinghouse.sqlite3"
    with sqlite3.connect(database) as opened:
        opened.execute("PRAGMA journal_mode=WAL")
        opened.execute("CREATE TABLE t (x)")
        os.chmod(database, 0o644)
        keep_database_private(sender=None, connection=_connection("sqlite", str(database)))
        for path in (database, Path(f"{database}-wal")):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_databases_without_a_file_of_ours_are_left_alone(tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    elsewhere.write_text("")
    os.chmod(elsewhere, 0o644)
    for connection in (
        _connection("sqlite", ":memory:"),
        _connection("sqlite", "file:memorydb_default?mode=memory&cache=shared"),
        _connection("postgresql", str(elsewhere)),
    ):
        keep_database_private(sender=None, connection=connection)
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644
