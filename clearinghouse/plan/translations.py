"""Translation files of the action plan (``clearinghouse/plan/data/translations/<language>.json``).

The plan is imported from Arabic; these files carry unofficial translations of its texts into the
other five languages, one file per language, in the shape of ``ar.json`` (the Arabic source,
written by ``clearinghouse importplan <text> --dump-source``)::

    {"language": "fr", "unofficial": true,
     "themes": {"<Arabic theme heading>": "<translation>", ...},
     "activities": {"1": {"text": "...", "outputs": ["...", ...], "indicators": ["...", ...],
                          "partners": "..."}, ...}}

Outputs and indicators are lists in the annex's order, as long as the Arabic ones; "partners"
translates the partners cell as written.
"""

from __future__ import annotations

from typing import Any

from clearinghouse.plan.models import ORIGINAL_LANGUAGE
from clearinghouse.plan.parser import Plan


def source_document(plan: Plan) -> dict[str, Any]:
    """The Arabic texts of the plan in the shape of a translation file (``ar.json``)."""
    themes = dict.fromkeys(activity.theme for activity in plan.activities if activity.theme)
    return {
        "language": ORIGINAL_LANGUAGE,
        "unofficial": False,
        "themes": {theme: theme for theme in themes},
        "activities": {
            str(activity.number): {
                "text": activity.text,
                "outputs": list(activity.outputs),
                "indicators": list(activity.indicators),
                "partners": activity.partners_text,
            }
            for activity in plan.activities
        },
    }
