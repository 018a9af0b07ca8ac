"""The search page's form: words, dates and order. Facet filters are plain repeated GET
parameters named after their facet (?party=KE&party=TZ), read beside the form. Also the forms
that save a search and change a saved search's alerts."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from clearinghouse.search.documents import FILTER_PARAMETERS, SearchQuery
from clearinghouse.search.models import NAME_LENGTH, Frequency

# The page's search form element: the fields beside the results (dates, order, facets) belong to
# it through their ``form`` attribute, so that results and filters can be laid out apart.
FORM_ID = "search"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"), required=False, strip=True, widget=forms.TextInput(attrs={"type": "search"})
    )
    published_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "form": FORM_ID}),
    )
    published_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "form": FORM_ID}),
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("relevance", _("Best match")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
        widget=forms.Select(attrs={"form": FORM_ID}),
    )


def _page(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def query_from_request(data: QueryDict, form: SearchForm, language: str, page_size: int = 20) -> SearchQuery:
    """The query a page request asks for; invalid fields are left out (the form shows why)."""
    cleaned = form.cleaned_data if form.is_valid() else {}
    filters = {facet: data.getlist(name) for facet, name in FILTER_PARAMETERS.items() if data.getlist(name)}
    return SearchQuery(
        text=cleaned.get("q") or "",
        filters=filters,
        published_from=cleaned.get("published_from"),
        published_to=cleaned.get("published_to"),
        sort=cleaned.get("sort") or "relevance",
        page=_page(data.get("page")),
        page_size=page_size,
        language=language,
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mail me new records"), choices=Frequency.choices, initial=Frequency.WEEKLY
    )


class SaveSearchForm(FrequencyForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_LENGTH,
        required=False,
        strip=True,
        help_text=_("Left empty, the search's words or filters name it."),
    )

    field_order = ["name", "frequency"]
