"""Who may write courses, in one place (views and the authoring services ask here).

Trainers (``learning.author_courses``, the Secretariat's appointment) write courses for any
owner; the people who register records for the course's owner (its organisation's editors, a
Party's officers: ``records.draft``) write its courses as they write its other records. The
owner's reviewers publish them through the review queue, as every record.
"""

from __future__ import annotations

from typing import Any

from clearinghouse.learning.models import Course
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.owners import owners_for, registers_records
from clearinghouse.support.permissions import can_edit


def authors_courses(user: Any) -> bool:
    """Whether the person writes courses at all: a trainer, the Secretariat, or someone who
    registers records for a Party or an organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_perm("learning.author_courses")) or registers_records(user)


def can_author(user: Any, course: Course) -> bool:
    """Change the course's content (its outline too), preview and submit it."""
    return bool(getattr(user, "is_authenticated", False)) and can_edit(user, course)


def course_owners(user: Any) -> list[Any]:
    """For whom the person may start a course: a trainer, for any organisation; anyone else,
    the Parties and organisations they register records for."""
    owners = owners_for(user)
    if user.has_perm("learning.author_courses"):
        known = {(type(owner), owner.pk) for owner in owners}
        owners += [
            organisation
            for organisation in Organisation.objects.all()
            if (Organisation, organisation.pk) not in known
        ]
    return owners
