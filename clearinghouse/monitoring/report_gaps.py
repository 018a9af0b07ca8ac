"""The gap analysis in a progress report: taken with the report's data and kept on it as numbers
and keys (``Report.gaps``), so the report shows the same gaps however the records change later;
labels are read in the report's language when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from clearinghouse.core.languages import pick_label
from clearinghouse.monitoring import gaps
from clearinghouse.monitoring.compute import Period
from clearinghouse.needs.models import Need

# The longest lists a report prints: the rest is on the gap analysis page.
TOP_ROWS = 10


def snapshot(period: Period) -> dict[str, Any]:
    """The period's gap analysis as JSON: numbers and keys only."""
    found = gaps.analyse(period, language="en")
    return {
        "needs": found.needs,
        "support": found.support,
        "breakdowns": [
            {
                "dimension": breakdown.dimension,
                "rows": [
                    [row.key, row.needs, row.support, row.matches, row.unmatched, row.gap_ratio]
                    for row in breakdown.rows
                ],
            }
            for breakdown in found.breakdowns
        ],
        "waiting": [
            [need.identifier, need.party, need.registered.isoformat(), need.age_days]
            for need in found.longest_unmatched
        ],
        "cofunding": [
            [amount.key, amount.currency, str(amount.amount), amount.cooperations]
            for amount in found.cofunding.by_region
        ],
        "funnel": [[stage.code, stage.needs, stage.median_days] for stage in found.funnel],
    }


@dataclass(frozen=True)
class Table:
    """A table of the report's gap section: its caption, column headings and rows of text."""

    caption: str
    header: list[str]
    rows: list[list[str]]


def _number(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return "–"
    return str(number_format(float(value), decimal_pos=decimals, use_l10n=True, force_grouping=True))


def tables(stored: dict[str, Any], language: str) -> list[Table]:
    """The stored gap analysis as tables in ``language`` (the active interface language gives
    the headings); none when the report holds no gap analysis."""
    if not stored:
        return []
    found: list[Table] = []
    stages = {code: str(label) for code, label in gaps.FUNNEL}
    found.append(
        Table(
            _("The needs funnel"),
            [_("Stage"), _("Needs"), _("Median days from the previous stage")],
            [
                [stages.get(code, code), _number(needs), _number(days, 1)]
                for code, needs, days in stored["funnel"]
            ],
        )
    )
    for breakdown in stored["breakdowns"]:
        dimension = breakdown["dimension"]
        rows = sorted(breakdown["rows"], key=lambda row: (-row[1], row[0]))[:TOP_ROWS]
        labels = gaps.key_labels(dimension, [row[0] for row in rows], language)
        name = str(gaps.BREAKDOWNS[dimension][0])
        found.append(
            Table(
                _("Needs against support by %(dimension)s") % {"dimension": name},
                [
                    name,
                    _("Needs"),
                    _("Support on offer"),
                    _("Matches"),
                    _("Needs without a match"),
                    _("Gap ratio"),
                ],
                [
                    [
                        labels.get(key, key),
                        _number(needs),
                        _number(support),
                        _number(matches),
                        _number(unmatched),
                        _number(ratio, 2),
                    ]
                    for key, needs, support, matches, unmatched, ratio in rows
                ],
            )
        )
    waiting = stored["waiting"][:TOP_ROWS]
    titles = {
        need.identifier: pick_label(need.title, language)
        for need in Need.objects.filter(identifier__in=[row[0] for row in waiting]).only(
            "identifier", "title"
        )
    }
    found.append(
        Table(
            _("The needs waiting longest for support"),
            [_("Need"), _("Party"), _("Registered"), _("Days waiting")],
            [
                [f"{identifier} {titles.get(identifier, '')}".strip(), party, registered, _number(age)]
                for identifier, party, registered, age in waiting
            ],
        )
    )
    regions = gaps.key_labels("region", [row[0] for row in stored["cofunding"]], language)
    found.append(
        Table(
            _("Where co-funding goes, by region"),
            [_("UN region"), _("Currency"), _("Amount"), _("Cooperations")],
            [
                [regions.get(key, key), currency, _number(amount), _number(cooperations)]
                for key, currency, amount, cooperations in stored["cofunding"]
            ],
        )
    )
    return found
