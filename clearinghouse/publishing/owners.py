"""For whom a person may register records: the Parties and organisations of their roles.

Every registry's forms (needs, support) offer these owners and read the choice back here.
"""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation

_COUNTRY_REGISTRARS = (Role.FOCAL_POINT, Role.AUTHORISED_USER)
_ORGANISATION_REGISTRARS = (Role.IPLC_REPRESENTATIVE, Role.PARTNER_EDITOR)


def owners_for(user: Any) -> list[Country | Organisation]:
    """The Parties and organisations this person may register records for."""
    if roles.is_secretariat(user):
        return [*Country.objects.filter(cbd_party=True), *Organisation.objects.all()]
    countries = Country.objects.filter(pk__in=roles.countries_for(user, *_COUNTRY_REGISTRARS))
    organisations = Organisation.objects.filter(
        pk__in=roles.organisations_for(user, *_ORGANISATION_REGISTRARS)
    )
    return [*countries, *organisations]


def registers_records(user: Any) -> bool:
    """Whether ``owners_for`` names anyone, without reading them: the Secretariat, and people
    appointed for a Party or an organisation."""
    return bool(
        roles.is_secretariat(user)
        or roles.countries_for(user, *_COUNTRY_REGISTRARS)
        or roles.organisations_for(user, *_ORGANISATION_REGISTRARS)
    )


def owner_choices(user: Any) -> list[tuple[str, str]]:
    """The same owners as form choices ("country:12", "organisation:7"), sorted by name."""
    choices = []
    for owner in owners_for(user):
        if isinstance(owner, Country):
            choices.append((f"country:{owner.pk}", owner.name()))
        else:
            choices.append((f"organisation:{owner.pk}", owner.display_name()))
    return sorted(choices, key=lambda choice: choice[1].casefold())


def owner_from_choice(value: str) -> Country | Organisation:
    kind, _sep, pk = value.partition(":")
    model: type[Country] | type[Organisation] = Country if kind == "country" else Organisation
    return model.objects.get(pk=int(pk))
