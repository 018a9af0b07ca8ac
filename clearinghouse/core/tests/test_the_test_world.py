"""The suite's shared world (core/testing.py): written in bulk for speed, it must be exactly the
world the accounts services make one person at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from clearinghouse.accounts import mfa_policy
from clearinghouse.accounts.models import Appointment, AppointmentLog, User
from clearinghouse.core.testing import World, build_world, build_world_through_services
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation


def _snapshot(world: World) -> dict[str, Any]:
    def code(place: Any) -> str | None:
        return place.code if place is not None else None

    return {
        "countries": sorted(
            Country.objects.values_list("code", "alpha3", "names", "cbd_party", "developing")
        ),
        "organisations": sorted(
            (o.code, o.name, o.name_language, o.type, code(o.country)) for o in Organisation.objects.all()
        ),
        "people": sorted(
            (u.username, u.email, u.first_name, u.last_name, u.preferred_language, u.is_active, u.is_staff)
            for u in User.objects.all()
        ),
        "passwords": sorted(
            (user.username, user.check_password(f"{user.username}-passphrase-2026"))
            for user in User.objects.all()
        ),
        "addresses": sorted(
            EmailAddress.objects.values_list("user__username", "email", "verified", "primary")
        ),
        "appointments": sorted(
            (a.user.username, a.role, code(a.country), code(a.organisation), a.appointed_by, a.ended_at)
            for a in Appointment.objects.all()
        ),
        "log": sorted(
            (
                entry.action,
                entry.actor,
                entry.role,
                entry.email,
                entry.user.username if entry.user else None,
                code(entry.country),
                code(entry.organisation),
            )
            for entry in AppointmentLog.objects.all()
        ),
        "second_factors": sorted(
            (a.user.username, a.type, len(decrypt(a.data["secret"]))) for a in Authenticator.objects.all()
        ),
        "who_must_have_one": sorted(
            person.username
            for person in vars(world).values()
            if isinstance(person, User) and mfa_policy.requires_second_factor(person)
        ),
    }


def _built(build: Callable[[], World]) -> tuple[dict[str, Any], int]:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            world = build()
        snapshot = _snapshot(world)
        transaction.set_rollback(True)
    return snapshot, len(queries)


@pytest.mark.django_db
def test_the_world_written_in_bulk_is_the_world_the_services_make() -> None:
    fast, fast_queries = _built(build_world)
    slow, slow_queries = _built(build_world_through_services)
    assert fast == slow
    assert fast["appointments"] and fast["second_factors"] and fast["organisations"]
    # What it is for: a fraction of the queries.
    assert fast_queries * 3 < slow_queries
