"""Who keeps a Party's national targets and reports (docs/permissions.md lists it with every other
rule): its focal point and authorised users, and the Secretariat for every Party. Everyone reads
them. Asked about the Party (a Country)."""

from __future__ import annotations

import rules

from clearinghouse.accounts.permissions import (
    is_authorised_user_of_party,
    is_focal_point_of_party,
    is_secretariat,
)

rules.add_perm(
    "national.keep_targets", is_secretariat | is_focal_point_of_party | is_authorised_user_of_party
)
