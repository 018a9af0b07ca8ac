"""quality's part of a person's data (accounts.personal_data): the ratings they gave, the
comments they reported, and the records they downloaded (what let them rate a resource).

Closing an account (accounts.closure):

- the ratings' comments are erased; their stars stay, from a closed account, so that the
  averages people chose by do not change;
- the reports not yet looked at are deleted (no one answers for them any more); those the
  moderators resolved stay, without their reason;
- the uses of records are deleted: they only served to let the person rate.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from clearinghouse.accounts import personal_data
from clearinghouse.accounts.models import User
from clearinghouse.quality.models import Rating, RatingReport, Use


def ratings(user: User) -> list[Any]:
    given = Rating.objects.filter(person=user).select_related("cooperation", "country").order_by("pk")
    return [
        {
            "record": rating.identifier,
            "cooperation": rating.cooperation.match_id if rating.cooperation is not None else None,
            "stars": rating.stars,
            "comment": rating.comment,
            "language": rating.language,
            "comment_hidden": rating.comment_hidden,
            "rated_at": rating.created_at,
            "changed_at": rating.updated_at,
            "country": rating.country.code if rating.country is not None else "",
        }
        for rating in given
    ]


def reports(user: User) -> list[Any]:
    made = RatingReport.objects.filter(reported_by=user).order_by("pk")
    return list(made.values("rating_id", "reason", "reported_at", "resolved_at"))


def uses(user: User) -> list[Any]:
    return list(Use.objects.filter(person=user).order_by("pk").values("identifier", "first_at"))


def close(user: User) -> None:
    """What closing the account changes here (see the module's docstring)."""
    Rating.objects.filter(person=user).update(comment="", comment_hidden=False, hidden_reason="")
    RatingReport.objects.filter(reported_by=user, resolved_at__isnull=True).delete()
    RatingReport.objects.filter(Q(reported_by=user) & ~Q(reason="")).update(reason="")
    Use.objects.filter(person=user).delete()


def register() -> None:
    personal_data.register("quality_ratings", ratings, close=close)
    personal_data.register("quality_reports", reports)
    personal_data.register("quality_uses", uses)
