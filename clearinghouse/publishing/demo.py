"""Taking demo records through the publishing workflow to the state their data file gives, with
the same steps people take (for `clearinghouse loaddemo`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from clearinghouse.accounts.demo import demo_person
from clearinghouse.accounts.models import User
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import notifications, workflow
from clearinghouse.publishing.models import Record, State

# Who reviews what a demo person submits: never themselves.
REVIEWERS = {
    "officer.ke": "focalpoint.ke",
    "focalpoint.ke": "secretariat",
    "focalpoint.eg": "secretariat",
    "focalpoint.cn": "secretariat",
    "iplc.pe": "secretariat",
    "partner.ifdd": "secretariat",
}
DEMO_STATES = {State.DRAFT, State.SUBMITTED, State.RETURNED, State.PUBLISHED}


def people(row: dict[str, Any]) -> tuple[User | None, User | None]:
    """The author and reviewer of a demo record: a demo person and their reviewer, or the
    platform for both."""
    if "by" not in row:
        return None, None
    return demo_person(row["by"]), demo_person(REVIEWERS[row["by"]])


def original_language(row: dict[str, Any]) -> str:
    """The language a record was written in: the first of its title's languages."""
    return str(next(iter(row["title"])))


def take_to(
    record: Record, state: str, *, author: User | None, reviewer: User | None, comment: str = ""
) -> None:
    """Submit the new draft as ``author`` and, for a returned or published record, review it
    as ``reviewer`` (None: the platform, as an import would)."""
    if state not in DEMO_STATES:
        raise CommandError(f"{record.identifier}: a demo record cannot be {state!r}.")
    if state == State.DRAFT:
        return
    if state == State.PUBLISHED and author is None:
        # Loaded and published by the platform in one go: news to nobody.
        with notifications.quiet():
            workflow.submit(record, actor=None)
            workflow.publish(record, actor=reviewer)
        return
    workflow.submit(record, actor=author)
    if state == State.RETURNED:
        workflow.return_for_changes(record, actor=reviewer, comment=comment)
    elif state == State.PUBLISHED:
        workflow.publish(record, actor=reviewer)


def known_titles(model: type[Record]) -> set[tuple[int | None, int | None, str]]:
    """(owner Party, owner organisation, title in its original language) of every record of
    ``model``: how a demo loader finds the records it made already."""
    return {
        (country, organisation, (title or {}).get(language, ""))
        # Every record type has a title; the base class does not declare it.
        for country, organisation, title, language in model._default_manager.values_list(
            "owner_country", "owner_organisation", "title", "original_language"
        )  # type: ignore[misc]
    }


def owner_filter(owner: Country | Organisation) -> dict[str, Country | Organisation]:
    """The query arguments that select the records of ``owner``."""
    return {"owner_country": owner} if isinstance(owner, Country) else {"owner_organisation": owner}
