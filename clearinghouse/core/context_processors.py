from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info, to_locale

from clearinghouse.core.navigation import AREAS, places_for
from clearinghouse.i18n import url_prefix


def html_lang(code: str) -> str:
    """BCP 47 tag for the lang attribute: zh-hans becomes zh-Hans."""
    return to_locale(code).replace("_", "-")


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the public areas, the signed-in person's own places, and the
    same page in each language."""
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "prefix": url_prefix(code),
                "html_lang": html_lang(code),
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "url": translate_url(request.get_full_path(), code),
            }
        )
    navigation = []
    for area in AREAS:
        try:
            url = reverse(area.url_name)
        except NoReverseMatch:
            continue
        navigation.append({"label": area.label, "url": url, "current": request.path == url})
    places = []
    for place in places_for(getattr(request, "user", None)):
        url = reverse(place.url_name)
        places.append({"label": place.label, "url": url, "current": request.path == url})
    return {
        "shell_html_lang": html_lang(get_language() or settings.LANGUAGE_CODE),
        "shell_languages": languages,
        "shell_navigation": navigation,
        "shell_places": places,
    }
