"""Registering needs, needs assessments and requests step by step, and following a need's
status. Content changes go through the publishing workflow; these functions translate the
common format's steps into record values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.geo.models import Country
from clearinghouse.needs.formats import CURRENT_VERSION, FormDefinition, Step, definition
from clearinghouse.needs.models import (
    NEED_PROGRESS,
    FormatRecord,
    Need,
    NeedsAssessment,
    NeedStatus,
    NeedStatusChange,
    Request,
    StatusReason,
)
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision
from clearinghouse.publishing.signals import announce_change

MODELS: dict[str, type[FormatRecord]] = {"assessment": NeedsAssessment, "need": Need, "request": Request}


def form_of(record: FormatRecord) -> FormDefinition:
    return definition(record.format_version).form(record.FORM)


def values_from_step(
    step: Step, cleaned: Mapping[str, Any], language: str, current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Record values from a step's cleaned form data. Multilingual texts are stored under the
    language they were written in, keeping the translations already there."""
    values: dict[str, Any] = {}
    for field in step.fields:
        if field.name not in cleaned:
            continue
        value = cleaned[field.name]
        if field.is_multilingual:
            texts = dict((current or {}).get(field.name) or {})
            if value:
                texts[language] = value
            else:
                texts.pop(language, None)
            value = texts
        elif field.type in {"text", "email", "currency", "choice"} and value is None:
            value = ""
        elif field.is_many:
            value = list(value or [])
        values[field.name] = value
    return values


@transaction.atomic
def start(
    form_name: str,
    *,
    actor: User | None,
    owner: Country | Organisation,
    language: str,
    step: Step,
    cleaned: Mapping[str, Any],
    needs: Sequence[Need] = (),
) -> FormatRecord:
    """A new draft in the current version of the format, from its first step; a request with
    the needs it is for, which must be its owner's."""
    values = values_from_step(step, cleaned, language) | {
        "original_language": language,
        "format_version": CURRENT_VERSION,
    }
    if needs:
        if any(need.owner != owner for need in needs):
            raise ValidationError(
                _("A request can only be for needs of %(owner)s.")
                % {"owner": owner.name() if isinstance(owner, Country) else owner.display_name()}
            )
        values["needs"] = list(needs)
    return workflow.create(MODELS[form_name], actor=actor, owner=owner, values=values)


def save_step(
    record: FormatRecord,
    *,
    actor: User | None,
    step: Step,
    cleaned: Mapping[str, Any],
    base_revision: int | None,
) -> Revision:
    working, _many = workflow.working_copy(record)
    current = {field.name: getattr(working, field.name) for field in step.fields if field.is_multilingual}
    values = values_from_step(step, cleaned, record.original_language, current)
    return workflow.save_draft(record, actor=actor, values=values, base_revision=base_revision)


def multilingual_fields(record: FormatRecord) -> list[FieldDefinition]:
    return [field for field in form_of(record).fields if field.is_multilingual]


# The order a need moves in; it may be withdrawn at any time.
@transaction.atomic
def change_status(
    need: Need,
    *,
    actor: User | None,
    status: NeedStatus,
    note: str = "",
    reason: StatusReason | None = None,
) -> NeedStatusChange:
    """Move a need along its lifecycle; every change is dated for the monitoring indicators."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if actor is not None and not (
        actor.has_perm("records.submit", need.owner) or actor.has_perm("helpdesk.handle_requests")
    ):
        raise PermissionDenied(_("Only the need's owners and the help desk can change its status."))
    if not need.live:
        raise ValidationError(_("Only a published need has a status to follow."), code="not_published")
    current = NeedStatus(need.status)
    if current == NeedStatus.WITHDRAWN or current == status:
        raise ValidationError(
            _("The need is already %(status)s.") % {"status": current.label}, code="same_status"
        )
    if status != NeedStatus.WITHDRAWN and NEED_PROGRESS.index(status) < NEED_PROGRESS.index(current):
        raise ValidationError(
            _("A need moves forward: it cannot go back from %(current)s to %(status)s.")
            % {"current": current.label, "status": status.label},
            code="backwards",
        )
    return record_status(need, status, changed_by=actor, note=note, reason=reason)


def record_status(
    need: Need,
    status: NeedStatus,
    *,
    changed_by: User | None,
    note: str = "",
    reason: StatusReason | None = None,
    detail: str = "",
) -> NeedStatusChange:
    """Set the status and keep the dated change, with no check of who or which way: for
    ``change_status`` and for the matchmaking, whose matches move a need both ways. Search (the
    status facet) and matching (an addressed need asks for nothing more) follow after commit."""
    Need.objects.filter(pk=need.pk).update(status=status)
    need.status = status
    change = NeedStatusChange.objects.create(
        need=need,
        status=status,
        changed_by=changed_by,
        note=note[:300],
        reason=reason or "",
        detail=detail[:300],
    )
    announce_change(Need, [need.identifier])
    return change
