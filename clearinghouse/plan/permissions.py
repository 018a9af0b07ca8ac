"""Who may record what on the action plan (docs/permissions.md lists it with every other rule).

The plan is read by everyone; its progress, evidence and translations are kept by the Secretariat,
which reports on the plan to the Conference of the Parties. Partner organisations contribute:
their people state interest in an activity or report what they did, and the Secretariat reviews.
"""

from __future__ import annotations

import rules

from clearinghouse.accounts.permissions import is_iplc_representative_of, is_partner_editor_of, is_secretariat

rules.add_perm("plan.record_progress", is_secretariat)
# Asked about an organisation: its partner editors, and its IPLC representatives if it is an
# IPLC organisation, speak for it. Asked through ``holds_own``: no one speaks for another.
rules.add_perm("plan.contribute", is_partner_editor_of | is_iplc_representative_of)
rules.add_perm("plan.review_contributions", is_secretariat)
