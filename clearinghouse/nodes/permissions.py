"""Who keeps a Party's entry in the register of national clearing-house mechanisms (listed in
docs/permissions.md with every other rule): its national focal point, and the Secretariat for
every Party. Everyone reads the register. Asked about the Party (a Country)."""

from __future__ import annotations

from typing import Any

import rules

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.accounts.permissions import is_focal_point_of_party, is_secretariat

rules.add_perm("nodes.keep_chm", is_secretariat | is_focal_point_of_party)


def own_parties(user: Any) -> set[int]:
    """Ids of the Parties whose national CHM this person keeps as their focal point."""
    return roles.countries_for(user, Role.FOCAL_POINT)


def keeps_own_party(user: Any) -> bool:
    """The header's "Our national CHM", asked on every page: read from the appointments the
    header has already read."""
    return bool(own_parties(user))
