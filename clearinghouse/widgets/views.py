"""The widgets national websites embed, and the page that writes their one line of HTML.

A widget is answered as a small page for an iframe (``/widgets/<kind>/``) or as JSON
(``/widgets/<kind>.json``), in the language its ``lang`` parameter names. Both set no cookie
and may be framed or read by any site; they hold public data only, so the public-page cache
keeps them like any other public page (core/caching.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from clearinghouse.core.context_processors import html_lang
from clearinghouse.core.security import source_hash
from clearinghouse.widgets import services
from clearinghouse.widgets.forms import KINDS, GeneratorForm, WidgetForm, language, problems

TITLES = {
    "records": gettext_lazy("Capacity-building records"),
    "events": gettext_lazy("Upcoming events"),
    "courses": gettext_lazy("Courses"),
    "search": gettext_lazy("Search the clearing-house"),
}
# The frame's look when the website gives no colours: the platform's own.
DEFAULT_STYLE = {"accent": "#0b5d3b", "background": "#ffffff", "text": "#1b1b1b"}
# Parameters the frame's search form carries on unchanged.
KEPT = ("lang", "country", "type", "count", "title", "accent", "background", "text", "compact")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


def _listing(kind: str, data: dict[str, Any]) -> services.Listing | None:
    if kind == "records":
        return services.records(data["country"], data["type"], data["count"])
    if kind == "search":
        text = data["q"].strip()
        return services.records(data["country"], data["type"], data["count"], text) if text else None
    if kind == "events":
        return services.events(data["country"], data["region"], data["topic"], data["count"])
    return services.courses(data["country"], data["topic"], data["count"])


def _open_to_all(response: HttpResponse) -> HttpResponse:
    """Any site may frame the answer (X-Frame-Options and CSP frame-ancestors, for these
    answers only) and read it (CORS: public data, no credentials)."""
    response.xframe_options_exempt = True
    response._csp_replace = {"frame-ancestors": ["*"]}  # type: ignore[attr-defined]
    response["Access-Control-Allow-Origin"] = "*"
    # The language is the ``lang`` parameter's, never the browser's (core/caching.py).
    response.language_in_address = True  # type: ignore[attr-defined]
    return response


def _six_digits(colour: str) -> str:
    """#abc as #aabbcc: the style adds an opacity to the accent (#rrggbbaa)."""
    return "#" + "".join(digit * 2 for digit in colour[1:]) if len(colour) == 4 else colour


def _style(data: dict[str, Any]) -> str:
    colours = {name: _six_digits(data.get(name) or default) for name, default in DEFAULT_STYLE.items()}
    return render_to_string("widgets/frame.css", {**colours, "compact": bool(data.get("compact"))})


def _absolute(request: HttpRequest, listing: services.Listing | None) -> dict[str, Any]:
    if listing is None:
        return {"items": [], "more": ""}
    items = [(item, request.build_absolute_uri(item.url)) for item in listing.items]
    return {"items": items, "more": request.build_absolute_uri(listing.more)}


@require_safe
def frame(request: HttpRequest, kind: str) -> HttpResponse:
    """The widget as a page for an iframe: no script, a few lines of inline style."""
    kind = _kind(kind)
    code = language(request.GET.get("lang")) or settings.LANGUAGE_CODE
    with translation.override(code):
        form = WidgetForm(request.GET)
        valid = form.is_valid()
        data = form.cleaned_data if valid else {}
        css = _style(data)
        context: dict[str, Any] = {
            "kind": kind,
            "html_lang": html_lang(code),
            "css": css,
            "heading": data.get("title") or TITLES[kind],
            "country": data.get("country"),
            "compact": data.get("compact", False),
        }
        if valid:
            context |= _absolute(request, _listing(kind, data))
            context["query"] = data["q"]
            context["kept"] = [(name, form.data[name]) for name in KEPT if form.data.get(name)]
        else:
            context["problems"] = problems(form)
        response = render(request, "widgets/frame.html", context, status=200 if valid else 400)
    # The frame's own style, allowed by its hash: no other inline style can run.
    response._csp_update = {"style-src": [source_hash(css)]}  # type: ignore[attr-defined]
    response["Content-Language"] = code
    return _open_to_all(response)


def _item(request: HttpRequest, item: services.Item) -> dict[str, Any]:
    return {
        "identifier": item.identifier,
        "type": item.type,
        "type_label": item.type_label,
        "title": item.title,
        "title_language": item.language,
        "url": request.build_absolute_uri(item.url),
        "date": item.date.isoformat() if item.date else None,
        "date_text": item.date_text,
        "place": item.place,
        "summary": item.summary,
    }


@require_safe
def data(request: HttpRequest, kind: str) -> HttpResponse:
    """The widget's list as JSON, for a website that renders it itself."""
    kind = _kind(kind)
    code = language(request.GET.get("lang")) or settings.LANGUAGE_CODE
    with translation.override(code):
        form = WidgetForm(request.GET)
        if not form.is_valid():
            body: dict[str, Any] = {
                "error": _("The widget cannot be shown: check its parameters."),
                "problems": problems(form),
            }
            response: HttpResponse = JsonResponse(body, status=400)
        else:
            found = form.cleaned_data
            listing = _listing(kind, found)
            country = found["country"]
            body = {
                "kind": kind,
                "language": code,
                "title": str(found["title"] or TITLES[kind]),
                "country": {"code": country.code, "name": country.name()} if country else None,
                "items": [_item(request, item) for item in listing.items] if listing else [],
                "more": request.build_absolute_uri(listing.more) if listing else "",
            }
            response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Language"] = code
    return _open_to_all(response)


# --- the snippet generator -----------------------------------------------------------------------


def _frame_height(kind: str, count: int, compact: bool) -> int:
    """A height that shows the whole list without a scroll bar, most of the time."""
    line = 48 if compact else 72
    head = 150 if kind == "search" else 90
    return head + line * count


@require_safe
def generator(request: HttpRequest) -> HttpResponse:
    """Pick a widget's kind, country, language, type, number of items and colours; get the
    line of HTML to paste, with a preview. A plain GET form: it works without script."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    form = GeneratorForm(request.GET or None, initial_language=current)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "widgets/generator.html", context, status=400)
    values = form.parameters()
    kind = values.pop("kind")
    query = urlencode(values)
    src = request.build_absolute_uri(reverse("widgets:frame", args=[kind])) + f"?{query}"
    json_url = request.build_absolute_uri(reverse("widgets:data", args=[kind])) + f"?{query}"
    height = _frame_height(kind, int(values.get("count") or 5), bool(values.get("compact")))
    # The frame's title is read by screen readers on the website: in the widget's language.
    with translation.override(language(values.get("lang")) or current):
        title = values.get("title") or str(TITLES[kind])
    snippet = render_to_string("widgets/snippet.html", {"src": src, "height": height, "title": title}).strip()
    context |= {"src": src, "json_url": json_url, "snippet": snippet, "height": height, "title": title}
    return render(request, "widgets/generator.html", context)
