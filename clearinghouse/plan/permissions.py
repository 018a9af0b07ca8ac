"""Who may record what on the action plan (docs/permissions.md lists it with every other rule).

The plan is read by everyone; its progress, evidence and translations are kept by the Secretariat,
which reports on the plan to the Conference of the Parties.
"""

from __future__ import annotations

import rules

from clearinghouse.accounts.permissions import is_secretariat

rules.add_perm("plan.record_progress", is_secretariat)
