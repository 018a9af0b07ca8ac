from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def keep_database_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """An SQLite database holds everything, confidential contacts included: its files are
    readable by the account the platform runs as only, whatever the umask made them."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:
            # Owned by another account (a shared test directory): not ours to change.
            continue
