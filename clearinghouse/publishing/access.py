"""Who may see what of a record: the one rule every record page, print view, PDF, export, API
answer, search document, matching profile and e-mail asks (the generic pages, the registries' own
pages and their lists alike). Which fields are confidential is the record type's declaration
(``registry.RecordType.confidential``); whether this reader may see them is ``hidden_fields``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record


def can_read_working_copy(user: Any, record: Record) -> bool:
    """Drafts, pending changes and history: the record's authors and reviewers, and the person
    the record is about."""
    return bool(user.has_perm("records.read_draft", record))


def can_see_confidential(user: Any, record: Record) -> bool:
    """Confidential fields (contact and personal details): everyone when the record discloses
    them; otherwise those who read its working copy, and the help desk."""
    return (
        record.discloses_confidential()
        or can_read_working_copy(user, record)
        or bool(user.has_perm("helpdesk.handle_requests"))
    )


def confidential_fields(record: Record | type[Record]) -> frozenset[str]:
    """The fields the record's type declares confidential (whoever reads): what a page that
    shows no one's contact details, such as a shared draft, leaves out."""
    return frozenset(registry.of(record).confidential)


def hidden_fields(user: Any, record: Record) -> frozenset[str]:
    """The record's confidential fields this reader may not see: none when the record discloses
    them, and none to those ``can_see_confidential`` admits (the owners, reviewers, help desk and
    the person the record is about). Pages, the API, exports, the search index and matching
    (``user=None``: everyone) all ask this."""
    confidential = confidential_fields(record)
    if (
        not confidential
        or record.discloses_confidential()
        or (user is not None and can_see_confidential(user, record))
    ):
        return frozenset()
    return confidential


def can_see(user: Any, record: Record) -> bool:
    return record.live or can_read_working_copy(user, record)


def visible_records(model: type[Record], user: Any) -> QuerySet[Any]:
    """Published records for everyone; drafts too for the people who draft and review them,
    and for the person a record is about."""
    records = model._default_manager.all()
    if roles.is_secretariat(user):
        return records
    visible = (
        Q(live=True)
        | Q(owner_country__in=roles.countries_for(user, Role.FOCAL_POINT, Role.AUTHORISED_USER))
        | Q(
            owner_organisation__in=roles.organisations_for(
                user, Role.IPLC_REPRESENTATIVE, Role.PARTNER_EDITOR
            )
        )
        | Q(owner_organisation__country__in=roles.countries_for(user, Role.FOCAL_POINT))
    )
    if model.SUBJECT_FIELD and user.is_authenticated:
        visible |= Q(**{model.SUBJECT_FIELD: user})
    return records.filter(visible)
