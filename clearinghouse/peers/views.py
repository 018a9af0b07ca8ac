"""The peers of a published need, and the proposal of a peer exchange. Thin views: the finder
ranks, the matchmaking service decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.core.languages import content_language, language_names
from clearinghouse.geo.models import Country
from clearinghouse.matching.engine import MatchingError
from clearinghouse.matching.vocabulary import SUBJECTS, TARGETS, default_vocabularies
from clearinghouse.matchmaking import services, sides
from clearinghouse.matchmaking.models import LIVE_STATES, Match
from clearinghouse.needs.models import Need, NeedStatus
from clearinghouse.peers import finder
from clearinghouse.peers.forms import ProposeExchangeForm
from clearinghouse.publishing import documents, registry


def _published_need(identifier: str) -> Need:
    need = registry.find(identifier)
    if not isinstance(need, Need) or not need.live or need.owner_country_id is None:
        raise Http404
    return need


def may_propose(user: Any, need: Need) -> bool:
    """The need's Party (its focal points and authorised users) and the help desk."""
    return sides.is_coordinator(user) or sides.acts_for_requester(user, need)


def _row(peer: finder.PeerParty, under_way: Match | None) -> dict[str, Any]:
    """What a row shows: terms named in the reader's language (never their codes), the clauses
    of the two best needs closest in meaning, the languages both Parties use."""
    language = content_language()
    vocabularies = default_vocabularies()
    passages = [p for p in peer.best.explanation.passages if p.reason == "similar meaning"]
    return {
        "peer": peer,
        "under_way": under_way,
        "targets": [vocabularies.label(TARGETS, code.code, language) for code in peer.shared_targets],
        "subjects": [vocabularies.label(SUBJECTS, code.code, language) for code in peer.shared_subjects],
        "ours": next((p.excerpt for p in passages if p.side == "need"), ""),
        "theirs": next((p.excerpt for p in passages if p.side == "offer"), ""),
        "languages": [name for _code, name in language_names(peer.shared_languages)],
        "needs": [(item, documents.page_url(item.need)) for item in peer.needs],
    }


@require_safe
def need_peers(request: HttpRequest, identifier: str) -> HttpResponse:
    """Parties with similar needs: public, as the published needs it is computed from are."""
    need = _published_need(identifier)
    error = ""
    try:
        peers = finder.peers_of(need)
    except (finder.PeerError, MatchingError) as refused:
        peers, error = [], str(refused)
    proposing = may_propose(request.user, need)
    under_way: dict[int, Match] = {}
    if proposing:
        live = Match.objects.filter(
            case__need=need, state__in=sorted(LIVE_STATES), support_owner_country__isnull=False
        ).exclude(exchange="")
        under_way = {match.support_owner_country_id: match for match in live}  # type: ignore[misc]
    rows = [_row(peer, under_way.get(peer.country.pk)) for peer in peers]
    return render(
        request,
        "peers/need_peers.html",
        {
            "need": need,
            "rows": rows,
            "error": error,
            "may_propose": proposing and need.status not in services.CLOSED_NEED_STATUSES,
            "page_url": documents.page_url(need),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request: HttpRequest, identifier: str, code: str) -> HttpResponse:
    """Propose a South–South (or triangular) exchange between the need and a peer Party."""
    need = _published_need(identifier)
    user = signed_in(request)
    if not may_propose(user, need):
        raise PermissionDenied(_("Only the need's Party and the help desk can propose a peer exchange."))
    peer = get_object_or_404(Country, code=code.upper())
    needs = list(
        Need.objects.filter(live=True, owner_country=peer)
        .exclude(status=NeedStatus.WITHDRAWN)
        .order_by("-pk")
    )
    own = need.owner_country
    if own is None:
        raise Http404
    form = ProposeExchangeForm(
        request.POST or None,
        needs=needs,
        sides=(own, peer),
        initial={"counterpart": request.GET.get("counterpart", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            match = services.propose_peer_exchange(
                need,
                peer,
                counterpart=form.counterpart_need(),
                actor=user,
                message=form.cleaned_data["message"],
                funder=form.funder_owner(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your proposal was sent to the peer Party's focal points."))
            return redirect(match.get_absolute_url())
    return render(
        request,
        "peers/propose.html",
        {
            "need": need,
            "peer": peer,
            "form": form,
            "has_needs": bool(needs),
            "page_url": documents.page_url(need),
        },
        status=400 if request.method == "POST" else 200,
    )
