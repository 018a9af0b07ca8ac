"""exchange's part of a person's data (accounts.personal_data): the imports they uploaded."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts import personal_data
from clearinghouse.accounts.models import User
from clearinghouse.exchange.models import ImportJob


def imports(user: User) -> list[Any]:
    return list(
        ImportJob.objects.filter(uploader=user).values(
            "kind", "filename", "language", "state", "queued_at", "finished_at"
        )
    )


def register() -> None:
    personal_data.register("imports", imports)
