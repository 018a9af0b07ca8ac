"""Who keeps a Party's entry in the register of national clearing-house mechanisms (listed in
docs/permissions.md with every other rule): its national focal point, and the Secretariat for
every Party. Everyone reads the register. Asked about the Party (a Country)."""

from __future__ import annotations

import rules

from clearinghouse.accounts.permissions import is_focal_point_of_party, is_secretariat

rules.add_perm("nodes.keep_chm", is_secretariat | is_focal_point_of_party)
