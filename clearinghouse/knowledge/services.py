"""What changes knowledge products: creating one (any registry's draft, through the publishing
workflow) and writing a case study in one step from a completed cooperation's outcome. Saving,
submitting, reviewing and publishing are the publishing workflow's own (``workflow``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.multilingual import show
from clearinghouse.geo.models import Country
from clearinghouse.knowledge.models import Kind, Knowledge
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Cooperation, MatchState, Outcome
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import owners, workflow
from clearinghouse.publishing.models import State


def may_create(user: Any) -> bool:
    """Whoever registers records for a Party or an organisation (focal points, authorised users,
    partner editors, IPLC representatives) and the Secretariat."""
    return bool(getattr(user, "is_authenticated", False)) and owners.registers_records(user)


def create(
    *, actor: User | None, owner: Country | Organisation, values: Mapping[str, Any], note: str = ""
) -> Knowledge:
    """A new draft knowledge product for ``owner``."""
    if actor is not None and not may_create(actor):
        raise PermissionDenied(_("You cannot write knowledge products."))
    return workflow.create(Knowledge, actor=actor, owner=owner, values=values, note=note)


def side_owner(person: Any, cooperation: Cooperation) -> Country | Organisation | None:
    """The Party or organisation of the side of the cooperation this person acts for (the
    requester first), or None when the person acts for neither side."""
    match = cooperation.match
    if sides.acts_for_requester(person, match.case):
        return match.case.subject.owner
    if sides.acts_for_provider(person, match):
        return sides.support_owner(match)
    return None


def outcome_of(cooperation: Cooperation) -> Outcome | None:
    """The outcome report of a completed cooperation; None before it is completed or reported."""
    match = cooperation.match
    if match.state != MatchState.COMPLETED:
        return None
    found: Outcome | None = Outcome.objects.filter(match=match).first()
    return found


def _owned_by(owner: Country | Organisation) -> dict[str, Any]:
    if isinstance(owner, Country):
        return {"owner_country": owner}
    return {"owner_organisation": owner}


def written_from(cooperation: Cooperation, owner: Country | Organisation) -> Knowledge | None:
    """The case study this side already wrote from the cooperation (a draft, one in review, or
    a published one), archived ones aside."""
    return (
        Knowledge.objects.filter(cooperation=cooperation, kind=Kind.CASE_STUDY, **_owned_by(owner))
        .exclude(state=State.ARCHIVED)
        .order_by("pk")
        .first()
    )


def _parties(cooperation: Cooperation, owners_of_sides: list[Country | Organisation]) -> list[Country]:
    """The Parties of the cooperation: its parties' countries (an organisation's country) and
    the sides' own."""
    found: dict[int, Country] = {}
    for party in cooperation.parties.select_related("country", "organisation__country"):
        country = party.country or (party.organisation.country if party.organisation else None)
        if country is not None:
            found[country.pk] = country
    for owner in owners_of_sides:
        country = owner if isinstance(owner, Country) else owner.country
        if country is not None:
            found[country.pk] = country
    return list(found.values())


@transaction.atomic
def write_from_outcome(cooperation: Cooperation, *, actor: User) -> tuple[Knowledge, bool]:
    """A draft case study from a completed cooperation's outcome, owned by the side the person
    acts for: the outcome's results and lessons in the outcome's language, the cooperation's
    description as what was done, the need's subjects and targets and both sides' Parties.
    Asked again, the side's case study is given back (its draft, or the published one). Returns
    the record and whether it was made now."""
    # One request at a time per cooperation: a double click finds the draft the first one made.
    cooperation = (
        Cooperation.objects.select_for_update(of=("self",))
        .select_related("match__case__need", "match__case__request")
        .get(pk=cooperation.pk)
    )
    match = cooperation.match
    if match.state != MatchState.COMPLETED:
        raise ValidationError(
            _("Only a completed cooperation can become a case study."), code="not_completed"
        )
    outcome = outcome_of(cooperation)
    if outcome is None:
        raise ValidationError(
            _("This cooperation has no outcome report to write a case study from."), code="no_outcome"
        )
    owner = side_owner(actor, cooperation)
    if owner is None:
        raise PermissionDenied(
            _("Only the people of either side of the cooperation can write its case study.")
        )
    existing = written_from(cooperation, owner)
    if existing is not None:
        return existing, False
    language = outcome.language
    case = match.case
    subject = case.subject
    needs = case.needs()
    title = show(subject.title or {}, subject.original_language, language).text
    with translation.override(language):
        heading = _("%(kind)s: %(title)s") % {"kind": cooperation.get_kind_display(), "title": title}
    values: dict[str, Any] = {
        "original_language": language,
        "kind": Kind.CASE_STUDY,
        "title": {language: heading[:300]},
        "actions": {cooperation.language: cooperation.description},
        "results": {language: outcome.results},
        "advice": {language: outcome.lessons} if outcome.lessons else {},
        "cooperation": cooperation,
        "countries": _parties(cooperation, [subject.owner, sides.support_owner(match)]),
        "subjects": list({term.pk for need in needs for term in need.subjects.all()}),
        "gbf_targets": list({term.pk for need in needs for term in need.gbf_targets.all()}),
    }
    problems = [getattr(need, "description", None) or {} for need in needs]
    described = next((texts for texts in problems if texts.get(language)), None)
    if described:
        values["problem"] = {language: described[language]}
    record = create(
        actor=actor, owner=owner, values=values, note=_("Written from the cooperation's outcome.")
    )
    return record, True
