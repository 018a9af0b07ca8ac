"""What publishing shows on the home page (core.showcase): the latest published records of every
registered type, and how many Parties have published records."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from clearinghouse.core import showcase
from clearinghouse.core.multilingual import show
from clearinghouse.publishing import registry


def latest_records(limit: int) -> list[showcase.LatestRecord]:
    """The newest published records of each type (one query per type), in the active language."""
    found: list[showcase.LatestRecord] = []
    for record_type in registry.record_types():
        if record_type.search is None:
            continue
        title_field = record_type.search.title
        records = (
            record_type.live()
            .select_related("owner_country", "owner_organisation")
            .order_by("-last_published_at", "-id")[:limit]
        )
        for record in records:
            title = show(getattr(record, title_field) or {}, record.original_language)
            found.append(
                showcase.LatestRecord(
                    identifier=record.identifier,
                    title=title.text or record.identifier,
                    title_language=title.language,
                    kind=str(record_type.label),
                    # A Party's or an organisation's name in the active language.
                    owner=str(record.owner),
                    url=record_type.url(record),
                    published_at=record.last_published_at or record.created_at,
                )
            )
    return found


def parties_with_records() -> int:
    """The Parties that published something: their own records or their organisations'."""
    parties: set[str] = set()
    for record_type in registry.record_types():
        rows = record_type.live().annotate(party=registry.PARTY).values_list("party", flat=True).distinct()
        parties.update(code for code in rows if code)
    return len(parties)


def forget_on_change(sender: Any, **_kwargs: Any) -> None:
    """A record was published, withdrawn or changed: the home page shows it at once."""
    showcase.forget()


def register() -> None:
    from clearinghouse.publishing.signals import record_changed

    record_changed.connect(forget_on_change, dispatch_uid="publishing-showcase-forget")
    showcase.register_latest(latest_records)
    showcase.register_figure(
        showcase.Figure(
            key="parties",
            order=40,
            count=parties_with_records,
            label=lambda count: (
                ngettext(
                    "%(count)s Party with published records",
                    "%(count)s Parties with published records",
                    count,
                )
                % {"count": showcase.number(count)}
            ),
            url_name="search:index",
        )
    )
