"""What a harvest run says about a failed run or a refused document: stored as a code and its
parameters, shown in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    # The whole answer: the run fails and no record is touched.
    "already_running": _("Another harvest of this source is still running."),
    "bad_address": _("The address %(url)s is not an http or https address."),
    "private_address": _(
        "The address of %(host)s is private or local (%(address)s); sources must be public servers."
    ),
    "unresolved": _("The name %(host)s could not be found."),
    "unreachable": _("The server %(host)s could not be reached."),
    "timeout": _("The server took too long to answer (more than %(seconds)s seconds)."),
    "redirect_other_host": _(
        "The server sent us to another server (%(host)s); only %(expected)s is harvested."
    ),
    "too_many_redirects": _("The server sent us elsewhere too many times."),
    "http_status": _("The server answered with the error %(status)s."),
    "content_type": _("The answer is %(type)s, neither JSON nor an Atom feed."),
    "too_large": _("The answer is larger than %(megabytes)s MB; it was not read further."),
    "malformed_json": _("The answer is not valid JSON (line %(line)s, column %(column)s)."),
    "malformed_xml": _("The feed is not valid XML (line %(line)s, column %(column)s)."),
    "unsafe_xml": _("The feed declares entities or external references; it was not read."),
    "too_deep": _("The answer nests its values too deeply to be read safely."),
    "too_many_pages": _("The listing runs past %(pages)s pages; nothing was changed."),
    "page_loop": _("The listing's next page leads back to a page already read; nothing was changed."),
    "not_a_listing": _("The answer is neither a list of documents, a search index answer nor an Atom feed."),
    # One document: refused (the others are harvested), or harvested with changes.
    "not_a_document": _("An entry of the listing is not a document."),
    "bad_identifier": _("The document's identifier %(identifier)s is not a valid clearing-house identifier."),
    "other_schema": _("The document's schema is %(schema)s; this source's mapping reads %(expected)s."),
    "missing_field": _("The document has no %(field)s."),
    "bad_date": _("The document's %(field)s is not a date: %(value)s."),
    "unknown_kind": _("The document's resource type %(value)s has no counterpart here."),
    "invalid": _("The document's %(field)s was refused: %(reason)s"),
    "unreadable": _("The document could not be read; the platform's log has the details."),
    "markup_removed": _(
        "Markup was taken out of the document's %(field)s (scripts, event handlers or tags)."
    ),
}


def text(code: str, params: Mapping[str, Any] | None = None) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return str(template)
