"""Demo work waiting on the dashboards, beyond what each area's demo data leaves: one of the
Kenyan officer's imported drafts submitted to Kenya's focal point for review, and the IFDD's offer
proposed for Kenya's request, waiting for the IFDD editor's answer. Idempotent; loaded last."""

from __future__ import annotations

from django.core.management.base import CommandError

from clearinghouse.accounts.demo import demo_person
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking.models import Case, Match
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Offer


def _submitted_for_review() -> str:
    """The officer's last imported draft, submitted; nothing when Kenya has one waiting already."""
    officer = demo_person("officer.ke")
    if Need.objects.filter(owner_country__code="KE", state=State.SUBMITTED).exists():
        return "already waiting"
    draft = (
        Need.objects.filter(owner_country__code="KE", created_by=officer, state=State.DRAFT, live=False)
        .order_by("-pk")
        .first()
    )
    if draft is None:
        raise CommandError(
            "The Kenyan officer's imported drafts are missing: the needs demo must load first."
        )
    workflow.submit(draft, actor=officer)
    return draft.identifier


def _proposed_to_the_ifdd() -> str:
    """The IFDD's offer, proposed by the help desk for Kenya's request for assistance."""
    case = Case.objects.filter(request__owner_country__code="KE").first()
    offer = Offer.objects.filter(owner_organisation__acronym="IFDD", live=True).first()
    if case is None or offer is None:
        raise CommandError("Kenya's request or the IFDD's offer is missing: load the other demo data first.")
    if Match.objects.filter(case=case, support_identifier=offer.identifier).exists():
        return offer.identifier
    agent = demo_person("helpdesk")
    match = matchmaking.shortlist(case, offer, actor=agent)
    matchmaking.propose(
        match,
        actor=agent,
        message="Kenya asks for a training of trainers for its border inspectors. Your offer of French- "
        "and English-language training in the region could cover the identification module: could "
        "you take it on?",
    )
    return offer.identifier


def load() -> list[str]:
    return [
        f"Waiting for review (focalpoint.ke)  {_submitted_for_review()}",
        f"Waiting for an answer (partner.ifdd) {_proposed_to_the_ifdd()}",
    ]
