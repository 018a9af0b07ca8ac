"""The web app manifest, the service worker and the offline reading page."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from clearinghouse.core.context_processors import html_lang
from clearinghouse.i18n import url_prefix
from clearinghouse.offline.shell import InvalidOutboxScriptError, outbox_script, shell

# The brand colour of site.css (--brand), for the browser's title bar and splash screen.
THEME_COLOUR = "#0b5d3b"
# Static name, size and purpose (clearinghouse/offline/make_icons.py draws the PNGs).
ICON_FILES = (
    ("offline/icons/icon-192.png", "192x192", "any"),
    ("offline/icons/icon-512.png", "512x512", "any"),
    ("offline/icons/maskable-192.png", "192x192", "maskable"),
    ("offline/icons/maskable-512.png", "512x512", "maskable"),
    ("offline/icons/icon.svg", "any", "any"),
)


@require_safe
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest in the language ``?lang=`` names (each page links its own)."""
    code = request.GET.get("lang", settings.LANGUAGE_CODE)
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    icons = [
        {
            "src": static(name),
            "sizes": sizes,
            "type": "image/svg+xml" if name.endswith(".svg") else "image/png",
            "purpose": purpose,
        }
        for name, sizes, purpose in ICON_FILES
    ]
    with translation.override(code):
        data = {
            "id": "/",
            "name": _("Clearinghouse"),
            "short_name": _("Clearinghouse"),
            "description": _(
                "The clearing-house of the Convention on Biological Diversity for capacity-building "
                "and technical and scientific cooperation."
            ),
            "lang": html_lang(code),
            "dir": "rtl" if translation.get_language_bidi() else "ltr",
            "start_url": reverse("core:home"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": "#ffffff",
            "icons": icons,
        }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that its scope is the whole site. ``?outbox=`` names
    the outbox script (its hashed static address) for the worker to import."""
    outbox = None
    if "outbox" in request.GET:
        try:
            outbox = outbox_script(request.GET["outbox"])
        except InvalidOutboxScriptError:
            return HttpResponseBadRequest(
                _("The outbox script must be one of this site's static files."), content_type="text/plain"
            )
    current = shell()
    config = {
        "version": current.version,
        "shell": current.urls,
        "staticUrl": settings.STATIC_URL,
        "offlinePages": current.offline_pages,
        "defaultPrefix": url_prefix(settings.LANGUAGE_CODE),
        "outbox": outbox,
    }
    response = HttpResponse(
        render_to_string("offline/sw.js", {"config": json.dumps(config)}),
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on every visit; it must never keep an old one.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def reading(request: HttpRequest) -> HttpResponse:
    """What can be read offline in this browser: the pages kept and the pages visited."""
    return render(request, "offline/reading.html")
