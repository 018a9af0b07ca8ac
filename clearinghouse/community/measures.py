"""What monitoring counts of alumni, communities of practice, mentoring and follow-up (activities
9, 71, 91 and 109). Loaded from CommunityConfig.ready().

People's facts (country, gender, IPLC, sector) are the alumnus's own, from the latest activity
they took part in, and are counted only while they consent (``Alumnus.consent``): alumni who did
not consent are not counted at all, and a follow-up answer or a post by someone who did not
counts under the unknown key "". A person's Party in a discussion is their alumnus record's
country, else their account's.

Two measures are states at the end of the period rather than what happened in it: alumni active
in the 90 days before the period's end (``Alumnus.last_active_at``), and communities with posts
by at least two different members in those 90 days (``Measure.window_days``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clearinghouse.community.models import (
    Alumnus,
    Applied,
    Consent,
    FollowUpRequest,
    MentoringStatus,
    Mentorship,
    Participation,
    Post,
)
from clearinghouse.publishing.measures import Dimensions, country_dimensions, owner_dimensions, yes_no
from clearinghouse.publishing.registry import Measure, register_measure

AREA = "communities"
# "Active": did something in the network (posted, replied, mentored, answered a follow-up, took
# part again) in this many days.
ACTIVE_DAYS = 90
# A mentoring relation rated 4 or 5 out of 5 by its mentee is rated well (as events' ratings).
HIGH_RATING = 4


def _alumnus_facts(alumnus: str) -> Dimensions:
    """The alumnus's country dimensions, gender, IPLC and sector at ``alumnus`` (a path; "" for
    the row itself)."""
    at = f"{alumnus}__" if alumnus else ""
    return {
        **country_dimensions(f"{at}country"),
        "gender": f"{at}gender",
        "iplc": yes_no(f"{at}represents_iplc"),
        "sector": f"{at}sector",
    }


def _with_consent(alumnus: str, facts: Dimensions) -> Dimensions:
    """The facts, counted under "" unless the alumnus at the path consented."""

    def consented(path: str | Expression | F) -> Case:
        value = F(path) if isinstance(path, str) else path
        known = Coalesce(value, Value(""), output_field=CharField())
        return Case(
            When(**{f"{alumnus}__consent": Consent.GIVEN}, then=known),
            default=Value(""),
            output_field=CharField(),
        )

    return {name: consented(path) for name, path in facts.items()}


def _serving(*activities: str) -> Any:
    """Rows whose event or course serves activity ``n``."""

    def condition(number: int) -> Q:
        found = Q(pk__in=[])
        for path in activities:
            found |= Q(**{f"{path}__plan_activities__number": number})
        return found

    return condition


# --- alumni -----------------------------------------------------------------------------------


def _participations() -> QuerySet[Any]:
    return Participation.objects.filter(alumnus__consent=Consent.GIVEN)


register_measure(
    Measure(
        code="community.alumni",
        label=_("Alumni who took part in events and courses"),
        area=AREA,
        rows=_participations,
        date="took_part_on",
        aggregate="distinct",
        of="alumnus",
        dimensions={"activity": "activity", "role": "role", **_alumnus_facts("alumnus")},
        serving=_serving("event", "course"),
        people=True,
    )
)


def _consented_alumni() -> QuerySet[Any]:
    return Alumnus.objects.filter(consent=Consent.GIVEN)


register_measure(
    Measure(
        code="community.active_alumni",
        label=_("Alumni active in the network in the last 90 days"),
        area=AREA,
        rows=_consented_alumni,
        date="last_active_at",
        window_days=ACTIVE_DAYS,
        dimensions=_alumnus_facts(""),
        serving=_serving("participations__event", "participations__course"),
        people=True,
    )
)

# --- communities of practice ------------------------------------------------------------------


def _posts() -> QuerySet[Any]:
    """Posts people can read, by people who still have an account, in published communities."""
    return Post.objects.filter(
        hidden_at__isnull=True,
        topic__hidden_at__isnull=True,
        topic__community__live=True,
        author__isnull=False,
    )


_COMMUNITY: Dimensions = {
    "subject": "topic__community__subjects__code",
    "target": "topic__community__gbf_targets__code",
    "language": "topic__community__original_language",
    **owner_dimensions("topic__community"),
}
_COMMUNITY_ACTIVITIES = "topic__community__plan_activities__number"

register_measure(
    Measure(
        code="community.active_communities",
        label=_("Communities of practice with posts by two members or more in the last 90 days"),
        area=AREA,
        rows=_posts,
        date="created_at",
        window_days=ACTIVE_DAYS,
        aggregate="distinct",
        of="topic__community",
        at_least=("author", 2),
        dimensions=_COMMUNITY,
        activities=_COMMUNITY_ACTIVITIES,
    )
)

# A person's Party: their alumnus record's country, else their account's.
AUTHOR_PARTY = Coalesce("author__alumnus__country", "author__country")
OPENER_PARTY = Coalesce("topic__author__alumnus__country", "topic__author__country")

_AUTHOR: Dimensions = {
    **_with_consent("author__alumnus", _alumnus_facts("author__alumnus")),
    "subject": "topic__community__subjects__code",
    "language": "language",
}

register_measure(
    Measure(
        code="community.participants",
        label=_("People who wrote in the communities of practice"),
        area=AREA,
        rows=_posts,
        date="created_at",
        aggregate="distinct",
        of="author",
        dimensions=_AUTHOR,
        activities=_COMMUNITY_ACTIVITIES,
        people=True,
    )
)


def peer_exchanges() -> QuerySet[Any]:
    """Replies (any post but a topic's first) whose author's Party differs from that of the
    member who opened the topic: an exchange between peers of two Parties."""
    earlier = Post.objects.filter(topic=OuterRef("topic"), pk__lt=OuterRef("pk"))
    replies: QuerySet[Any] = (
        _posts()
        .filter(topic__author__isnull=False)
        .annotate(_reply=Exists(earlier), _from=AUTHOR_PARTY, _to=OPENER_PARTY)
        .filter(_reply=True, _from__isnull=False, _to__isnull=False)
        .exclude(_from=F("_to"))
    )
    return replies


register_measure(
    Measure(
        code="community.peer_exchanges",
        label=_("Replies between members of different Parties"),
        area=AREA,
        rows=peer_exchanges,
        date="created_at",
        dimensions={
            "party": Coalesce("author__alumnus__country__code", "author__country__code"),
            "region": Coalesce("author__alumnus__country__region__code", "author__country__region__code"),
            "subject": "topic__community__subjects__code",
            "language": "language",
        },
        activities=_COMMUNITY_ACTIVITIES,
    )
)

# --- mentoring --------------------------------------------------------------------------------

_MENTORING: Dimensions = {"status": "status", "subject": "subject__code"}

register_measure(
    Measure(
        code="community.mentoring_asked",
        label=_("Mentoring relations asked for"),
        area=AREA,
        rows=Mentorship.objects.all,
        date="created_at",
        dimensions=_MENTORING,
    )
)
register_measure(
    Measure(
        code="community.mentoring_started",
        label=_("Mentoring relations started"),
        area=AREA,
        rows=lambda: Mentorship.objects.filter(started_at__isnull=False),
        date="started_at",
        dimensions=_MENTORING,
    )
)


def _completed() -> QuerySet[Any]:
    return Mentorship.objects.filter(status=MentoringStatus.COMPLETED)


register_measure(
    Measure(
        code="community.mentoring_completed",
        label=_("Mentoring relations completed"),
        area=AREA,
        rows=_completed,
        date="finished_at",
        dimensions=_MENTORING,
    )
)
register_measure(
    Measure(
        code="community.mentoring_rated_well",
        label=_("Mentoring relations completed and rated 4 or 5 out of 5 by the mentee"),
        area=AREA,
        rows=lambda: _completed().filter(mentee_rating__gte=HIGH_RATING),
        date="finished_at",
        dimensions=_MENTORING,
    )
)

# --- follow-up --------------------------------------------------------------------------------

_FOLLOW_UP: Dimensions = {
    "activity": "participation__activity",
    "applied": "applied",
    **_with_consent("participation__alumnus", _alumnus_facts("participation__alumnus")),
}
_FOLLOW_UP_SERVING = _serving("participation__event", "participation__course")

register_measure(
    Measure(
        code="community.follow_ups_asked",
        label=_("Follow-up surveys sent to alumni"),
        area=AREA,
        rows=lambda: FollowUpRequest.objects.filter(sent_at__isnull=False),
        date="sent_at",
        dimensions=_FOLLOW_UP,
        serving=_FOLLOW_UP_SERVING,
        people=True,
    )
)


def _answered() -> QuerySet[Any]:
    return FollowUpRequest.objects.filter(answered_at__isnull=False)


register_measure(
    Measure(
        code="community.follow_ups_answered",
        label=_("Follow-up surveys answered by alumni"),
        area=AREA,
        rows=_answered,
        date="answered_at",
        dimensions=_FOLLOW_UP,
        serving=_FOLLOW_UP_SERVING,
        people=True,
    )
)
register_measure(
    Measure(
        code="community.applied",
        label=_("Alumni who applied some or much of what they learnt (follow-up answers)"),
        area=AREA,
        rows=lambda: _answered().filter(applied__in=[Applied.SOME, Applied.MUCH]),
        date="answered_at",
        dimensions=_FOLLOW_UP,
        serving=_FOLLOW_UP_SERVING,
        people=True,
    )
)
