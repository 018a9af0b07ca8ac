"""Who keeps a Party's national targets and reports (docs/permissions.md lists it with every other
rule): its focal point and authorised users, and the Secretariat for every Party. Everyone reads
them. Asked about the Party (a Country)."""

from __future__ import annotations

from typing import Any

import rules

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.accounts.permissions import (
    is_authorised_user_of_party,
    is_focal_point_of_party,
    is_secretariat,
)

rules.add_perm(
    "national.keep_targets", is_secretariat | is_focal_point_of_party | is_authorised_user_of_party
)


def own_parties(user: Any) -> set[int]:
    """Ids of the Parties whose targets and reports this person keeps as focal point or
    authorised user (the Secretariat keeps every Party's and starts from the list of them)."""
    return roles.countries_for(user, Role.FOCAL_POINT, Role.AUTHORISED_USER)


def keeps_own_party(user: Any) -> bool:
    """The header's "My Party's targets and reports", asked on every page: read from the
    appointments the header has already read."""
    return bool(own_parties(user))
