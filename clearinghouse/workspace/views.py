"""The personal dashboard, "My work": what waits for this person, from every area, with counts
and the first few items. Each area's own rules choose the items (the review rule, the sides of a
match, the help desk's cases...): the dashboard asks them and states none of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from clearinghouse.accounts import roles
from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.forms import AccessRequestForm
from clearinghouse.accounts.models import AccessRequest, Invitation, Role
from clearinghouse.core import jobs
from clearinghouse.exchange import services as imports
from clearinghouse.exchange.models import JobState
from clearinghouse.geo.models import Country
from clearinghouse.helpdesk import services as helpdesk
from clearinghouse.helpdesk.models import ACTIVE_STATUSES, Ticket
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import ACTIVE_STATES, Case
from clearinghouse.monitoring import permissions as monitoring
from clearinghouse.national import permissions as national
from clearinghouse.national.models import with_counts
from clearinghouse.publishing import documents, waiting
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.owners import registers_records
from clearinghouse.search import alerts
from clearinghouse.search import saved as saved_searches
from clearinghouse.search.models import SavedSearch
from clearinghouse.support.permissions import has_expert_profile
from clearinghouse.translation import items as translation_items
from clearinghouse.translation.models import TranslationRequest

# Items listed per section; the section's count and link lead to the rest.
SHOWN = 5
# Access requests listed to decide on the dashboard itself (each with its two buttons).
DECISIONS_SHOWN = 10


@dataclass(frozen=True)
class Item:
    record: Record
    url: str


@dataclass(frozen=True)
class SavedNews:
    search: SavedSearch
    new: int
    more: bool
    url: str


def _items(records: list[Record]) -> list[Item]:
    return [Item(record, documents.page_url(record)) for record in records[:SHOWN]]


def _cases(user: Any) -> dict[str, Any] | None:
    """The help desk's active cases: those assigned to this agent, and those nobody has taken."""
    if not sides.is_coordinator(user):
        return None
    active = Case.objects.filter(state__in=ACTIVE_STATES)
    counts = active.aggregate(
        mine=Count("pk", filter=Q(assigned_to=user)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
    )
    mine = active.filter(assigned_to=user).select_related("request", "need").order_by("opened_at", "pk")
    return counts | {"first": list(mine[:SHOWN])}


def _tickets(user: Any) -> dict[str, Any] | None:
    """The help desk's active tickets in this agent's desks: theirs, nobody's, and overdue."""
    desks = helpdesk.agent_desks(user)
    if not desks:
        return None
    rows = helpdesk.desk_counts(desks, user, timezone.now())
    counts = {name: sum(getattr(row, name) for row in rows) for name in ("mine", "unassigned", "overdue")}
    mine = Ticket.objects.filter(desk__in=desks, status__in=ACTIVE_STATUSES, assigned_to=user)
    return counts | {"first": list(mine.order_by("resolution_due", "pk")[:SHOWN]) if counts["mine"] else []}


def _monitoring(user: Any) -> str:
    """Which monitoring page the person starts from: the console for the Secretariat (it counts
    the values waiting for review itself, so the dashboard spends no query on it), the form to
    enter values for the others who may, else none. Asked of the rules alone: the model backend
    would read the person's permissions tables for a no."""
    if rules.has_perm(monitoring.COMPUTE, user):
        return "console"
    if rules.has_perm(monitoring.SUBMIT_VALUE, user):
        return "values"
    return ""


def _job_ledger(user: Any) -> jobs.LedgerAlerts | None:
    """The failed and overdue background jobs, for the staff who run them again in the admin."""
    return jobs.ledger_alerts() if jobs.may_open_ledger(user) else None


def _questions(user: Any) -> list[Ticket]:
    """The person's own questions to the help desk that are still open."""
    return list(helpdesk.asked_by(user).filter(status__in=ACTIVE_STATUSES).order_by("-updated_at")[:SHOWN])


def _translations(user: Any) -> list[tuple[TranslationRequest, Any]]:
    """The translations the person asked for, latest first, with the title of each record: one
    query (and none for titles when they asked for nothing)."""
    latest = TranslationRequest.objects.filter(requesters__person=user).order_by("-updated_at", "-pk")
    asked = list(latest[:SHOWN])
    titles = translation_items.titles([row.identifier for row in asked])
    return [(row, titles.get(row.identifier)) for row in asked]


def _saved_news(user: Any) -> list[SavedNews]:
    """The person's saved searches with the records new to them since their last alert."""
    now = timezone.now()
    news = []
    for search in SavedSearch.objects.filter(owner=user)[:SHOWN]:
        finding = alerts.find_new(search, now)
        news.append(
            SavedNews(
                search,
                len(finding.hits),
                finding.more,
                saved_searches.search_url(search.query, newest_first=True),
            )
        )
    return news


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    keeps_records = registers_records(user) or has_expert_profile(user)
    # Only people who draft have drafts to read (someone whose role ended keeps "My ..." pages).
    work = waiting.waiting_for(user, own=keeps_records)
    matches = sides.awaiting_answer(user)
    decide = appointments.to_decide(user)
    to_decide = list(decide[:DECISIONS_SHOWN])
    own_requests = list(
        AccessRequest.objects.filter(requester=user, outcome="").select_related("country", "organisation")
    )
    has_role = bool(roles.active_appointments(user)) or roles.is_secretariat(user)
    appoints = bool(roles.is_secretariat(user) or roles.countries_for(user, Role.FOCAL_POINT))
    my_imports = imports.visible_to(user).filter(uploader=user).order_by("-queued_at")
    imports_shown = list(my_imports[:SHOWN])
    context = {
        "reviewer": waiting.may_review(user),
        "to_review": _items(work.to_review),
        "to_review_count": len(work.to_review),
        "unfinished": _items(work.unfinished),
        "unfinished_count": len(work.unfinished),
        "registers": keeps_records,
        "matches": matches[:SHOWN],
        "matches_count": len(matches),
        "has_matches": sides.may_have_matches(user),
        "cases": _cases(user),
        "tickets": _tickets(user),
        "questions": _questions(user),
        "monitoring": _monitoring(user),
        "job_ledger": _job_ledger(user),
        "appoints": appoints,
        "invitations": (
            [
                invitation
                for invitation in Invitation.objects.filter(
                    invited_by=user, accepted_at__isnull=True, revoked_at__isnull=True
                ).select_related("country", "organisation")
                if invitation.is_pending
            ]
            if appoints
            else []
        ),
        "to_decide": to_decide,
        "to_decide_count": len(to_decide) if len(to_decide) < DECISIONS_SHOWN else decide.count(),
        "has_role": has_role,
        "own_requests": own_requests,
        "access_form": None if has_role or own_requests else AccessRequestForm(),
        "saved": _saved_news(user),
        "translations": _translations(user),
        "parties": list(with_counts(Country.objects.filter(pk__in=national.own_parties(user)))),
        "imports": imports_shown,
        "imports_to_confirm": (
            my_imports.filter(state=JobState.CONFIRMATION).count() if imports_shown else 0
        ),
    }
    return render(request, "workspace/dashboard.html", context)
