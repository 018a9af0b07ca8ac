"""search's part of a person's data (accounts.personal_data): their saved searches, which go
with their account when it is closed (no one else reads them)."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts import personal_data
from clearinghouse.accounts.models import User
from clearinghouse.search.models import SavedSearch


def saved_searches(user: User) -> list[Any]:
    return list(
        SavedSearch.objects.filter(owner=user).values(
            "name", "query", "frequency", "language", "active", "created_at", "last_sent_at"
        )
    )


def forget_saved_searches(user: User) -> None:
    SavedSearch.objects.filter(owner=user).delete()


def register() -> None:
    personal_data.register("saved_searches", saved_searches, close=forget_saved_searches)
