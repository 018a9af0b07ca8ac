from __future__ import annotations

from typing import Any

from clearinghouse.needs.models import Request


def open_case_for_request(sender: type[Request], record: Request, **kwargs: Any) -> None:
    """Every published request for assistance reaches the help desk as a case."""
    from clearinghouse.matchmaking import services

    services.open_case(record, actor=None)
