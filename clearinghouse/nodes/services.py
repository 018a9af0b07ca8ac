"""Keeping the register of national clearing-house mechanisms: each change checked against who
may make it (the Party's focal point, the Secretariat) and the model's rules, saved whole or not
at all. A request for support becomes a need of the Party through the needs' own workflow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.geo.models import Country
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.nodes.models import NationalCHM, Status, StatusChange, SupportRequest
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term

# The action-plan activity national CHMs serve (decision XIII/23, annex).
CHM_ACTIVITY = 72
# What a request for support to a national CHM is about, as the needs registry classifies it:
# (vocabulary, codes). Biodiversity data and information shared through the CHM (GBF target 21),
# with capacity-building and technology transfer (GBF target 20), for the Party's institutions.
REQUEST_TERMS: dict[str, tuple[tuple[str, str], ...]] = {
    "subjects": (("subjects", "SUBJ-DATA-INFORMATION"), ("subjects", "SUBJ-TECHNOLOGY-TRANSFER")),
    "gbf_targets": (("gbf-targets", "GBF-T20"), ("gbf-targets", "GBF-T21")),
    "instruments": (("instruments", "CBD"),),
    "capacity_levels": (("capacity-levels", "organisational"),),
    "target_groups": (("target-groups", "government"),),
}
SUPPORT_TYPES = "support-types"

_EDITABLE = (
    "website",
    "technology",
    "technology_detail",
    "languages",
    "contact_office",
    "contact_email",
    "last_checked",
)


def check_keeper(actor: User | None, party: Country) -> None:
    """Refuse anyone but the Party's focal point and the Secretariat. ``None`` is the platform
    itself (the demo)."""
    if actor is not None and not actor.has_perm("nodes.keep_chm", party):
        raise PermissionDenied(
            _(
                "Only the national focal point of %(party)s and the Secretariat "
                "keep its national clearing-house mechanism."
            )
            % {"party": party.name()}
        )


def _check_date(since: date, field: str) -> None:
    if since > timezone.localdate():
        raise ValidationError({field: _("A status takes effect today at the latest, not in the future.")})


@transaction.atomic
def register(
    party: Country,
    *,
    actor: User | None,
    status: Status,
    since: date,
    values: Mapping[str, Any],
) -> NationalCHM:
    """Enter a Party's national CHM in the register with its status and the date it took effect
    (the first entry of its history)."""
    check_keeper(actor, party)
    if not party.cbd_party:
        raise ValidationError(_("%(country)s is not a Party to the Convention.") % {"country": party.name()})
    if NationalCHM.objects.filter(party=party).exists():
        raise ValidationError(
            _("%(party)s already has its national clearing-house mechanism in the register.")
            % {"party": party.name()}
        )
    _check_date(since, "status_since")
    chm = NationalCHM(party=party, status=status, status_since=since)
    _set(chm, values)
    chm.save()
    StatusChange.objects.create(chm=chm, status=status, since=since, recorded_by=actor)
    return chm


def _set(chm: NationalCHM, values: Mapping[str, Any]) -> None:
    for name in _EDITABLE:
        if name in values:
            value = values[name]
            setattr(chm, name, value if value is not None or name == "last_checked" else "")
    if isinstance(chm.languages, list):
        chm.languages = list(dict.fromkeys(chm.languages))
    chm.full_clean()


@transaction.atomic
def update(chm: NationalCHM, *, actor: User | None, values: Mapping[str, Any]) -> NationalCHM:
    """Change the website, technology, languages, contacts or date last checked (the status
    changes through ``change_status``, which keeps its history)."""
    check_keeper(actor, chm.party)
    chm = NationalCHM.objects.select_for_update().select_related("party").get(pk=chm.pk)
    _set(chm, values)
    chm.save()
    return chm


@transaction.atomic
def change_status(
    chm: NationalCHM, *, actor: User | None, status: Status, since: date, note: str = ""
) -> StatusChange:
    """A new status from ``since``: the current one ends that day. Dated the same day as the
    current one, it corrects it. Never dated before the current status or in the future, so
    that the history stays one line of days."""
    check_keeper(actor, chm.party)
    chm = NationalCHM.objects.select_for_update().select_related("party").get(pk=chm.pk)
    _check_date(since, "since")
    current = chm.history.get(until__isnull=True)
    if since < current.since:
        raise ValidationError(
            {
                "since": _(
                    "The current status took effect on %(date)s: a new one cannot take effect before it."
                )
                % {"date": current.since.isoformat()}
            }
        )
    if since == current.since:
        current.status, current.note, current.recorded_by = status, note, actor
        changed = current
    elif status == current.status:
        raise ValidationError(
            {
                "status": _("The national clearing-house mechanism is already %(status)s.")
                % {"status": current.get_status_display()}
            }
        )
    else:
        current.until = since
        current.save(update_fields=["until"])
        changed = StatusChange(chm=chm, status=status, since=since, note=note, recorded_by=actor)
    changed.full_clean(exclude=["chm"])
    changed.save()
    chm.status, chm.status_since = status, since
    chm.full_clean()
    chm.save(update_fields=["status", "status_since", "updated_at"])
    return changed


def _terms(pairs: Sequence[tuple[str, str]]) -> list[Term]:
    wanted = set(pairs)
    found = Term.objects.filter(code__in=[code for _name, code in pairs]).select_related("vocabulary")
    return [term for term in found if (term.vocabulary.name, term.code) in wanted]


@transaction.atomic
def request_support(
    chm: NationalCHM,
    *,
    actor: User | None,
    language: str,
    title: str,
    description: str,
    support_types: Sequence[Term],
    priority: str = "high",
) -> SupportRequest:
    """Ask for support to build or improve the national CHM: a need of the Party, for activity
    72, submitted for review through the needs' workflow (another reviewer publishes it; then
    search and matching find it like any need), tied to the CHM."""
    check_keeper(actor, chm.party)
    wrong = sorted(term.code for term in support_types if term.vocabulary.name != SUPPORT_TYPES)
    if wrong or not support_types:
        raise ValidationError({"support_types": _("Choose the types of support wanted.")})
    author_name = f"{actor.first_name} {actor.last_name}".strip() if actor is not None else ""
    values: dict[str, Any] = {
        "original_language": language,
        "format_version": CURRENT_VERSION,
        "title": {language: title.strip()},
        "description": {language: description.strip()},
        "priority": priority,
        "support_types": list(support_types),
        "support_languages": [language],
        # The office in charge of the CHM answers for the request; seen only by reviewers and
        # the help desk (a need's contact is confidential).
        "contact_name": chm.contact_office or author_name,
        "contact_email": chm.contact_email or (actor.email if actor is not None else ""),
        "plan_activities": list(Activity.objects.filter(number=CHM_ACTIVITY)),
    }
    values |= {field: _terms(pairs) for field, pairs in REQUEST_TERMS.items()}
    need = workflow.create(Need, actor=actor, owner=chm.party, values=values)
    workflow.submit(need, actor=actor)
    return SupportRequest.objects.create(chm=chm, need=need, asked_by=actor)
