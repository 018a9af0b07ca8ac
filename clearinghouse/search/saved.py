"""Saved searches: a registered person keeps a search of the search page and gets the records new
to it by e-mail (see ``alerts``). Views parse and render; the rules are here.

A saved search stores the page's GET parameters that choose records (words, filters, dates),
cleaned and sorted, so that the same search saved twice is one saved search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel import Locale
from babel.lists import format_list
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext, to_locale
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import content_language
from clearinghouse.search.documents import DEFAULT_FACETS, FILTER_PARAMETERS, SearchQuery
from clearinghouse.search.entries import clean_code
from clearinghouse.search.forms import SearchForm, query_from_request
from clearinghouse.search.labels import facet_title, labels
from clearinghouse.search.models import NAME_LENGTH, QUERY_LENGTH, Frequency, SavedSearch

MAX_PER_OWNER = 50
CODE_LENGTH = 100  # a facet code longer than this is no code (the API refuses it too)
UNSUBSCRIBE_SALT = "clearinghouse.search.unsubscribe"
# The parameters that choose records. The page number and the order are how one reads them.
DATE_PARAMETERS = ("published_from", "published_to")
FACET_OF_PARAMETER = {parameter: facet for facet, parameter in FILTER_PARAMETERS.items()}


def normalise(data: QueryDict) -> str:
    """The search of a page request as a query string: the parameters that choose records, with
    blank and repeated values left out and everything sorted. Invalid dates are left out, as the
    search page leaves them out."""
    form = SearchForm(data)
    form.is_valid()
    pairs: set[tuple[str, str]] = set()
    words = " ".join(str(form.cleaned_data.get("q") or "").split())
    if words:
        pairs.add(("q", words))
    for name in DATE_PARAMETERS:
        value = form.cleaned_data.get(name)
        if isinstance(value, date):
            pairs.add((name, value.isoformat()))
    for parameter in FACET_OF_PARAMETER:
        for value in data.getlist(parameter):
            code = clean_code(value)
            if code and len(code) <= CODE_LENGTH:
                pairs.add((parameter, code))
    query = QueryDict(mutable=True)
    for name, value in sorted(pairs):
        query.appendlist(name, value)
    return query.urlencode()


def search_query(saved: SavedSearch | str, language: str) -> SearchQuery:
    """What the saved search asks the search service, read as the search page reads it."""
    data = QueryDict(saved.query if isinstance(saved, SavedSearch) else saved)
    return query_from_request(data, SearchForm(data), language)


def search_url(query: str, newest_first: bool = False) -> str:
    """The search page showing this search (in the active language)."""
    parameters = "&".join(part for part in (query, "sort=newest" if newest_first else "") if part)
    return reverse("search:index") + (f"?{parameters}" if parameters else "")


@dataclass(frozen=True)
class Criterion:
    """One line of a saved search's description: what is asked for, in the reader's language."""

    title: str
    text: str


def _list(values: Sequence[str]) -> str:
    """Values of one filter, any of which will do, as a list in the active language ("A, B, or C")."""
    try:
        locale = Locale.parse(to_locale(get_language() or "en"))
    except (ValueError, LookupError):
        locale = Locale.parse("en")
    return format_list(list(values), style="or", locale=locale)


def describe_all(queries: Iterable[str], language: str) -> list[list[Criterion]]:
    """Human descriptions of saved queries, in the active language (facet labels in ``language``).
    Labels are looked up once per facet for all the queries together."""
    parsed = [QueryDict(query) for query in queries]
    codes: dict[str, set[str]] = {}
    for data in parsed:
        for parameter, facet in FACET_OF_PARAMETER.items():
            codes.setdefault(facet, set()).update(data.getlist(parameter))
    names = {facet: labels(facet, wanted, language) for facet, wanted in codes.items() if wanted}
    descriptions = []
    for data in parsed:
        criteria = []
        if data.get("q"):
            criteria.append(Criterion(_("Words"), data["q"]))
        for facet in DEFAULT_FACETS:
            chosen = data.getlist(FILTER_PARAMETERS[facet])
            if chosen:
                criteria.append(Criterion(facet_title(facet), _list([names[facet][code] for code in chosen])))
        for name, title in (("published_from", _("Published from")), ("published_to", _("Published until"))):
            if data.get(name):
                shown = date_format(date.fromisoformat(data[name]), "DATE_FORMAT")
                criteria.append(Criterion(title, shown))
        descriptions.append(criteria)
    return descriptions


def default_name(query: str, language: str) -> str:
    """A name for a search about to be saved: its words, else its filters, else "All records"."""
    words = QueryDict(query).get("q")
    if words:
        return words[:NAME_LENGTH]
    criteria = describe_all([query], language)[0]
    # A suggestion the person can change: the filters' values one after the other.
    return " · ".join(criterion.text for criterion in criteria)[:NAME_LENGTH] or _("All records")


@transaction.atomic
def save_search(owner: User, query: str, *, name: str, frequency: str) -> tuple[SavedSearch, bool]:
    """Keep ``query`` (from ``normalise``) for ``owner``; whether a new saved search was made.

    The same search saved again is the saved search already there, renamed, with the frequency
    asked for, and its alerts turned back on.
    """
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often to get the e-mail."), code="frequency")
    if len(query) > QUERY_LENGTH:
        raise ValidationError(
            _("This search is too long to save: remove some words or filters."), code="too_long"
        )
    name = " ".join(name.split())[:NAME_LENGTH] or default_name(query, content_language())
    # One person's saves one after the other, so that two at once cannot pass the limit.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    saved = SavedSearch.objects.filter(owner=owner, query=query).first()
    if saved is not None:
        saved.name, saved.frequency = name, frequency
        if not saved.active:
            # As ``resume``: from now on, not the backlog of the pause.
            saved.active, saved.checked_through = True, timezone.now()
        saved.save(update_fields=["name", "frequency", "active", "checked_through"])
        return saved, False
    if SavedSearch.objects.filter(owner=owner).count() >= MAX_PER_OWNER:
        raise ValidationError(
            ngettext(
                "You can keep at most %(count)d saved search. Delete one you no longer need first.",
                "You can keep at most %(count)d saved searches. Delete one you no longer need first.",
                MAX_PER_OWNER,
            )
            % {"count": MAX_PER_OWNER},
            code="too_many",
        )
    saved = SavedSearch.objects.create(
        owner=owner,
        name=name,
        query=query,
        frequency=frequency,
        language=content_language(owner.preferred_language),
    )
    return saved, True


def set_frequency(saved: SavedSearch, frequency: str) -> None:
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often to get the e-mail."), code="frequency")
    saved.frequency = frequency
    saved.save(update_fields=["frequency"])


def pause(saved: SavedSearch) -> None:
    """No more e-mail for this search until it is resumed."""
    saved.active = False
    saved.save(update_fields=["active"])


def resume(saved: SavedSearch, now: datetime | None = None) -> None:
    """E-mail again, about records first published from now on: not the backlog of the pause."""
    saved.active = True
    saved.checked_through = now or timezone.now()
    saved.save(update_fields=["active", "checked_through"])


def delete(saved: SavedSearch) -> None:
    saved.delete()


def unsubscribe_token(saved: SavedSearch) -> str:
    """What the link in a digest carries to stop that search's alerts without signing in. It
    does not expire: the link in an old e-mail must still work."""
    return signing.dumps(saved.pk, salt=UNSUBSCRIBE_SALT)


def from_unsubscribe_token(token: str) -> SavedSearch | None:
    """The saved search of a token; None when the token was altered or the search deleted."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return SavedSearch.objects.select_related("owner").filter(pk=pk).first()
