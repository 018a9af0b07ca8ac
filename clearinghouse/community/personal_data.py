"""community's part of a person's data (accounts.personal_data): their alumnus record and what
they took part in, their memberships, the topics and posts they wrote, their messages, their
mentoring relations and notes, and their follow-up answers.

Closing an account (accounts.closure):

- the alumnus record is anonymised: name, e-mail address (replaced by one no mail reaches),
  "about me", organisation and the directory settings go; the participations, the facts
  statistics count (country, gender, IPLC, sector) and the consent stay, so that the counts of
  past activities do not change — the record no longer says who it was;
- memberships are deleted (the person is in no community any more, and no digest goes out);
- posts and topics stay where they are, as a reply in a thread is part of the others'
  discussion; their author is shown as a closed account (as records stay with their Party);
- messages received are deleted (no one will read them); messages sent stay in the recipients'
  inboxes, from a closed account;
- open mentoring relations end, with the reason given to the other side; the notes stay with
  the relation, which the other person keeps;
- follow-up requests not yet sent are deleted; answers given stay, anonymous, for counting.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from clearinghouse.accounts import personal_data
from clearinghouse.accounts.models import CLOSED_EMAIL_DOMAIN, User
from clearinghouse.community.models import (
    OPEN_MENTORING,
    Alumnus,
    DirectMessage,
    FollowUpRequest,
    Membership,
    MentoringNote,
    MentoringStatus,
    Mentorship,
    Participation,
    Post,
    Topic,
)


def _alumni(user: User) -> Any:
    """The person's alumnus record: linked to the account, or kept under its address."""
    return Alumnus.objects.filter(Q(person=user) | Q(person__isnull=True, email__iexact=user.email))


def alumnus(user: User) -> list[Any]:
    records = []
    for found in _alumni(user).select_related("country"):
        records.append(
            {
                "name": found.name,
                "email": found.email,
                "language": found.language,
                "consent": found.consent,
                "consent_asked_at": found.consent_asked_at,
                "consent_changed_at": found.consent_changed_at,
                "claimed_at": found.claimed_at,
                "country": found.country.code if found.country else "",
                "organisation": found.organisation_name,
                "gender": found.gender,
                "represents_iplc": found.represents_iplc,
                "sector": found.sector,
                "in_directory": found.in_directory,
                "shows": {
                    "name": found.shows_name,
                    "country": found.shows_country,
                    "organisation": found.shows_organisation,
                    "expertise": found.shows_expertise,
                    "languages": found.shows_languages,
                    "activities": found.shows_activities,
                },
                "accepts_messages": found.accepts_messages,
                "about": found.about,
                "last_active_at": found.last_active_at,
                "created_at": found.created_at,
                "took_part_in": [
                    {
                        "activity": taking_part.activity,
                        "record": (taking_part.event or taking_part.course).identifier,  # type: ignore[union-attr]
                        "role": taking_part.role,
                        "on": taking_part.took_part_on,
                    }
                    for taking_part in Participation.objects.filter(alumnus=found).select_related(
                        "event", "course"
                    )
                ],
            }
        )
    return records


def memberships(user: User) -> list[Any]:
    return [
        {
            "community": membership.community.identifier,
            "role": membership.role,
            "status": membership.status,
            "digest": membership.digest,
            "joined_at": membership.joined_at,
            "accepted_conduct_at": membership.accepted_conduct_at,
            "banned_at": membership.banned_at,
            "ban_reason": membership.ban_reason,
        }
        for membership in Membership.objects.filter(person=user).select_related("community").order_by("pk")
    ]


def writing(user: User) -> dict[str, Any]:
    return {
        "topics": [
            {"community": topic.community.identifier, "title": topic.title, "opened_at": topic.created_at}
            for topic in Topic.objects.filter(author=user).select_related("community").order_by("pk")
        ],
        "posts": [
            {
                "community": post.topic.community.identifier,
                "topic": post.topic.title,
                "body": post.body,
                "records": post.records,
                "posted_at": post.created_at,
                "edited_at": post.edited_at,
                "hidden_at": post.hidden_at,
            }
            for post in Post.objects.filter(author=user).select_related("topic__community").order_by("pk")
        ],
    }


def messages(user: User) -> dict[str, Any]:
    def listed(found: Any) -> list[Any]:
        return list(found.order_by("created_at").values("body", "created_at", "read_at"))

    return {
        "sent": listed(DirectMessage.objects.filter(sender=user)),
        "received": listed(DirectMessage.objects.filter(recipient=user)),
    }


def mentoring(user: User) -> list[Any]:
    found = Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user)).order_by("pk")
    return [
        {
            "you_are": "mentee" if relation.mentee_id == user.pk else "mentor",
            "topic": relation.topic,
            "request": relation.request,
            "from": relation.starts_on,
            "until": relation.ends_on,
            "status": relation.status,
            "goals": relation.goals,
            "asked_at": relation.created_at,
            "finished_at": relation.finished_at,
            "your_rating": relation.mentee_rating
            if relation.mentee_id == user.pk
            else relation.mentor_rating,
            "your_comment": relation.mentee_comment
            if relation.mentee_id == user.pk
            else relation.mentor_comment,
            "your_notes": list(
                MentoringNote.objects.filter(mentorship=relation, author=user).values("body", "created_at")
            ),
        }
        for relation in found
    ]


def follow_up_answers(user: User) -> list[Any]:
    answered = FollowUpRequest.objects.filter(
        participation__alumnus__in=_alumni(user), answered_at__isnull=False
    ).order_by("pk")
    return list(answered.values("due_on", "answered_at", "applied", "applied_how", "changed", "help_needed"))


def close(user: User) -> None:
    """What closing the account changes here (see the module's docstring)."""
    now = timezone.now()
    for found in _alumni(user):
        found.name = ""
        found.email = f"closed-alumnus-{found.pk}@{CLOSED_EMAIL_DOMAIN}"
        found.about = ""
        found.organisation_name = ""
        found.in_directory = False
        found.accepts_messages = False
        found.shows_name = found.shows_country = found.shows_organisation = False
        found.shows_expertise = found.shows_languages = found.shows_activities = False
        found.save()
        FollowUpRequest.objects.filter(
            participation__alumnus=found, sent_at__isnull=True, answered_at__isnull=True
        ).delete()
    Membership.objects.filter(person=user).delete()
    DirectMessage.objects.filter(recipient=user).delete()
    Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user), status__in=list(OPEN_MENTORING)).update(
        status=MentoringStatus.ENDED,
        end_reason=gettext("The other person closed their account."),
        finished_at=now,
    )


def register() -> None:
    personal_data.register("alumnus", alumnus, close=close)
    personal_data.register("community_memberships", memberships)
    personal_data.register("community_posts", writing)
    personal_data.register("direct_messages", messages)
    personal_data.register("mentoring", mentoring)
    personal_data.register("follow_up_answers", follow_up_answers)
