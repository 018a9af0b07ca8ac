"""The pages of ratings: an item's ratings with the form of whoever took part in it, a
cooperation's, my ratings, reporting a comment, and the moderators' list of reported comments;
and the panels on the pages of rated records and of providers. Views parse and render;
ratings.py decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import User
from clearinghouse.core.forms import add_service_errors
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Cooperation
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.quality import ratings
from clearinghouse.quality.items import RATED_TYPES, Item, find_item, runs_quality
from clearinghouse.quality.models import Rating
from clearinghouse.quality.rating_forms import HideForm, RatingForm, ReportForm

PER_PAGE = 30
PANEL_COMMENTS = 5


@dataclass(frozen=True)
class Shown:
    """A rating as readers see it: the rater named by first name and initial, and the comment
    unless the moderators hid it."""

    rating: Rating
    rater: str
    comment: str
    hidden: bool
    mine: bool


def rater_name(rating: Rating) -> str:
    person = rating.person
    if person.is_closed:
        return str(person)
    if person.first_name:
        initial = f" {person.last_name[:1]}." if person.last_name else ""
        return f"{person.first_name}{initial}"
    return _("A participant")


def shown(rating: Rating, reader: Any) -> Shown:
    hidden = rating.comment_hidden
    mine = bool(getattr(reader, "is_authenticated", False)) and rating.person_id == reader.pk
    return Shown(rating, rater_name(rating), "" if hidden else rating.comment, hidden, mine)


def _back(rating: Rating) -> str:
    if rating.cooperation_id is not None:
        return reverse("quality:rate_cooperation", args=[rating.cooperation.match_id])  # type: ignore[union-attr]
    return reverse("quality:ratings", args=[rating.identifier])


def _form_for(own: Rating | None, data: Any = None) -> RatingForm:
    initial = {"stars": own.stars, "comment": own.comment} if own is not None else None
    return RatingForm(data, initial=initial)


# --- panels on record pages ----------------------------------------------------------------------


def panel(request: HttpRequest, record: Record) -> dict[str, Any] | None:
    """The average, the count and the latest comments on a rated record's page; the link to
    rate it for whoever took part in it."""
    if record.RECORD_TYPE not in RATED_TYPES or not record.live:
        return None
    reader = request.user
    summary = ratings.summary(record.identifier)
    latest = [shown(rating, reader) for rating in ratings.of_record(record.identifier)[:PANEL_COMMENTS]]
    own = ratings.own_rating(reader, identifier=record.identifier)
    return {
        "summary": summary,
        "latest": latest,
        "own": own,
        "may_rate": own is None and ratings.may_rate_record(reader, record),
        "identifier": record.identifier,
    }


def cooperation_panel(request: HttpRequest, found: Cooperation) -> dict[str, Any] | None:
    """A cooperation's page (matchmaking): its sides' ratings and the way to rate it, for those
    who may see the ratings page."""
    reader = request.user
    if not (ratings.side_of(reader, found) or sides.is_coordinator(reader) or runs_quality(reader)):
        return None
    own = ratings.own_rating(reader, cooperation=found)
    return {
        "summary": ratings.cooperation_summary(found),
        "own": own,
        "may_rate": own is None and ratings.may_rate_cooperation(reader, found),
        "completed": ratings.is_completed(found),
        "match_id": found.match_id,
    }


def provider_panel(request: HttpRequest, record: Record) -> dict[str, Any] | None:
    """A provider's page: its ratings across its offers and the cooperations it gave."""
    organisation_id = getattr(record, "organisation_id", None)
    if organisation_id is None:
        return None
    found = ratings.of_provider(organisation_id)
    summary = ratings.overall(found)
    offers = ratings.overall(found.filter(cooperation__isnull=True))
    cooperations = ratings.overall(found.filter(cooperation__isnull=False))
    latest = [
        shown(rating, request.user)
        for rating in found.exclude(comment="")
        .select_related("person")
        .order_by("-updated_at")[:PANEL_COMMENTS]
    ]
    return {"summary": summary, "offers": offers, "cooperations": cooperations, "latest": latest}


# --- an item's ratings ---------------------------------------------------------------------------


def _item(identifier: str) -> Item:
    return find_item(identifier, types=RATED_TYPES)


@require_http_methods(["GET", "HEAD", "POST"])
def item(request: HttpRequest, identifier: str) -> HttpResponse:
    """Every rating of a published record, and the form of whoever took part in it (their own
    rating, to give or change)."""
    found = _item(identifier)
    reader = request.user
    own = ratings.own_rating(reader, identifier=found.identifier)
    may_rate = own is not None or ratings.may_rate_record(reader, found.record)
    form = _form_for(own, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        person = signed_in(request) if reader.is_authenticated else None
        if person is None:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid() and _saved(request, form, own, person, partial(ratings.rate_record, found.record)):
            return redirect("quality:ratings", found.identifier)
    page = Paginator(ratings.of_record(found.identifier), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/ratings/item.html",
        {
            "item": found,
            "title": found.title(get_language()),
            "summary": ratings.summary(found.identifier),
            "page": page,
            "rows": [shown(rating, reader) for rating in page],
            "own": own,
            "form": form if may_rate or form.errors else None,
            "refusal": None if may_rate or form.errors or not reader.is_authenticated else _refusal(found),
            "moderator": runs_quality(reader),
        },
        status=400 if request.method == "POST" else 200,
    )


def _saved(
    request: HttpRequest, form: RatingForm, own: Rating | None, person: User, rate: Callable[..., Rating]
) -> bool:
    """Give the person's rating (``rate``) or change the one they gave; a refusal goes on the form."""
    values = {"stars": form.cleaned_data["stars"], "comment": form.cleaned_data["comment"]}
    try:
        if own is None:
            rate(person=person, language=get_language(), **values)
        else:
            ratings.change(own, person=person, language=get_language(), **values)
    except PermissionDenied as refusal:
        form.add_error(None, str(refusal))
        return False
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Thank you: your rating was saved."))
    return True


def _refusal(found: Item) -> str:
    return str(ratings.NOT_PARTICIPANT.get(found.record_type, ""))


# --- a cooperation's ratings ---------------------------------------------------------------------


def _cooperation(request: HttpRequest, match_id: int) -> Cooperation:
    """The cooperation, for its sides, the help desk and quality staff; for anyone else it does
    not exist."""
    cooperation = get_object_or_404(
        Cooperation.objects.select_related(
            "match__case__request",
            "match__case__need",
            "match__support_owner_country",
            "match__support_owner_organisation",
        ),
        match_id=match_id,
    )
    reader = request.user
    if not (ratings.side_of(reader, cooperation) or sides.is_coordinator(reader) or runs_quality(reader)):
        raise Http404
    return cooperation


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cooperation(request: HttpRequest, match_id: int) -> HttpResponse:
    """A cooperation's ratings, and the form of a side's people once it is completed."""
    found = _cooperation(request, match_id)
    person = signed_in(request)
    own = ratings.own_rating(person, cooperation=found)
    may_rate = own is not None or ratings.may_rate_cooperation(person, found)
    form = _form_for(own, request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(request, form, own, person, partial(ratings.rate_cooperation, found))
    ):
        return redirect("quality:rate_cooperation", found.match_id)
    return render(
        request,
        "quality/ratings/cooperation.html",
        {
            "cooperation": found,
            "support": registry.find(found.match.support_identifier),
            "summary": ratings.cooperation_summary(found),
            "rows": [shown(rating, person) for rating in ratings.of_cooperation(found)],
            "own": own,
            "form": form if may_rate or form.errors else None,
            "completed": ratings.is_completed(found),
            "moderator": runs_quality(person),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- my ratings ----------------------------------------------------------------------------------


def has_ratings_place(user: Any) -> bool:
    """The header's "My ratings": for the people who act for a side of matches (whose completed
    cooperations are rated from there). Asked on every page, so it reads only what the header
    already read; the others reach their ratings from the pages of what they rated."""
    return sides.may_have_matches(user)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """What I rated, and the completed cooperations I may rate."""
    person = signed_in(request)
    given = list(
        Rating.objects.filter(person=person).select_related("cooperation__match").order_by("-updated_at")
    )
    records = {rating.identifier: registry.find(rating.identifier) for rating in given if rating.identifier}
    rated_cooperations = {rating.cooperation_id for rating in given if rating.cooperation_id}
    to_rate = [c for c in ratings.cooperations_to_rate(person) if c.pk not in rated_cooperations]
    language = get_language()
    rows = []
    for rating in given:
        record = records.get(rating.identifier)
        title = Item(record).title(language) if record is not None else None
        rows.append({"rating": rating, "record": record, "title": title})
    return render(request, "quality/ratings/mine.html", {"rows": rows, "to_rate": to_rate})


# --- removing, reporting, moderating -------------------------------------------------------------


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(Rating.objects.select_related("cooperation"), pk=pk)
    back = _back(rating)
    try:
        ratings.remove(rating, person=signed_in(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your rating was removed."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a rating's comment as abusive."""
    rating = get_object_or_404(Rating.objects.select_related("person", "cooperation"), pk=pk)
    if rating.cooperation is not None:
        _cooperation(request, rating.cooperation.match_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratings.report(rating, person=signed_in(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the moderators will look at the comment."))
            return redirect(_back(rating))
    return render(
        request,
        "quality/ratings/report.html",
        {"row": shown(rating, request.user), "form": form, "back": _back(rating)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def reports(request: HttpRequest) -> HttpResponse:
    """The moderators' list: comments reported and not yet looked at."""
    person = signed_in(request)
    if not runs_quality(person):
        raise PermissionDenied
    found = list(ratings.reported(person).select_related("person").prefetch_related("reports"))
    rows = [
        {
            "row": shown(rating, person),
            "comment": rating.comment,
            "reports": [entry for entry in rating.reports.all() if entry.resolved_at is None],
            "back": _back(rating),
        }
        for rating in found
    ]
    return render(request, "quality/ratings/reports.html", {"rows": rows, "hide_form": HideForm()})


MODERATED = {
    "hide": gettext_lazy("The comment is hidden; its stars still count."),
    "show": gettext_lazy("The comment is shown again."),
    "dismiss": gettext_lazy("The reports were dismissed; the comment stays."),
}


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    person = signed_in(request)
    if action not in MODERATED:
        raise Http404
    if not runs_quality(person):
        raise PermissionDenied
    rating = get_object_or_404(Rating, pk=pk)
    try:
        if action == "hide":
            form = HideForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            ratings.hide(rating, person=person, reason=reason)
        elif action == "show":
            ratings.show_again(rating, person=person)
        else:
            ratings.dismiss(rating, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(MODERATED[action]))
    return redirect(_back_to(request))


def _back_to(request: HttpRequest) -> str:
    """Where the moderator came from (a page of this site), else the list of reported comments."""
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return back
    return reverse("quality:rating_reports")
