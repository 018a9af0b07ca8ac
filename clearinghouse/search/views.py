"""The search page, and the pages of saved searches: save one, list, change, pause, delete, and
the unsubscribe link of the e-mail alerts (which works without signing in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import content_language, language_names
from clearinghouse.core.multilingual import RTL_LANGUAGES
from clearinghouse.i18n import url_prefix
from clearinghouse.search import identifiers, organisations, saved, service
from clearinghouse.search.documents import DEFAULT_FACETS, FILTER_PARAMETERS, SearchHit
from clearinghouse.search.forms import FORM_ID, FrequencyForm, SaveSearchForm, SearchForm, query_from_request
from clearinghouse.search.labels import RECORD_TYPES, facet_title, labels
from clearinghouse.search.links import for_reader
from clearinghouse.search.models import SavedSearch

# Facet values listed per facet, the most frequent first (selected ones always are): the first
# few at once, the others under "More" (a <details>: no JavaScript needed).
FACET_VALUES_SHOWN = 12
FACET_VALUES_FIRST = 5


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the GET parameter
    title: str
    options: list[FacetOption]  # shown at once: the most frequent and the chosen ones
    more: list[FacetOption]  # under "More"
    approximate: bool


@dataclass(frozen=True)
class HitView:
    hit: SearchHit
    type_label: str
    snippet: SafeString
    url: str  # in the reader's language
    dated: bool  # an organisation's date is its record's last change, not news

    @property
    def title_direction(self) -> str:
        return "rtl" if self.hit.title_language in RTL_LANGUAGES else "ltr"

    @property
    def snippet_direction(self) -> str:
        return "rtl" if self.hit.snippet_language in RTL_LANGUAGES else "ltr"


def _facet_groups(
    facets: dict[str, dict[str, int]],
    selected: dict[str, list[str]],
    language: str,
    approximate: tuple[str, ...],
) -> list[FacetGroup]:
    groups = []
    for facet in DEFAULT_FACETS:
        counts = facets.get(facet, {})
        chosen = selected.get(facet, [])
        listed = list(counts)[:FACET_VALUES_SHOWN]
        values = listed + [value for value in chosen if value not in listed]
        if not values:
            continue
        names = labels(facet, values, language)
        if facet == "language":
            # The six UN languages first, then the others by name.
            values = [code for code, _name in language_names(values, language)]
        options = [
            FacetOption(value, names[value], counts.get(value, 0), value in chosen) for value in values
        ]
        first = [
            option for place, option in enumerate(options) if place < FACET_VALUES_FIRST or option.checked
        ]
        more = [option for option in options if option not in first]
        name = FILTER_PARAMETERS.get(facet, facet)
        groups.append(FacetGroup(name, facet_title(facet), first, more, facet in approximate))
    return groups


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    language = content_language()
    form = SearchForm(request.GET or None)
    query = query_from_request(request.GET, form, language)
    identified = identifiers.indexed(query.text)
    if identified is not None:
        return redirect(
            for_reader(identified.url) if identified.url else reverse("resolve", args=[identified.key])
        )
    result = service.search(query)
    shown = min(result.total, service.MAX_RESULT_WINDOW)
    page = Paginator(range(shown), query.page_size).get_page(result.page)
    hits = [
        HitView(
            hit=hit,
            type_label=str(RECORD_TYPES.get(hit.record_type, hit.record_type)),
            # Built by snippets.snippet from escaped text and <mark> tags only.
            snippet=mark_safe(hit.snippet),  # noqa: S308  # nosec B308 B703  # escaped by snippets.snippet
            url=for_reader(hit.url) if hit.url else "",
            dated=hit.record_type != organisations.RECORD_TYPE,
        )
        for hit in result.hits
    ]
    context = {
        "form": form,
        "form_id": FORM_ID,
        "result": result,
        "identifier_notice": identifiers.unknown_notice(query.text),
        "chosen_filters": sum(len(values) for values in query.filters.values()),
        "hits": hits,
        "page": page,
        "facet_groups": _facet_groups(
            result.facets, {k: list(v) for k, v in query.filters.items()}, language, result.approximate_facets
        ),
        "searched": bool(request.GET),
        "feed_url": _feed_url(request),
        "linked_data_url": _feed_url(request, "search-jsonld"),
    }
    return render(request, "search/index.html", context | _saving(request, language))


def _feed_url(request: HttpRequest, name: str = "search-feed") -> str:
    """The Atom feed of this search (clearinghouse.syndication), or its JSON-LD, in the page's
    language."""
    parameters = QueryDict(saved.normalise(request.GET), mutable=True)
    parameters["lang"] = url_prefix(get_language() or settings.LANGUAGE_CODE)
    return reverse(name) + "?" + parameters.urlencode()


def _saving(request: HttpRequest, language: str) -> dict[str, Any]:
    """The "Save this search" form for a signed-in reader; an invitation to sign in otherwise."""
    if not request.user.is_authenticated:
        return {"sign_in_url": reverse("account_login") + "?next=" + quote(request.get_full_path())}
    query = saved.normalise(request.GET)
    parameters = request.GET.urlencode()
    saved_as = SavedSearch.objects.filter(owner=signed_in(request), query=query).first()
    initial = (
        {"name": saved_as.name, "frequency": saved_as.frequency}
        if saved_as
        else {"name": saved.default_name(query, language)}
    )
    return {
        "save_form": SaveSearchForm(initial=initial),
        # The search travels in the address, as on the page; the form only adds name and frequency.
        "save_action": reverse("search:save") + (f"?{parameters}" if parameters else ""),
        "saved_as": saved_as,
    }


def _back_to_search(request: HttpRequest) -> HttpResponse:
    parameters = request.GET.urlencode()
    return redirect(reverse("search:index") + (f"?{parameters}" if parameters else ""))


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    if not form.is_valid():
        _report(request, ValidationError([error for errors in form.errors.values() for error in errors]))
        return _back_to_search(request)
    try:
        search, created = saved.save_search(
            signed_in(request),
            saved.normalise(request.GET),
            name=form.cleaned_data["name"],
            frequency=form.cleaned_data["frequency"],
        )
    except ValidationError as error:
        _report(request, error)
        return _back_to_search(request)
    if created:
        messages.success(request, _("The search is saved as “%(name)s”.") % {"name": search.name})
    else:
        messages.success(
            request,
            _("You had already saved this search; it is now called “%(name)s”.") % {"name": search.name},
        )
    return _back_to_search(request)


@dataclass(frozen=True)
class SavedRow:
    search: SavedSearch
    criteria: list[saved.Criterion]
    url: str
    frequency_form: FrequencyForm


@login_required
@require_safe
def saved_list(request: HttpRequest) -> HttpResponse:
    searches = list(SavedSearch.objects.filter(owner=signed_in(request)))
    descriptions = saved.describe_all([search.query for search in searches], content_language())
    rows = [
        SavedRow(
            search=search,
            criteria=criteria,
            url=saved.search_url(search.query),
            frequency_form=FrequencyForm(
                initial={"frequency": search.frequency}, auto_id=f"id_saved_{search.pk}_%s"
            ),
        )
        for search, criteria in zip(searches, descriptions, strict=True)
    ]
    context = {"rows": rows, "limit": saved.MAX_PER_OWNER, "search_url": reverse("search:index")}
    return render(request, "search/saved.html", context)


def _own(request: HttpRequest, pk: int) -> SavedSearch:
    """One of the reader's saved searches; anyone else's is not found."""
    return get_object_or_404(SavedSearch, pk=pk, owner=signed_in(request))


@login_required
@require_POST
def change_frequency(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    form = FrequencyForm(request.POST)
    try:
        saved.set_frequency(search, form.cleaned_data["frequency"] if form.is_valid() else "")
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("How often you get the alerts of “%(name)s”: %(frequency)s.")
            % {"name": search.name, "frequency": search.get_frequency_display()},
        )
    return redirect("search:saved")


@login_required
@require_POST
def pause_alerts(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    saved.pause(search)
    messages.success(request, _("The alerts of “%(name)s” are paused.") % {"name": search.name})
    return redirect("search:saved")


@login_required
@require_POST
def resume_alerts(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    saved.resume(search)
    messages.success(
        request,
        _("The alerts of “%(name)s” are back on, for records published from now on.") % {"name": search.name},
    )
    return redirect("search:saved")


@login_required
@require_POST
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    saved.delete(search)
    messages.success(request, _("The saved search “%(name)s” is deleted.") % {"name": search.name})
    return redirect("search:saved")


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in each digest: stops one saved search's alerts, signed in or not. A GET only asks
    to confirm, since mail scanners follow links."""
    search = saved.from_unsubscribe_token(token)
    if search is None:
        return render(request, "search/unsubscribe.html", {"search": None}, status=404)
    done = request.method == "POST"
    if done:
        saved.pause(search)
    return render(request, "search/unsubscribe.html", {"search": search, "done": done})
