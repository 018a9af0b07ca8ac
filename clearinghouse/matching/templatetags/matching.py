"""Explanations of suggestions as the reader reads them: vocabulary labels, country, group and
language names in the active language, matched passages with the matched words marked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from clearinghouse.core.detection import detect_language
from clearinghouse.core.languages import content_language
from clearinghouse.core.multilingual import RTL_LANGUAGES
from clearinghouse.geo.models import CountryGroup, RegionalGroup
from clearinghouse.matching.bands import band
from clearinghouse.matching.profiles import EligibilityReason, Explanation, Passage
from clearinghouse.matching.vocabulary import SUBJECTS, SUPPORT_TYPES, TARGETS, default_vocabularies

register = template.Library()


@dataclass(frozen=True)
class ExplanationView:
    """An explanation with every name in the reader's language, ready to show."""

    targets: tuple[str, ...]
    subjects: tuple[str, ...]
    support_status: str
    support_types: tuple[str, ...]
    eligibility: str
    languages: tuple[str, ...]
    # (whose text, the passage, its language, its direction): quoted in a page of another
    # language, a passage keeps its own language for screen readers, fonts and direction.
    passages: tuple[tuple[str, SafeString, str, str], ...]


@cache
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return None


def _country_name(code: str) -> str:
    locale = _locale(get_language() or "en")
    return str(locale.territories.get(code, code)) if locale else code


def _language_name(code: str) -> str:
    locale = _locale(get_language() or "en")
    return str(locale.languages.get(code, code)) if locale else code


def _group_name(label: str) -> str:
    for choices in (CountryGroup, RegionalGroup):
        if label in choices.values:
            return str(choices(label).label)
    return label


def eligibility_sentence(reason: EligibilityReason) -> str:
    """Why the support admits the requesting country, as a sentence."""
    country = _country_name(reason.country) if reason.country else ""
    if reason.rule == "country":
        return _("Open to %(country)s by name.") % {"country": country}
    if reason.rule == "country group":
        return _("Open to %(group)s: %(country)s is one of them.") % {
            "group": _group_name(reason.label),
            "country": country,
        }
    if reason.rule == "regional group":
        return _("Open to the %(group)s group: %(country)s belongs to it.") % {
            "group": _group_name(reason.label),
            "country": country,
        }
    return _("Open to every country.")


def _marked(text: str, words: tuple[str, ...]) -> SafeString:
    if not words:
        return format_html("<mark>{}</mark>", text)
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))
    parts: list[str] = []
    position = 0
    for found in pattern.finditer(text):
        parts.append(str(conditional_escape(text[position : found.start()])))
        parts.append(str(format_html("<mark>{}</mark>", found.group())))
        position = found.end()
    parts.append(str(conditional_escape(text[position:])))
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703  # every part is escaped above


def _language_of(text: str) -> tuple[str, str]:
    """The language and direction of a passage's text ("" and "auto" when it cannot tell)."""
    language = detect_language(text)
    if language is None:
        return "", "auto"
    return language, "rtl" if language in RTL_LANGUAGES else "ltr"


def passage_html(passage: Passage) -> SafeString:
    """The matched passage alone (a clause, or the matched words with a few around them), with
    an ellipsis where its text goes on; the shared words (or, for a passage close in meaning,
    the whole passage) marked."""
    words = passage.terms if passage.reason == "shared words" else ()
    return format_html(
        "{}{}{}",
        "…" if passage.start > 0 else "",
        _marked(passage.excerpt, words),
        "…" if passage.end < len(passage.text) else "",
    )


@register.simple_tag
def explanation_view(explanation: Explanation, score: float | None = None) -> ExplanationView:
    """``{% explanation_view suggested.explanation suggested.score as view %}``: a weak
    suggestion (by its score) is not said to be close in meaning, so its passages close in
    meaning are left out."""
    weak = score is not None and band(score) == "weak"
    language = content_language()
    vocabularies = default_vocabularies()
    fit = explanation.support_type_fit
    statuses = {
        "match": _("Gives a type of support asked for:"),
        "different": _("Gives other types of support than those asked for."),
        "unknown": _("Types of support not stated on one side."),
    }
    sides = {"need": _("Matched in the need"), "offer": _("Matched in the support")}
    return ExplanationView(
        targets=tuple(
            vocabularies.label(TARGETS, item.code, language) for item in explanation.shared_targets
        ),
        subjects=tuple(
            vocabularies.label(SUBJECTS, item.code, language) for item in explanation.shared_subjects
        ),
        support_status=statuses[fit.status],
        support_types=tuple(vocabularies.label(SUPPORT_TYPES, item.code, language) for item in fit.shared),
        eligibility=eligibility_sentence(explanation.eligibility_reason),
        languages=tuple(_language_name(code) for code in explanation.common_languages),
        passages=tuple(
            (sides[passage.side], passage_html(passage), *_language_of(passage.text))
            for passage in explanation.passages
            if not (weak and passage.reason == "similar meaning")
        ),
    )
