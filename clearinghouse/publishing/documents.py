"""What a record page shows: its content in the reader's language, its workflow state and the
actions open to the reader; also the printable view and the PDF."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.template.loader import render_to_string

from clearinghouse.core.languages import is_language_code
from clearinghouse.core.money import money
from clearinghouse.core.multilingual import Shown, show
from clearinghouse.publishing import access, origins, registry, snapshots, workflow
from clearinghouse.publishing.models import Record, State


class PdfUnavailableError(Exception):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str
    text: str = ""
    multilingual: Shown | None = None
    # The action-plan activities a record serves, each with its text in the reader's language.
    activities: tuple[tuple[Any, Shown], ...] = ()


def page_url(record: Record) -> str:
    return registry.of(record).url(record)


def _is_multilingual(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(is_language_code(code) for code in value)


def served_activities(record: Record, ids: Collection[int]) -> tuple[tuple[Any, Shown], ...]:
    """The action-plan activities of these ids, by number, with their text for the reader."""
    model: Any = record._meta.get_field("plan_activities").related_model
    return tuple(
        (activity, show(activity.texts, activity.original_language))
        for activity in model._default_manager.filter(pk__in=list(ids)).order_by("number")
    )


def shown_fields(record: Record, content: dict[str, Any], hidden: Collection[str]) -> list[ShownField]:
    """The content fields to show, in the reader's language, but for ``hidden`` (the reader's
    ``access.hidden_fields``, or ``access.confidential_fields`` to show no one's)."""
    fields = []
    # The title is the page's heading already.
    left_out = {"original_language", "format_version", "title", _title_field(record), *hidden}
    for name in record.CONTENT_FIELDS:
        if name in left_out:
            continue
        label = str(getattr(record._meta.get_field(name), "verbose_name", name))
        value = content.get(name)
        if name == "plan_activities":
            if value:
                fields.append(ShownField(name, label, activities=served_activities(record, value)))
            continue
        if isinstance(value, dict) and _is_multilingual(value):
            fields.append(ShownField(name, label, multilingual=show(value, record.original_language)))
        else:
            text = snapshots.readable_value(type(record), name, value)
            field = record._meta.get_field(name)
            if text and isinstance(field, models.DecimalField) and content.get("currency"):
                # A budget or a contribution reads as money, as the reader's locale writes it.
                text = money(Decimal(str(value)), str(content["currency"]))
            if text:
                fields.append(ShownField(name, label, text=text))
    return fields


def actions(user: Any, record: Record) -> list[str]:
    """Workflow buttons this person may press on this record now (submitting is asked about the
    record, as the workflow asks it: the person a record is about may submit it)."""
    if origins.origin(record) is not None:
        # Kept by its source: nobody here submits, reviews or archives it.
        return []
    owner = record.owner
    allowed = []
    if record.state in {State.DRAFT, State.RETURNED} and user.has_perm("records.submit", record):
        allowed.append("submit")
    if record.state == State.SUBMITTED and user.has_perm("records.publish", owner):
        allowed += ["publish", "return"]
    if record.live and (user.has_perm("records.publish", owner) or user.has_perm("records.submit", owner)):
        allowed.append("archive")
    if record.state == State.ARCHIVED and user.has_perm("records.publish", owner):
        allowed.append("republish")
    return allowed


def _title_field(record: Record) -> str:
    searched = registry.of(record).search
    return searched.title if searched is not None else "title"


def page_context(request: HttpRequest, record: Record, working: bool = False) -> dict[str, Any]:
    """``working`` shows the latest revision (drafts, shared drafts); otherwise the public
    version, or the latest revision to its authors while it has never been published."""
    insider = access.can_read_working_copy(request.user, record)
    if working or not record.live:
        latest = workflow.latest_revision(record)
        content = latest.content if latest else snapshots.snapshot(record)
    else:
        content = snapshots.snapshot(record)
    # A working copy may be shown through a shared link: it shows no one's contact details.
    hidden = access.confidential_fields(record) if working else access.hidden_fields(request.user, record)
    return {
        "record": record,
        "fields": shown_fields(record, content, hidden),
        # The type's title field: a question for an FAQ entry.
        "title": content.get(_title_field(record)) or {},
        "insider": insider,
        "actions": actions(request.user, record) if insider or request.user.is_authenticated else [],
        "latest": workflow.latest_revision(record) if insider else None,
        "page_url": page_url(record),
        "origin": origins.origin(record),
    }


def pdf(request: HttpRequest, record: Record) -> bytes:
    """The printable view as PDF (WeasyPrint shapes Arabic and lays out right-to-left)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:
        raise PdfUnavailableError from error
    html = render_to_string("publishing/record_print.html", page_context(request, record), request)
    document: bytes = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return document
