"""The e-mails of peer review, each in its recipient's language with a link to the page they
act on (quality/reviews/mail/<step>_subject.txt and _message.txt): a reviewer is asked
(``assigned``); whoever opened the round hears that a reviewer ``declined`` or ``submitted``;
the item's authors hear the judgment (``judged``), without reviewers' names."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.quality import items
from clearinghouse.quality.models import Assignment, Review

STEPS = frozenset({"assigned", "declined", "submitted", "judged"})


def send(step: str, review_pk: int, to_pk: int, extra: dict[str, Any] | None = None) -> None:
    """Write to ``to`` that ``step`` happened on a round. Called once the step's transaction
    committed; the round is read again, so the e-mail says what was saved."""
    if step not in STEPS:
        raise ValueError(f"No review e-mail for {step!r}")
    review = Review.objects.select_related("standard").get(pk=review_pk)
    recipient = User.objects.get(pk=to_pk)
    extra = dict(extra or {})
    reviewer = User.objects.filter(pk=extra.pop("reviewer", None)).first()
    item = items.item_or_none(review.identifier)
    assignment = Assignment.objects.filter(review=review, reviewer=recipient).first()

    def built() -> dict[str, Any]:
        if step == "assigned" and assignment is not None:
            url = reverse("quality:assignment", args=[assignment.pk])
        elif step == "judged":
            url = reverse("quality:item_reviews", args=[review.identifier])
        else:
            url = reverse("quality:review", args=[review.pk])
        return {
            "review": review,
            "recipient": recipient,
            "item_title": item.title().text if item is not None else review.identifier,
            "standard_title": show(review.standard.title, review.standard.original_language).text,
            "reviewer_name": (reviewer.get_full_name() or reviewer.username) if reviewer else "",
            "assignment": assignment,
            # Reversed here, for the link to open in the recipient's language.
            "url": site_url(url),
            **extra,
        }

    send_templated(
        f"quality/reviews/mail/{step}",
        built,
        to=recipient.email,
        language=str(recipient.preferred_language or settings.LANGUAGE_CODE),
    )
