"""support's part of a person's data (accounts.personal_data): the expert profiles about them.
A closed account is detached from them; the profiles belong to their owners and stay."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts import personal_data
from clearinghouse.accounts.models import User
from clearinghouse.support.models import Expert


def expert_profiles(user: User) -> list[Any]:
    return [
        {"identifier": expert.identifier, "state": expert.state}
        for expert in Expert.objects.filter(expert_user=user).order_by("pk")
    ]


def detach_expert_profiles(user: User) -> None:
    Expert.objects.filter(expert_user=user).update(expert_user=None)


def register() -> None:
    personal_data.register("expert_profiles", expert_profiles, close=detach_expert_profiles)
