"""What the console asks the matcher, with the "not relevant" feedback turned into penalties, and
how a suggestion is summed up in one line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.core.languages import content_language
from clearinghouse.matching import bands, suggestions
from clearinghouse.matching.engine import MatchingError
from clearinghouse.matching.profiles import Explanation
from clearinghouse.matching.scoring import Weights
from clearinghouse.matching.suggestions import Suggested
from clearinghouse.matching.vocabulary import SUBJECTS, TARGETS, default_vocabularies
from clearinghouse.matchmaking.explanations import StoredExplanations
from clearinghouse.matchmaking.models import ACTIVE_STATES, Case, Feedback
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record

NOT_RELEVANT = Weights().not_relevant


@dataclass(frozen=True)
class Ranked:
    """Suggestions, or the matcher's translated reason for giving none. Pages show the good and
    fair ones (``shown``) and the weak ones only on request (``weaker``)."""

    items: list[Suggested] = field(default_factory=list)
    error: str = ""

    @property
    def shown(self) -> list[Suggested]:
        return [item for item in self.items if band(item.score) != "weak"]

    @property
    def weaker(self) -> list[Suggested]:
        return [item for item in self.items if band(item.score) == "weak"]

    @property
    def no_good_match(self) -> bool:
        """Nothing reaches the good band (an error is not a lack of match: it says why)."""
        return not self.error and not any(band(item.score) == "good" for item in self.items)


def penalties_for_need(record: Record) -> dict[str, float]:
    """Support records someone said do not fit this need or request."""
    return penalties_for_needs([record]).get(record.identifier, {})


def penalties_for_needs(records: Sequence[Record]) -> dict[str, dict[str, float]]:
    """``penalties_for_need`` of each of these needs and requests, by identifier, in one query."""
    needs = [record.pk for record in records if isinstance(record, Need)]
    requests = [record.pk for record in records if isinstance(record, Request)]
    rows = Feedback.objects.filter(Q(need__in=needs) | Q(request__in=requests)).values_list(
        "need__identifier", "request__identifier", "support_identifier"
    )
    penalties: dict[str, dict[str, float]] = defaultdict(dict)
    for need, request, support in rows:
        penalties[need or request][support] = NOT_RELEVANT
    return dict(penalties)


def penalties_for_support(record: Record) -> dict[str, float]:
    """Needs and requests for which someone said this support does not fit."""
    rows = Feedback.objects.filter(support_identifier=record.identifier).values_list(
        "need__identifier", "request__identifier"
    )
    return {need or request: NOT_RELEVANT for need, request in rows}


def support_for(record: Need | Request, *, limit: int = 10) -> Ranked:
    return support_for_each([record], limit=limit)[record.identifier]


def support_for_each(records: Sequence[Need | Request], *, limit: int = 10) -> dict[str, Ranked]:
    """``support_for`` of each record, by identifier: read together, explanations made once."""
    answers = suggestions.support_for_each(
        records, limit=limit, penalties=penalties_for_needs(records), explanations=StoredExplanations()
    )
    return {
        identifier: Ranked(error=str(answer)) if isinstance(answer, MatchingError) else Ranked(answer)
        for identifier, answer in answers.items()
    }


# Explained ahead: the case page's suggestions (the console shows the first three of them).
EXPLAINED_AHEAD = 10
# Needs and requests matched together by the job that explains ahead.
EXPLAIN_BATCH = 50


def explain_ahead(identifiers: Collection[str], *, active_cases: bool = False) -> int:
    """Make and store the explanations of the suggestions the console and the case page will
    show for these needs and requests (those public and current) and, with ``active_cases``, for
    the subject of every case the help desk has open, so that a page reads them instead of
    embedding sentences. What is already stored is read, not made again. Returns how many needs
    and requests were matched."""
    subjects: dict[str, Need | Request] = {}
    for record_type, wanted in registry.by_type(identifiers).items():
        if record_type.side == "need":
            subjects |= {
                record.identifier: record for record in record_type.matchable().filter(identifier__in=wanted)
            }
    if active_cases:
        cases = Case.objects.filter(state__in=ACTIVE_STATES).select_related("need", "request").order_by("pk")
        for case in cases:
            if case.subject.live:
                subjects.setdefault(case.subject.identifier, case.subject)
    records = list(subjects.values())
    for start in range(0, len(records), EXPLAIN_BATCH):
        support_for_each(records[start : start + EXPLAIN_BATCH], limit=EXPLAINED_AHEAD)
    return len(records)


def needs_for(record: Record, *, limit: int = 10) -> Ranked:
    try:
        return Ranked(
            suggestions.needs_for(
                record,
                limit=limit,
                penalties=penalties_for_support(record),
                explanations=StoredExplanations(),
            )
        )
    except MatchingError as error:
        return Ranked(error=str(error))


# The bands' thresholds are measured, not chosen, and kept in one place: matching/bands.py.
BANDS = {
    "good": gettext_lazy("Good match"),
    "fair": gettext_lazy("Fair match"),
    "weak": gettext_lazy("Weak match"),
}


def band(score: float | None) -> str:
    """The band of a score ("" for none, as a match shortlisted by hand has)."""
    return "" if score is None else bands.band(score)


def why(explanation: Explanation, score: float | None = None) -> str:
    """One line on why: what the two records share, most telling first, labelled in the
    reader's language. A weak suggestion is never said to be close in meaning."""
    language, vocabularies = content_language(), default_vocabularies()
    parts = []
    if explanation.shared_targets:
        labels = "; ".join(
            vocabularies.label(TARGETS, target.code, language) for target in explanation.shared_targets
        )
        parts.append(_("Shares GBF targets: %(labels)s") % {"labels": labels})
    if explanation.shared_subjects:
        labels = "; ".join(
            vocabularies.label(SUBJECTS, subject.code, language) for subject in explanation.shared_subjects
        )
        parts.append(_("Shares subjects: %(labels)s") % {"labels": labels})
    if explanation.support_type_fit.status == "match":
        parts.append(_("Offers the type of support asked for"))
    if explanation.passages and not parts and band(score) != "weak":
        parts.append(_("Close in meaning"))
    return " · ".join(parts) or _("Eligible; little evidence in common")
