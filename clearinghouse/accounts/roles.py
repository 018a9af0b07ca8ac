"""Who holds which role where: the questions every permission asks, answered once per request.

A person's active appointments are read once and kept on the user object for the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clearinghouse.accounts.models import Appointment, Role

if TYPE_CHECKING:
    from clearinghouse.geo.models import Country
    from clearinghouse.organisations.models import Organisation

_CACHE = "_active_appointments"


def active_appointments(user: Any) -> list[Appointment]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached: list[Appointment] | None = getattr(user, _CACHE, None)
    if cached is None:
        # With their Parties and organisations' countries: pages name them, and counting a
        # reader's use by country (publishing.usage) then costs no query.
        cached = list(
            Appointment.objects.filter(user=user, ended_at__isnull=True).select_related(
                "country", "organisation__country"
            )
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_appointments(user: Any) -> None:
    """Drop the cached appointments after they change."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def has_role(user: Any, role: Role) -> bool:
    if role == Role.SECRETARIAT and getattr(user, "is_superuser", False):
        return True
    return any(appointment.role == role for appointment in active_appointments(user))


def is_secretariat(user: Any) -> bool:
    return has_role(user, Role.SECRETARIAT)


def countries_for(user: Any, *roles: Role) -> set[int]:
    """Ids of the Parties for which the user holds one of these roles."""
    return {
        appointment.country_id
        for appointment in active_appointments(user)
        if appointment.role in roles and appointment.country_id is not None
    }


def organisations_for(user: Any, *roles: Role) -> set[int]:
    return {
        appointment.organisation_id
        for appointment in active_appointments(user)
        if appointment.role in roles and appointment.organisation_id is not None
    }


def acts_for_country(user: Any, country: Country | None, *roles: Role) -> bool:
    return country is not None and country.pk in countries_for(user, *roles)


def acts_for_organisation(user: Any, organisation: Organisation | None, *roles: Role) -> bool:
    return organisation is not None and organisation.pk in organisations_for(user, *roles)
