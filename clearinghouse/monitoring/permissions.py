"""Who may do what in monitoring (docs/monitoring-console.md says it in words).

The Secretariat computes the indicators, keeps their targets and baselines and reviews the values
entered by hand; the focal points and the partners' editors may also enter values, with their
evidence, for the Secretariat to review (they know what the platform cannot: NBSAP content,
national events...).
"""

from __future__ import annotations

from typing import Any

import rules

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.accounts.permissions import is_focal_point, is_secretariat

COMPUTE = "monitoring.compute"
SUBMIT_VALUE = "monitoring.submit_value"
REVIEW_VALUE = "monitoring.review_value"
SET_TARGETS = "monitoring.set_targets"


@rules.predicate
def is_partner_editor(user: Any) -> bool:
    return roles.has_role(user, Role.PARTNER_EDITOR)


rules.add_perm(COMPUTE, is_secretariat)
rules.add_perm(SUBMIT_VALUE, is_secretariat | is_focal_point | is_partner_editor)
rules.add_perm(REVIEW_VALUE, is_secretariat)
rules.add_perm(SET_TARGETS, is_secretariat)
