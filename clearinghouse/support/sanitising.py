"""Rich text that people type into descriptions, made safe to show as HTML (nh3, the Rust
ammonia sanitiser): a short allow-list of formatting tags, links with safe schemes only, no
scripts, no event handlers, no styles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import nh3

TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "blockquote", "h3", "h4", "code"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(text: str) -> str:
    """The text with every tag and attribute outside the allow-list removed."""
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def clean_texts(texts: Mapping[str, Any] | None) -> dict[str, str]:
    """A multilingual {language: text} value, each text sanitised; empty texts dropped."""
    cleaned = {}
    for code, text in (texts or {}).items():
        value = clean_html(str(text or ""))
        if value:
            cleaned[str(code)] = value
    return cleaned
