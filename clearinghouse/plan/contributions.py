"""Partners in the plan (decision XIII/23, paragraphs 4 and 15(d),(e)): a partner organisation's
people state interest in an activity or report what they did for it; the Secretariat accepts or
declines; accepting a report adds its evidence to the activity and the organisation to its
partners.

Every change of state is one function here: it checks the permission (``plan.contribute`` on the
organisation, asked through ``holds_own``; ``plan.review_contributions``), locks the row, and
raises ``ValidationError({field: message})`` in the person's language before saving anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role, User
from clearinghouse.accounts.permissions import holds_own
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.core.multilingual import show
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import (
    Activity,
    Contribution,
    ContributionKind,
    ContributionState,
    Evidence,
    EvidenceKind,
    parse_period,
)
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record

CONTRIBUTE = "plan.contribute"
REVIEW = "plan.review_contributions"
DESCRIPTION_LENGTH = 2000
MAX_RECORDS = 10
DUPLICATE_INTEREST = gettext_noop("This organisation has already stated its interest in this activity.")
# The evidence kind of a platform record, by its record type; any other type is "other".
EVIDENCE_KINDS = {
    "EVENT": EvidenceKind.EVENT,
    "COURSE": EvidenceKind.COURSE,
    "RES": EvidenceKind.RESOURCE,
    "INIT": EvidenceKind.INITIATIVE,
    "PART": EvidenceKind.PARTNERSHIP,
}


def organisations_for(person: Any) -> list[Organisation]:
    """The organisations the person may contribute for, by name (none when not signed in)."""
    if not getattr(person, "is_authenticated", False):
        return []
    candidates = Organisation.objects.filter(
        pk__in=roles.organisations_for(person, Role.PARTNER_EDITOR, Role.IPLC_REPRESENTATIVE)
    ).order_by("name")
    return [organisation for organisation in candidates if holds_own(person, CONTRIBUTE, organisation)]


def may_review(person: Any) -> bool:
    return bool(getattr(person, "is_authenticated", False) and person.has_perm(REVIEW))


def _check_contributor(actor: User, organisation: Organisation) -> None:
    if not holds_own(actor, CONTRIBUTE, organisation):
        raise PermissionDenied(_("Only the people of an organisation contribute to the plan in its name."))


def _check_reviewer(actor: User) -> None:
    if not may_review(actor):
        raise PermissionDenied(_("Only the Secretariat reviews contributions to the action plan."))


def _description(description: str) -> str:
    text = description.strip()
    if not text:
        raise ValidationError({"description": _("Describe the contribution.")}, code="required")
    if len(text) > DESCRIPTION_LENGTH:
        raise ValidationError(
            {
                "description": _("Keep the description to %(count)s characters.")
                % {"count": DESCRIPTION_LENGTH}
            },
            code="too_long",
        )
    return text


def _language(language: str) -> str:
    if language not in CONTENT_LANGUAGES:
        raise ValidationError(
            {"language": _("Choose the language of the description among the six languages.")},
            code="invalid_language",
        )
    return language


def _identifiers(identifiers: Iterable[str]) -> list[str]:
    """The identifiers upper-cased and once each; every one must name a published record."""
    wanted = list(dict.fromkeys(str(identifier).strip().upper() for identifier in identifiers if identifier))
    if len(wanted) > MAX_RECORDS:
        raise ValidationError(
            {"identifiers": _("Give at most %(count)s records.") % {"count": MAX_RECORDS}}, code="too_many"
        )
    for identifier in wanted:
        record = registry.find(identifier)
        if record is None or not record.live:
            raise ValidationError(
                {
                    "identifiers": _("%(identifier)s is not a published record: check the identifier.")
                    % {"identifier": identifier}
                },
                code="unknown_record",
            )
    return wanted


def _url(url: str) -> str:
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValidationError(
                {"url": _("Give a web address that starts with https:// or http://.")}, code="invalid_url"
            ) from error
    return url


@transaction.atomic
def state_interest(
    actor: User, activity: Activity, *, organisation: Organisation, description: str, language: str
) -> Contribution:
    """Say that ``organisation`` implements or intends to contribute to ``activity``."""
    _check_contributor(actor, organisation)
    if Contribution.objects.filter(
        activity=activity,
        organisation=organisation,
        kind=ContributionKind.INTEREST,
        state__in=[ContributionState.WAITING, ContributionState.ACCEPTED],
    ).exists():
        raise ValidationError({"organisation": _(DUPLICATE_INTEREST)}, code="duplicate")
    try:
        with transaction.atomic():
            return Contribution.objects.create(
                activity=activity,
                organisation=organisation,
                kind=ContributionKind.INTEREST,
                description=_description(description),
                language=_language(language),
                submitted_by=actor,
            )
    except IntegrityError:  # stated by someone else of the organisation a moment ago
        raise ValidationError({"organisation": _(DUPLICATE_INTEREST)}, code="duplicate") from None


@transaction.atomic
def report_contribution(
    actor: User,
    activity: Activity,
    *,
    organisation: Organisation,
    description: str,
    language: str,
    period: str,
    countries: Sequence[Country] = (),
    identifiers: Iterable[str] = (),
    url: str = "",
) -> Contribution:
    """Report what ``organisation`` did for ``activity`` in a year or biennium, with evidence:
    published records of the platform and/or one web address (at least one of them)."""
    _check_contributor(actor, organisation)
    text = _description(description)
    chosen_language = _language(language)
    parsed = parse_period(period)
    records = _identifiers(identifiers)
    address = _url(url)
    if not records and not address:
        raise ValidationError(
            {"identifiers": _("Give at least one piece of evidence: a platform record or a web address.")},
            code="no_evidence",
        )
    contribution = Contribution.objects.create(
        activity=activity,
        organisation=organisation,
        kind=ContributionKind.REPORT,
        description=text,
        language=chosen_language,
        period=str(parsed),
        period_start=parsed.start,
        period_end=parsed.end,
        identifiers=records,
        url=address,
        submitted_by=actor,
    )
    contribution.countries.set(countries)
    return contribution


def _locked_waiting(contribution: Contribution) -> Contribution:
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if locked.state != ContributionState.WAITING:
        raise ValidationError(
            {"state": _("This contribution is no longer waiting for review.")}, code="not_waiting"
        )
    return locked


def _record_title(record: Record) -> str:
    # Evidence titles are one text: the record's title in its original language, or its identifier.
    titles = getattr(record, "title", None)
    if isinstance(titles, dict):
        return show(titles, record.original_language, record.original_language).text or record.identifier
    return str(titles or record.identifier)


def _evidence(contribution: Contribution, reviewer: User) -> list[Evidence]:
    found: list[Evidence] = []
    site = settings.SITE_URL.rstrip("/")
    for identifier in contribution.identifiers:
        record = registry.find(identifier)
        if record is None:
            continue
        record_type = registry.of(record)
        found.append(
            Evidence(
                activity=contribution.activity,
                kind=EVIDENCE_KINDS.get(record_type.code, EvidenceKind.OTHER),
                title=_record_title(record)[:300],
                url=f"{site}{record_type.url(record)}",
                identifier=identifier,
                added_by=reviewer,
            )
        )
    if contribution.url:
        found.append(
            Evidence(
                activity=contribution.activity,
                kind=EvidenceKind.OTHER,
                title=str(contribution.organisation)[:300],
                url=contribution.url,
                added_by=reviewer,
            )
        )
    return found


@transaction.atomic
def accept(actor: User, contribution: Contribution) -> Contribution:
    """Accept a waiting contribution: it becomes public; a report's evidence is added to the
    activity; the organisation becomes one of the activity's partners if it was not."""
    _check_reviewer(actor)
    locked = _locked_waiting(contribution)
    locked.state = ContributionState.ACCEPTED
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    if locked.kind == ContributionKind.REPORT:
        Evidence.objects.bulk_create(_evidence(locked, actor))
    locked.activity.partners.add(locked.organisation)
    return locked


@transaction.atomic
def decline(actor: User, contribution: Contribution, *, reason: str) -> Contribution:
    """Decline a waiting contribution, saying why (the partner sees the reason)."""
    _check_reviewer(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the contribution is declined: the partner will read it.")}, code="required"
        )
    locked = _locked_waiting(contribution)
    locked.state = ContributionState.DECLINED
    locked.reason = reason
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.save(update_fields=["state", "reason", "reviewed_by", "reviewed_at"])
    return locked


@transaction.atomic
def withdraw(actor: User, contribution: Contribution) -> Contribution:
    """Withdraw a contribution still waiting for review, for its organisation."""
    _check_contributor(actor, contribution.organisation)
    locked = _locked_waiting(contribution)
    locked.state = ContributionState.WITHDRAWN
    locked.save(update_fields=["state"])
    return locked
