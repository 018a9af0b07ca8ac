"""Keeping the action plan up to date: progress reports, evidence and translations.

Each function checks the ``plan.record_progress`` permission (the Secretariat) and validates its
input before saving; forms and the admin hand over plain values. Errors name the field at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import search
from clearinghouse.plan.models import (
    ORIGINAL_LANGUAGE,
    Activity,
    ActivityItem,
    ActivityProgress,
    Evidence,
    parse_period,
)

PERMISSION = "plan.record_progress"
# A record identifier of the platform's registries: letters and digits in dash-separated groups,
# as "CB-RES-KE-000012" (the registries will fix the exact pattern).
IDENTIFIER = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)+$")
TRANSLATION_LANGUAGES = tuple(code for code in CONTENT_LANGUAGES if code != ORIGINAL_LANGUAGE)


def _check(actor: User) -> None:
    if not actor.has_perm(PERMISSION):
        raise PermissionDenied(_("Only the Secretariat records the progress of the action plan."))


@transaction.atomic
def record_progress(
    actor: User,
    activity: Activity,
    *,
    period: str,
    status: str,
    note: str = "",
    note_language: str = "",
    lead: Organisation | None = None,
) -> ActivityProgress:
    """Add a progress report on ``activity`` for a reporting period ("2019" or "2019-2020").

    Earlier reports stay as they are: the history is the record of what was said when.
    ``note_language`` defaults to the language of the person's interface.
    """
    _check(actor)
    parsed = parse_period(period)
    report = ActivityProgress(
        activity=activity,
        period=str(parsed),
        period_start=parsed.start,
        period_end=parsed.end,
        status=status,
        note=note.strip(),
        note_language=note_language or content_language(),
        lead=lead,
        recorded_by=actor,
    )
    report.full_clean(exclude=["recorded_by"])
    report.save()
    search.reindex([activity.number])
    return report


@transaction.atomic
def add_evidence(
    actor: User, activity: Activity, *, kind: str, title: str, url: str, identifier: str = ""
) -> Evidence:
    """Link ``activity`` to something that shows its progress: a web address, and the identifier
    of the platform record when there is one."""
    _check(actor)
    identifier = identifier.strip().upper()
    if identifier and not IDENTIFIER.match(identifier):
        raise ValidationError(
            {
                "identifier": _(
                    "Give the identifier of a record of the platform, such as CB-RES-KE-000012, "
                    "or leave it empty."
                )
            },
            code="invalid_identifier",
        )
    evidence = Evidence(
        activity=activity,
        kind=kind,
        title=title.strip(),
        url=url.strip(),
        identifier=identifier,
        added_by=actor,
    )
    evidence.full_clean(exclude=["added_by"])
    evidence.save()
    return evidence


def _set_translation(translations: dict[str, str], language: str, text: str) -> bool:
    """Put or remove (empty text) one language's text; True if it changed."""
    text = text.strip()
    if translations.get(language, "") == text:
        return False
    if text:
        translations[language] = text
    else:
        translations.pop(language, None)
    return True


@transaction.atomic
def translate_activity(
    actor: User,
    activity: Activity,
    language: str,
    *,
    text: str,
    theme: str = "",
    partners: str | None = None,
    outputs: Mapping[int, str] | None = None,
    indicators: Mapping[int, str] | None = None,
) -> Activity:
    """Save the ``language`` version of an activity; an empty text removes that translation.

    ``outputs`` and ``indicators`` map positions to texts; ``partners`` translates the partners
    cell (None leaves it as it is). The theme heading is shared by the activities under it, so its
    translation is saved on all of them.
    """
    _check(actor)
    if language not in TRANSLATION_LANGUAGES:
        raise ValidationError(
            _("Translations are into Chinese, English, French, Russian or Spanish; Arabic is the original."),
            code="invalid_language",
        )
    changed = ["text_translations"] if _set_translation(activity.text_translations, language, text) else []
    if partners is not None and _set_translation(activity.partners_translations, language, partners):
        changed.append("partners_translations")
    if changed:
        activity.save(update_fields=changed)
    changed_activities = [activity.number]
    if activity.theme:
        for sibling in Activity.objects.filter(theme=activity.theme):
            if _set_translation(sibling.theme_translations, language, theme):
                sibling.save(update_fields=["theme_translations"])
                changed_activities.append(sibling.number)
        activity.theme_translations = Activity.objects.get(pk=activity.pk).theme_translations
    items: list[tuple[list[ActivityItem], Mapping[int, str] | None]] = [
        (list(activity.outputs.all()), outputs),
        (list(activity.indicators.all()), indicators),
    ]
    for rows, texts in items:
        for row in rows:
            if texts is not None and _set_translation(
                row.translations, language, texts.get(row.position, "")
            ):
                row.save(update_fields=["translations"])
    search.reindex(changed_activities)
    return activity
