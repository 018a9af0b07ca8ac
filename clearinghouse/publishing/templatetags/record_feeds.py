"""``{% feed_links "need" "request" %}``: autodiscovery links (``<link rel="alternate">``) to the
feeds of these record types (``publishing.registry.syndicated``), for a list page's head."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language

from clearinghouse.i18n import url_prefix
from clearinghouse.publishing import registry

register = template.Library()


@register.simple_tag
def feed_links(*names: str) -> SafeString:
    by_name = {record_type.name: record_type for record_type in registry.record_types()}
    language = url_prefix(get_language() or "en")
    links = []
    for name in names:
        record_type = by_name.get(name)
        if record_type is None:
            continue
        address = reverse("feed", args=[registry.syndicated(record_type).name]) + f"?lang={language}"
        links.append((capfirst(record_type.model._meta.verbose_name_plural), address))
    return format_html_join(
        "",
        '<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">',
        links,
    ) or format_html("")
