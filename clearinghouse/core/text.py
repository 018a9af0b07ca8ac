"""Text as people type and paste it: trimmed of white space and of the invisible characters
(zero-width spaces, joiners, direction marks, byte-order marks, soft hyphens) that copying from
word processors and web pages brings along, so that a text made only of them counts as empty."""

from __future__ import annotations

import unicodedata


def _invisible(char: str) -> bool:
    # Cf: format characters (U+200B-U+200F, U+202A-U+202E, U+2060-U+2069, U+FEFF, U+00AD...).
    return char.isspace() or unicodedata.category(char) == "Cf"


def trimmed(text: str) -> str:
    """``text`` without white space or invisible characters at either end (those between words,
    such as a zero-width non-joiner in Persian or Arabic script, stay)."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def sort_key(text: str) -> tuple[str, str]:
    """A key that sorts names as a reader expects in most languages without a collation
    library: accents and case set aside ("Égypte" beside "Equateur", not after "Zambie"), the
    exact text breaking ties."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return folded, text
