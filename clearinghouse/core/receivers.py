from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# Files checked by this process: SQLite opens a connection per request, and its -wal and -shm
# files take the database file's permissions, so one check per file and process is enough.
_checked: set[str] = set()


def keep_database_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """An SQLite database holds everything, confidential contacts included: its files are
    readable by the account the platform runs as only, whatever the umask made them."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or name in _checked:
        return
    _checked.add(name)
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:
            # Owned by another account (a shared test directory): not ours to change.
            continue
