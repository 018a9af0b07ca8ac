"""``{% linked_data record %}``: the record's schema.org JSON-LD, for a record page that shows no
record panels (``{% record_panels %}`` includes it)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from clearinghouse.publishing.linked_data import page_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def linked_data(context: template.Context, record: Any) -> SafeString:
    panel = page_panel(context.get("request"), record)
    if panel is None:
        return SafeString("")
    rendered = render_to_string("publishing/includes/linked_data.html", panel)
    return mark_safe(rendered)  # noqa: S308  # nosec B308 B703  # a template, escaped by it
