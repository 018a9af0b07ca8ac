"""``{% plan_text texts %}``: a text of the action plan in the reader's language, or the Arabic.

The plan's original is Arabic and every other language an unofficial translation, so a translated
text is marked as such and, as a block, carries the Arabic within reach; with ``show_original`` in
the context (the page's "Show the Arabic original" link) every text is shown in Arabic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import Shown, show
from clearinghouse.core.templatetags.multilingual import shown
from clearinghouse.plan.models import ORIGINAL_LANGUAGE

register = template.Library()


def _element(picked: Shown, block: bool) -> SafeString:
    element = "div" if block else "span"
    return format_html(
        '<{} lang="{}" dir="{}">{}</{}>', element, picked.language, picked.direction, picked.text, element
    )


@register.simple_tag(takes_context=True)
def plan_text(context: Mapping[str, Any], texts: Mapping[str, str], block: bool = False) -> SafeString:
    """The text for the reader: a translation marked unofficial (as a block, with the Arabic
    original to unfold), or the original marked as such."""
    original = texts.get(ORIGINAL_LANGUAGE, "")
    if context.get("show_original") and original:
        return _element(Shown(original, ORIGINAL_LANGUAGE, is_fallback=False), block)
    picked = show(texts, ORIGINAL_LANGUAGE)
    if picked.language == ORIGINAL_LANGUAGE or not original:
        return shown(texts, ORIGINAL_LANGUAGE, block=block)
    if not block:
        return _element(picked, block)
    return format_html(
        '{}<details class="plan-original-text"><summary>{}</summary>{}</details>',
        _element(picked, block),
        _("Unofficial translation: show the Arabic original"),
        _element(Shown(original, ORIGINAL_LANGUAGE, is_fallback=False), block),
    )
