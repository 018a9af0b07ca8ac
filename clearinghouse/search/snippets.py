"""Titles and snippets of hits, made in Python from the stored text so every backend shows the
same: the part of the text with most of the query's words, escaped, matches in <mark>."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from django.utils.html import escape

from clearinghouse.search.text import clean, matching_words

SNIPPET_LENGTH = 240
ELLIPSIS = "…"


def pick_language(texts: Mapping[str, str], wanted: str, original: str) -> str | None:
    """The reader's language if there is text in it, else the original, else any."""
    for code in (wanted, original, *sorted(texts)):
        if texts.get(code, "").strip():
            return code
    return None


def _display(text: str) -> str:
    """The text as shown: control characters out, runs of white space as one space."""
    return " ".join(clean(text).split())


def _marked_spans(text: str, language: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Where the query's terms are in the cleaned text, as (start, end) pairs."""
    spans: list[tuple[int, int]] = []
    for word_start, word_end, sequence in matching_words(text, language, terms):
        if len(sequence) > 1 and word_end - word_start == len(sequence) + 1:
            # A run of Chinese characters: mark the characters of the matching bigrams only.
            for index, term in enumerate(sequence):
                if term in terms:
                    spans.append((word_start + index, word_start + index + 2))
        else:
            spans.append((word_start, word_end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    """The stretch of text, about ``length`` long, with the most marked words."""
    if not spans:
        return 0, min(len(text), length)
    best_start, best_count = spans[0][0], 0
    for index, (start, _end) in enumerate(spans[:50]):
        count = sum(1 for other, _ in spans[index:] if other < start + length)
        if count > best_count:
            best_start, best_count = start, count
    # Some context before the first match, from the start of a word.
    start = max(0, best_start - length // 5)
    if start:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= best_start - length // 3 else start
    return start, min(len(text), start + length)


def snippet(text: str, language: str, terms: frozenset[str], length: int = SNIPPET_LENGTH) -> str:
    """Safe HTML: a part of ``text`` with the words of ``terms`` in <mark>."""
    cleaned = _display(text)
    spans = _cached_spans(cleaned, language, terms) if terms else []
    start, end = _window(cleaned, spans, length)
    if end < len(cleaned):
        # End on a word boundary unless that loses too much.
        space = cleaned.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    parts: list[str] = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(str(escape(cleaned[position:span_start])))
        parts.append(f"<mark>{escape(cleaned[span_start:span_end])}</mark>")
        position = span_end
    parts.append(str(escape(cleaned[position:end])))
    if end < len(cleaned):
        parts.append(ELLIPSIS)
    return "".join(parts)


def has_match(text: str, language: str, terms: frozenset[str]) -> bool:
    """Whether any of ``terms`` is in the text (cached: the snippet is made from it next)."""
    return bool(terms) and bool(_cached_spans(_display(text), language, terms))


@lru_cache(maxsize=256)
def _cached_spans(text: str, language: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    return _marked_spans(text, language, terms)
