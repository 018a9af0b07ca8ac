"""The action plan's activities as search documents (a provider named in SEARCH_PROVIDERS).

An activity is found by its number ("Activity 46" in each language), its text, theme, expected
outputs, indicators, partners and progress notes, in every language it has (the Arabic original
and the unofficial translations), and filtered by the GBF targets its Aichi targets map to. Its
key is ``PLAN-`` and its number (``PLAN-46``), its page the activity's.

The index follows the plan: ``reindex`` is called by the import and by the services that change
what a document holds (progress, translations). An activity counts as published when decision
XIII/23 was adopted, and again at each progress report.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.plan.models import ORIGINAL_LANGUAGE, Activity
from clearinghouse.search import tasks
from clearinghouse.search.documents import SearchDocument
from clearinghouse.search.links import stored_url

RECORD_TYPE = "activity"
KEY_PREFIX = "PLAN-"
# Decision XIII/23 was adopted at Cancún on 17 December 2016.
ADOPTED = datetime(2016, 12, 17, 12, tzinfo=UTC)
# Content languages whose interface code differs (titles are worded in the interface's).
_INTERFACE = {"zh": "zh-hans"}


def key(number: int) -> str:
    return f"{KEY_PREFIX}{number}"


def _number(wanted: str) -> int | None:
    digits = wanted.removeprefix(KEY_PREFIX)
    return int(digits) if wanted.startswith(KEY_PREFIX) and digits.isdigit() else None


def _titles(activity: Activity) -> dict[str, str]:
    titles = {}
    for language, text in activity.texts.items():
        if not text:
            continue
        with translation.override(_INTERFACE.get(language, language)):
            titles[language] = _("Activity %(number)s: %(text)s") % {"number": activity.number, "text": text}
    return titles


def _texts(activity: Activity) -> dict[str, str]:
    """Theme, expected outputs, indicators and partners in each language, and the progress
    notes in theirs."""
    parts: dict[str, list[str]] = {language: [] for language in CONTENT_LANGUAGES}
    sources = [
        activity.theme_texts if activity.theme else {},
        *(output.texts for output in activity.outputs.all()),
        *(indicator.texts for indicator in activity.indicators.all()),
        activity.partners_texts if activity.partners_text else {},
    ]
    for texts in sources:
        for language, text in texts.items():
            if text and language in parts:
                parts[language].append(text)
    for report in activity.progress.all():
        if report.note and report.note_language in parts:
            parts[report.note_language].append(report.note)
    return {language: "\n".join(texts) for language, texts in parts.items() if texts}


def document(activity: Activity) -> SearchDocument:
    reported = [report.recorded_at for report in activity.progress.all()]
    facets: dict[str, Any] = {
        "language": sorted(code for code, text in activity.texts.items() if text),
        "target": [term.code for term in activity.gbf_targets()],
    }
    return SearchDocument(
        key=key(activity.number),
        record_type=RECORD_TYPE,
        language=ORIGINAL_LANGUAGE,
        titles=_titles(activity),
        texts=_texts(activity),
        facets=facets,
        published_at=max(reported, default=ADOPTED),
        url=stored_url("plan:detail", activity.number),
        first_published_at=ADOPTED,
    )


def provide(keys: Collection[str] | None = None) -> Iterable[SearchDocument]:
    """Documents of the activities among ``keys`` (every one for None)."""
    activities = Activity.objects.prefetch_related(
        "outputs", "indicators", "progress", "aichi_targets__maps_to"
    ).order_by("number")
    if keys is not None:
        numbers = [number for wanted in keys if (number := _number(wanted)) is not None]
        if not numbers:
            return
        activities = activities.filter(number__in=numbers)
    for activity in activities:
        yield document(activity)


def reindex(numbers: Iterable[int]) -> None:
    """Index these activities again once the current transaction commits."""
    keys = [key(number) for number in dict.fromkeys(numbers)]
    if keys:
        transaction.on_commit(lambda: tasks.index_documents(keys))
