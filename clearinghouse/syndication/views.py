"""The syndication addresses: the OAI-PMH endpoint, the sitemap and the feed of a search."""

from __future__ import annotations

import hashlib
import re

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.publishing import linked_data, public
from clearinghouse.publishing.views import asked_language
from clearinghouse.syndication import oai
from clearinghouse.syndication.feeds import SearchFeed, search_linked_data
from clearinghouse.syndication.sitemaps import RecordSitemap, sections

# The answer's time changes on every request; what is said does not: the ETag leaves it out.
RESPONSE_DATE = re.compile(rb"<responseDate>[^<]*</responseDate>")

_search_feed = SearchFeed()


@require_safe
def search_feed(request: HttpRequest) -> HttpResponse:
    """/feeds/search/?q=...: the feed of a search, in the language ``?lang=`` names."""
    with translation.override(asked_language(request) or translation.get_language()):
        response: HttpResponse = _search_feed(request)
    return response


@require_safe
def search_jsonld(request: HttpRequest) -> HttpResponse:
    """/feeds/search.jsonld?q=...: the same search as schema.org JSON-LD."""
    with translation.override(asked_language(request) or translation.get_language()):
        body = linked_data.as_json(search_linked_data(request))
    return HttpResponse(body, content_type=f"{linked_data.MEDIA_TYPE}; charset=utf-8")


@csrf_exempt  # harvesters POST their arguments (OAI-PMH 3.1.1.2); nothing is changed
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request: HttpRequest) -> HttpResponse:
    """/oai: OAI-PMH 2.0 in Dublin Core (syndication/oai.py)."""
    data = request.POST if request.method == "POST" else request.GET
    arguments = {name: data.getlist(name) for name in data}
    body = oai.respond(arguments, request.build_absolute_uri(reverse("oai")))
    response = HttpResponse(body, content_type="text/xml; charset=utf-8")
    response["ETag"] = f'"{hashlib.sha256(RESPONSE_DATE.sub(b"", body)).hexdigest()[:32]}"'
    return response


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    response: HttpResponse = sitemap_views.index(request, sections(), sitemap_url_name="sitemap-section")
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    found = sections()
    response: HttpResponse = sitemap_views.sitemap(request, found, section=section)
    record_sitemap = found.get(section)
    if isinstance(record_sitemap, RecordSitemap):
        # Also changed when a record leaves it (archived), which no lastmod in it says.
        changed = public.last_change(record_sitemap.record_type)
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
    return response
