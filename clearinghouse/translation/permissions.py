"""Who does what with translation requests. No rule of the permission matrix: these questions
sit on top of the roles (docs/permissions.md, "Translation")."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.translation.models import TranslationRequest, TranslatorProfile

_LANGUAGES = "_translator_languages"


def translator_languages(user: Any) -> list[str]:
    """The languages an appointed translator works into (none for anyone else); read once a
    request."""
    if not roles.has_role(user, Role.TRANSLATOR):
        return []
    cached: list[str] | None = getattr(user, _LANGUAGES, None)
    if cached is None:
        profile = TranslatorProfile.objects.filter(user=user).first()
        cached = list(profile.languages) if profile else []
        setattr(user, _LANGUAGES, cached)
    return cached


def is_translator(user: Any, language: str | None = None) -> bool:
    languages = translator_languages(user)
    return bool(languages) if language is None else language in languages


def sees_queue(user: Any) -> bool:
    """The queue is for translators and the Secretariat."""
    return is_translator(user) or roles.is_secretariat(user)


def can_translate(user: Any, request: TranslationRequest) -> bool:
    return is_translator(user, request.language)


def can_review(user: Any, request: TranslationRequest) -> bool:
    """Another translator of the language, or the Secretariat; never who drafted the texts."""
    if request.submitted_by_id is not None and request.submitted_by_id == getattr(user, "pk", None):
        return False
    return is_translator(user, request.language) or roles.is_secretariat(user)


def can_decline(user: Any, request: TranslationRequest) -> bool:
    return is_translator(user, request.language) or roles.is_secretariat(user)


def can_manage_translators(user: Any) -> bool:
    return roles.is_secretariat(user)
