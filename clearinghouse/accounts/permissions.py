"""The permission rules of every role, as `rules` predicates.

Each permission is checked against an *owner*: the Party (a Country) or the Organisation a
record or appointment belongs to. Objects that belong to an owner (records, needs, offers...)
expose it as ``.owner``. The same table, in words, is docs/permissions.md; a test checks every
cell of it against these rules.
"""

from __future__ import annotations

from typing import Any

import rules
from django.conf import settings

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation, OrganisationType


def owner_of(obj: Any) -> Country | Organisation | None:
    if isinstance(obj, Country | Organisation):
        return obj
    owner = getattr(obj, "owner", None)
    return owner if isinstance(owner, Country | Organisation) else None


def holds_own(user: Any, permission: str, obj: Any = None) -> bool:
    """Whether the person's own roles and appointments grant ``permission`` on ``obj``.

    The rule is asked directly, without ``user.has_perm``'s shortcut that gives an active
    superuser every permission. For the answers a party gives for itself (a provider accepting a
    match, a requester confirming it), which no one gives on another's behalf, whatever their
    administrative rights."""
    return bool(getattr(user, "is_active", False) and rules.has_perm(permission, user, obj))


@rules.predicate
def is_secretariat(user: Any) -> bool:
    return roles.is_secretariat(user)


@rules.predicate
def is_helpdesk_agent(user: Any) -> bool:
    return roles.has_role(user, Role.HELPDESK_AGENT)


@rules.predicate
def is_trainer(user: Any) -> bool:
    return roles.has_role(user, Role.TRAINER)


@rules.predicate
def is_focal_point(user: Any) -> bool:
    return roles.has_role(user, Role.FOCAL_POINT)


@rules.predicate
def is_organisation_editor(user: Any) -> bool:
    return roles.has_role(user, Role.PARTNER_EDITOR) or roles.has_role(user, Role.IPLC_REPRESENTATIVE)


def _party_id(obj: Any) -> int | None:
    """The Party an owner answers to: the country itself, or an organisation's home country (its
    id, read without fetching the country: lists check this for every record)."""
    owner = owner_of(obj)
    if isinstance(owner, Organisation):
        return owner.country_id
    return owner.pk if owner is not None else None


@rules.predicate
def is_focal_point_of(user: Any, obj: Any) -> bool:
    """Focal point of the Party, or of the country an organisation is based in."""
    party = _party_id(obj)
    return party is not None and party in roles.countries_for(user, Role.FOCAL_POINT)


@rules.predicate
def is_focal_point_of_party(user: Any, obj: Any) -> bool:
    owner = owner_of(obj)
    return isinstance(owner, Country) and roles.acts_for_country(user, owner, Role.FOCAL_POINT)


@rules.predicate
def is_authorised_user_of_party(user: Any, obj: Any) -> bool:
    owner = owner_of(obj)
    return isinstance(owner, Country) and roles.acts_for_country(user, owner, Role.AUTHORISED_USER)


@rules.predicate
def is_iplc_representative_of(user: Any, obj: Any) -> bool:
    owner = owner_of(obj)
    return (
        isinstance(owner, Organisation)
        and owner.type == OrganisationType.IPLC
        and roles.acts_for_organisation(user, owner, Role.IPLC_REPRESENTATIVE)
    )


@rules.predicate
def is_partner_editor_of(user: Any, obj: Any) -> bool:
    owner = owner_of(obj)
    return isinstance(owner, Organisation) and roles.acts_for_organisation(user, owner, Role.PARTNER_EDITOR)


@rules.predicate
def reviews_nationally(user: Any, obj: Any) -> bool:
    """Records of a Party, and of organisations based in one, are reviewed by its focal point,
    unless the Secretariat is set to review organisations' records (ORGANISATION_RECORDS_REVIEWER)."""
    owner = owner_of(obj)
    if isinstance(owner, Organisation) and settings.ORGANISATION_RECORDS_REVIEWER == "secretariat":
        return False
    return bool(is_focal_point_of(user, obj))


drafts_for_owner = (
    is_secretariat
    | is_focal_point_of_party
    | is_authorised_user_of_party
    | is_iplc_representative_of
    | is_partner_editor_of
)
reviews_for_owner = is_secretariat | reviews_nationally


@rules.predicate
def is_subject_of(user: Any, obj: Any) -> bool:
    """The person a record is about (its ``SUBJECT_FIELD``, e.g. an expert's own profile)."""
    field = getattr(obj, "SUBJECT_FIELD", "")
    return bool(
        field and getattr(user, "is_authenticated", False) and getattr(obj, f"{field}_id", None) == user.pk
    )


@rules.predicate
def authors_course(user: Any, obj: Any) -> bool:
    """Trainers write courses for any owner (their role is the Secretariat's appointment, for no
    Party or organisation); reviewers still publish them. Known by the record type's code: the
    accounts app does not import the learning app."""
    return getattr(obj, "RECORD_TYPE", "") == "COURSE" and roles.has_role(user, Role.TRAINER)


@rules.predicate
def keeps_faq_entry(user: Any, obj: Any) -> bool:
    """Help-desk agents write the FAQ entries kept from their answers, whoever owns them (the
    desk's host institution, or the Secretariat's organisation); reviewers still publish them.
    Known by the record type's code: the accounts app does not import the help desk."""
    return getattr(obj, "RECORD_TYPE", "") == "FAQ" and roles.has_role(user, Role.HELPDESK_AGENT)


# Appointments
rules.add_perm("accounts.appoint_focal_point", is_secretariat)
rules.add_perm("accounts.appoint_authorised_user", is_secretariat | is_focal_point_of_party)
rules.add_perm("accounts.remove_authorised_user", is_secretariat | is_focal_point_of_party)
rules.add_perm("accounts.appoint_organisation_user", is_secretariat)
rules.add_perm("accounts.appoint_staff", is_secretariat)
rules.add_perm("accounts.view_appointments", is_secretariat | is_focal_point_of_party)
# Asked about the Party or organisation a person asks a role for: its focal point or its editors.
rules.add_perm(
    "accounts.decide_access_request",
    is_secretariat | is_focal_point_of_party | is_partner_editor_of | is_iplc_representative_of,
)
# Everyone lists and revokes their own API tokens; the Secretariat anyone's.
rules.add_perm("accounts.manage_api_tokens", is_secretariat)

# Records of every registry (needs, support, events, courses, ...)
# Asked about a record rather than its owner, they also admit the person the record is about.
writes_for_a_service = authors_course | keeps_faq_entry
rules.add_perm("records.draft", drafts_for_owner | is_subject_of | writes_for_a_service)
rules.add_perm("records.submit", drafts_for_owner | is_subject_of | writes_for_a_service)
rules.add_perm(
    "records.read_draft", drafts_for_owner | reviews_for_owner | is_subject_of | writes_for_a_service
)
rules.add_perm("records.review", reviews_for_owner)
rules.add_perm("records.publish", reviews_for_owner)

# Organisations
rules.add_perm("organisations.add_organisation", is_secretariat | is_focal_point | is_organisation_editor)
rules.add_perm(
    "organisations.change_organisation",
    is_secretariat | is_partner_editor_of | is_iplc_representative_of | is_focal_point_of,
)
rules.add_perm("organisations.move_organisation", is_secretariat)

# Services
rules.add_perm("helpdesk.handle_requests", is_secretariat | is_helpdesk_agent)
rules.add_perm("learning.author_courses", is_secretariat | is_trainer)
rules.add_perm("vocabularies.change_vocabulary", is_secretariat)

# Matchmaking: accepting, declining or confirming a match for a side is for the people who act
# for that side's Party or organisation; the Secretariat and the help desk coordinate instead.
# Asked through ``holds_own``: a superuser's has_perm would say yes to everything.
rules.add_perm(
    "matchmaking.respond_to_match",
    is_focal_point_of_party | is_authorised_user_of_party | is_iplc_representative_of | is_partner_editor_of,
)
