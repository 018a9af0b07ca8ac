"""Keeping a Party's national targets and reports: each change checked against who may make it
and the model's rules, and saved whole or not at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from babel import Locale
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.geo.models import Country
from clearinghouse.national.models import NationalReport, NationalTarget, check_gbf_terms
from clearinghouse.vocabularies.models import Term

_LANGUAGES = frozenset(str(code) for code in Locale.parse("en").languages if len(str(code)) == 2)


def is_language(code: str) -> bool:
    """An ISO 639-1 code (texts of national targets are often in national languages)."""
    return code in _LANGUAGES


def check_keeper(actor: User | None, party: Country) -> None:
    """Refuse anyone but the Party's focal point, its authorised users and the Secretariat.
    ``None`` is the platform itself (the demo)."""
    if actor is not None and not actor.has_perm("national.keep_targets", party):
        raise PermissionDenied(
            _("Only the focal point and authorised users of %(party)s keep its national targets and reports.")
            % {"party": party.name()}
        )


def _check_language(code: str, field: str) -> None:
    if not is_language(code):
        raise ValidationError({field: _("“%(code)s” is not a language code.") % {"code": code}})


@transaction.atomic
def save_target(
    party: Country,
    *,
    actor: User | None,
    code: str,
    language: str,
    title: str,
    description: str = "",
    gbf_targets: Sequence[Term] = (),
    adopted_year: int | None = None,
    nbsap: Mapping[str, Any] | None = None,
    target: NationalTarget | None = None,
) -> NationalTarget:
    """Add a national target, or change ``target``. The texts are in ``language``: those of
    other languages are kept (an empty description takes that language's away)."""
    check_keeper(actor, party)
    _check_language(language, "language")
    if target is None:
        target = NationalTarget(party=party, original_language=language)
    elif target.party_id != party.pk:
        raise PermissionDenied(_("This national target is not one of %(party)s.") % {"party": party.name()})
    check_gbf_terms(gbf_targets)
    target.code = code
    target.title = {**target.title, language: title}
    target.description = {**target.description, language: description}
    target.adopted_year = adopted_year
    for name, value in (nbsap or {}).items():
        setattr(target, f"nbsap_{name}", value)
    target.full_clean()
    target.save()
    target.gbf_targets.set(gbf_targets)
    return target


@transaction.atomic
def retire_target(target: NationalTarget, *, actor: User | None) -> NationalTarget:
    """Retire a target the Party no longer pursues: needs that name it keep their link, new ones
    cannot name it."""
    check_keeper(actor, target.party)
    if target.retired_at is None:
        target.retired_at = timezone.now()
        target.save(update_fields=["retired_at", "updated_at"])
    return target


@transaction.atomic
def save_report(
    party: Country,
    *,
    actor: User | None,
    values: Mapping[str, Any],
    report: NationalReport | None = None,
) -> NationalReport:
    """Add a national report (kind, year, title, language, url or document), or change ``report``."""
    check_keeper(actor, party)
    if report is None:
        report = NationalReport(party=party)
    elif report.party_id != party.pk:
        raise PermissionDenied(_("This national report is not one of %(party)s.") % {"party": party.name()})
    for name in ("kind", "year", "title", "language", "url", "document"):
        if name in values:
            setattr(report, name, values[name] if values[name] is not None else "")
    _check_language(report.language, "language")
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def retire_report(report: NationalReport, *, actor: User | None) -> NationalReport:
    check_keeper(actor, report.party)
    if report.retired_at is None:
        report.retired_at = timezone.now()
        report.save(update_fields=["retired_at", "updated_at"])
    return report
