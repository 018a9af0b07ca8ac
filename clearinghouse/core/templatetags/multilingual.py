from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from clearinghouse.core.languages import language_name as name_of_language
from clearinghouse.core.multilingual import show

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """``{{ version.language|language_name }}``: a language code named in the reader's language."""
    return name_of_language(str(code or ""))


@register.simple_tag
def shown(texts: Mapping[str, str], original: str, block: bool = False) -> SafeString:
    """``{% shown record.titles record.original_language %}``: the text in the reader's language,
    or the original with an "original language" mark, with lang and dir set for both."""
    picked = show(texts or {}, original)
    element = "div" if block else "span"
    text = format_html(
        '<{} lang="{}" dir="{}">{}</{}>', element, picked.language, picked.direction, picked.text, element
    )
    if not picked.is_fallback:
        return text
    mark = format_html(
        ' <small class="original-mark">{}</small>',
        _("(original language: %(language)s)") % {"language": picked.language_name},
    )
    return format_html("{}{}", text, mark)
