"""Languages: the six UN languages of the interface (ISO 639-1 codes), and every ISO 639-3
language that content may be written in (codes checked, normalised and named from pycountry
and CLDR through Babel; nothing is downloaded).

The interface uses Django's language codes (``zh-hans``); stored content and the API use the
plain ISO codes (``zh``). Labels of reference data are kept as ``{code: text}`` mappings.
"""

from __future__ import annotations

import gettext as gettext_module
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language, override, to_locale
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.text import sort_key

CONTENT_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
_UI_TO_CONTENT = {"zh-hans": "zh"}


def content_language(ui_language: str | None = None) -> str:
    """The content language for an interface language (the active one by default)."""
    code = (ui_language or get_language() or "en").lower()
    code = _UI_TO_CONTENT.get(code, code)
    return code if code in CONTENT_LANGUAGES else code.split("-")[0]


def pick_label(labels: Mapping[str, str], language: str | None = None) -> str:
    """The label in the reader's language, else English, else any label there is."""
    wanted = content_language(language)
    for code in (wanted, "en", *CONTENT_LANGUAGES):
        if labels.get(code):
            return labels[code]
    return ""


# --- languages of content: every ISO 639-3 language --------------------------------------------
#
# Records may be written in any living or historical language (materials in local and indigenous
# languages). Stored codes follow BCP 47's rule for the primary language subtag: the ISO 639-1
# code where the language has one (``qu`` Quechua, ``sw`` Swahili), else its ISO 639-3 code
# (``quz`` Cusco Quechua, ``zgh`` Standard Moroccan Tamazight). A macrolanguage and its members
# stay apart: ``qu`` is not folded into ``quz`` or back. The six languages of the interface keep
# their codes (``zh``), so existing data is unchanged.

# pycountry's catalogues of ISO 639-3 names, by interface language (zh-hans reads zh_CN's).
_NAME_CATALOGUES = {"ar": "ar", "zh": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}
# A language tag: a primary subtag of two or three letters, then any subtags (region, script).
_TAG = re.compile(r"^([a-z]{2,3})(?:-[a-z0-9]{1,8})*$")
# The datalist's "Name (code)" form.
_NAMED = re.compile(r"^.*\(\s*([A-Za-z]{2,3})\s*\)\s*$")


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """Every code accepted on input (ISO 639-1, ISO 639-3, ISO 639-2/B) -> the stored code."""
    import pycountry

    codes: dict[str, str] = {}
    for language in pycountry.languages:
        # Special codes (undetermined, multiple languages, no linguistic content) name no language
        # a text can be written in.
        if language.scope == "S":
            continue
        stored = getattr(language, "alpha_2", None) or language.alpha_3
        for code in (language.alpha_3, getattr(language, "bibliographic", None), stored):
            if code:
                codes[code] = stored
    return codes


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """The stored code -> its ISO 639-3 reference name."""
    import pycountry

    return {
        _codes()[language.alpha_3]: language.name
        for language in pycountry.languages
        if language.alpha_3 in _codes()
    }


@lru_cache(maxsize=8)
def _cldr_names(language: str) -> dict[str, str]:
    """Names CLDR gives languages in this content language, for the stored codes it knows."""
    from babel import Locale

    locale = Locale.parse(to_locale("zh-hans" if language == "zh" else language))
    return {code: str(name) for code, name in locale.languages.items() if _codes().get(code) == code}


@lru_cache(maxsize=8)
def _catalogue(language: str) -> gettext_module.NullTranslations:
    import pycountry

    name = _NAME_CATALOGUES.get(language)
    if name is None:
        return gettext_module.NullTranslations()
    return gettext_module.translation("iso639-3", pycountry.LOCALES_DIR, languages=[name], fallback=True)


@lru_cache(maxsize=8)
def _names_to_codes(language: str) -> dict[str, str]:
    """Casefolded names -> stored codes: ISO 639-3's English names, then CLDR's in the six
    languages, the reader's last so that its names win."""
    names = {name.casefold(): code for code, name in _english_names().items()}
    for other in (*CONTENT_LANGUAGES, language):
        names |= {name.casefold(): code for code, name in _cldr_names(other).items()}
    return names


def is_language_code(code: object) -> bool:
    """Whether ``code`` is a language code as stored (lower case, normalised)."""
    return isinstance(code, str) and _codes().get(code) == code


def language_code(value: str, ui_language: str | None = None) -> str:
    """The stored code of a language given by its code (ISO 639-1, ISO 639-3 or 639-2/B, in any
    case, as a BCP 47 tag such as ``quz-PE``), as "Name (code)", or by its name in English or in
    the reader's language. Raises ValidationError with a message in the reader's language."""
    given = " ".join(str(value or "").split())
    named = _NAMED.match(given)
    candidate = (named.group(1) if named else given).casefold().replace("_", "-")
    tag = _TAG.match(candidate)
    if tag and tag.group(1) in _codes():
        return _codes()[tag.group(1)]
    code = _names_to_codes(content_language(ui_language)).get(given.casefold())
    if code:
        return code
    if not given:
        raise ValidationError(_("Name the language, or give its ISO 639 code."), code="required")
    raise ValidationError(
        _(
            "“%(value)s” is not a language we know: give its ISO 639 code (such as “qu” or “quz”) "
            "or its name."
        ),
        params={"value": given[:60]},
        code="unknown_language",
    )


def validate_language_code(value: object) -> None:
    """A model field's check: the value is a stored language code."""
    if not is_language_code(value):
        raise ValidationError(
            _("“%(value)s” is not a language code: give an ISO 639 code such as “qu” or “quz”."),
            params={"value": str(value)[:60]},
            code="unknown_language",
        )


def validate_texts_by_language(value: object) -> None:
    """Texts keyed by language: every key a stored language code."""
    if isinstance(value, Mapping):
        for code in value:
            validate_language_code(code)


def language_name(code: str, ui_language: str | None = None) -> str:
    """A language's name in the reader's language: the interface's own for the six, else CLDR's,
    else the ISO 639-3 name as pycountry translates it, else the English reference name, else the
    code itself. CLDR writes names as they read within a sentence ("quechua" in French)."""
    if code in CONTENT_LANGUAGES:
        # The six keep the names the interface has always given them (its own catalogues).
        interface = ui_language or get_language()
        with override("zh-hans" if interface == "zh" else interface):
            return str(dict(LANGUAGE_CHOICES)[code])
    reader = content_language(ui_language)
    name = _cldr_names(reader).get(code)
    if name:
        return name
    english = _english_names().get(code)
    if english is None:
        return code
    return _catalogue(reader).gettext(english)


def language_names(codes: Iterable[str], ui_language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of these codes, for a list: the six UN languages first in their usual order,
    then the others by name."""
    wanted = set(codes)
    first = [(code, language_name(code, ui_language)) for code in CONTENT_LANGUAGES if code in wanted]
    # Standing alone in a list, a name starts with a capital, as the six's do.
    others = [(code, capfirst(language_name(code, ui_language))) for code in wanted - set(CONTENT_LANGUAGES)]
    return first + sorted(others, key=lambda item: sort_key(item[1]))


def other_language_options(ui_language: str | None = None) -> list[tuple[str, str]]:
    """The languages other than the six that CLDR names in the reader's language, by name: what a
    picker suggests (any other ISO 639-3 language is still accepted by code or English name)."""
    names = _cldr_names(content_language(ui_language))
    return sorted(
        ((code, name) for code, name in names.items() if code not in CONTENT_LANGUAGES),
        key=lambda item: sort_key(item[1]),
    )
