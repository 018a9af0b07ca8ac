"""The "Keep offline" panel shown on every record's page."""

from __future__ import annotations

from typing import Any


def keep_offline(request: Any, record: Any) -> dict[str, Any]:
    """The kind of the page, stored with a kept copy so the offline list can name it."""
    meta = getattr(record, "_meta", None)
    return {"kind": str(meta.verbose_name) if meta is not None else ""}
