"""Lexical evidence: the words a need and an offer share, normalised exactly as search does.

Terms come from ``clearinghouse.search.text`` (Arabic letter variants and diacritics folded,
Snowball stems, Chinese bigrams), so "محميّات" and "المحميات" or "aires protégées" and "aire
protégée" meet. Across languages few words are shared, but those that are (acronyms, names,
figures) are strong evidence. The score of an offer is the share of the need's word weight (inverse
document frequency over the offers) that the offer contains, in [0, 1].
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from clearinghouse.search.text import analyse, clean, index_terms

# Enough for any real description; a pasted book is cut rather than analysed word by word.
MAX_LEXICAL_CHARS = 20_000
# Sentence ends in the six languages' scripts, and line breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；؟])\s+|(?<=[。！？；])|\n+")
# Clause ends within a sentence: commas, colons, semicolons, brackets (Latin, Arabic and CJK
# forms) and dashes between spaces.
_CLAUSE_END = re.compile(r"[,;:،؛，；：、()（）]|\s[—–-]\s")
# A quoted passage is at most this long (characters): a longer clause is cut into windows.
MAX_PASSAGE_CHARS = 120
# Context kept on each side of the matched words (characters, cut at a word's edge).
CONTEXT_CHARS = 30


def terms(text: str, language: str) -> frozenset[str]:
    """The distinct search terms of a text in ``language``."""
    return frozenset(index_terms(text[:MAX_LEXICAL_CHARS], language or "und"))


@dataclass
class TermTable:
    """Terms numbered in order of first sight, with how many offers contain each."""

    ids: dict[str, int] = field(default_factory=dict)
    document_frequency: list[int] = field(default_factory=list)

    def add_document(self, document_terms: Iterable[str]) -> list[int]:
        numbers = []
        for term in document_terms:
            number = self.ids.get(term)
            if number is None:
                number = self.ids[term] = len(self.document_frequency)
                self.document_frequency.append(0)
            self.document_frequency[number] += 1
            numbers.append(number)
        return sorted(numbers)

    def remove_document(self, numbers: Iterable[int]) -> None:
        for number in numbers:
            self.document_frequency[number] -= 1

    def idf(self, documents: int) -> NDArray[np.float64]:
        """BM25's inverse document frequency of every term, never negative."""
        df = np.asarray(self.document_frequency, dtype=np.float64)
        return np.log1p((documents - df + 0.5) / (df + 0.5))

    def unseen_idf(self, documents: int) -> float:
        return math.log1p((documents + 0.5) / 0.5)


def overlap_scores(
    need_terms: frozenset[str],
    table: TermTable,
    idf: NDArray[np.float64],
    documents: int,
    offer_terms: Sequence[NDArray[np.int32]],
) -> NDArray[np.float64]:
    """For each offer (its sorted term numbers), the share of the need's term weight it holds."""
    known = np.array(sorted(table.ids[term] for term in need_terms if term in table.ids), dtype=np.int64)
    unseen = len(need_terms) - len(known)
    total = float(idf[known].sum()) + unseen * table.unseen_idf(documents)
    scores = np.zeros(len(offer_terms), dtype=np.float64)
    if total <= 0 or len(known) == 0 or len(offer_terms) == 0:
        return scores
    # One pass over the offers' terms together: a lookup of the need's terms, then sums per offer.
    wanted = np.zeros(len(idf), dtype=bool)
    wanted[known] = True
    lengths = np.fromiter((len(numbers) for numbers in offer_terms), dtype=np.int64, count=len(offer_terms))
    numbers = np.concatenate(offer_terms).astype(np.int64)
    weights = np.where(wanted[numbers], idf[numbers], 0.0)
    owners = np.repeat(np.arange(len(offer_terms)), lengths)
    return np.bincount(owners, weights=weights, minlength=len(offer_terms)) / total


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of a text, leading and trailing spaces left out."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            result.append((begin, end))
    return result


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _edge_before(text: str, position: int, low: int) -> int:
    """The last word edge at or before ``position`` (not before ``low``); ``position`` itself in
    a script written without spaces."""
    if position >= len(text) or text[position].isspace() or text[position - 1].isspace():
        return position
    space = text.rfind(" ", low, position)
    return space if space > low else position


def _edge_after(text: str, position: int, high: int) -> int:
    """The first word start at or after ``position`` (not after ``high``)."""
    if position <= 0 or text[position - 1].isspace():
        return position
    space = text.find(" ", position, high)
    return space + 1 if space != -1 else position


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of ``text[start:end]`` (a sentence): cut at commas, colons, semicolons,
    brackets and dashes, spaces trimmed; one longer than MAX_PASSAGE_CHARS is cut into windows
    that overlap by half, at word edges."""
    pieces, begin = [], start
    for found in _CLAUSE_END.finditer(text, start, end):
        pieces.append((begin, found.start()))
        begin = found.end()
    pieces.append((begin, end))
    result = []
    for low, high in (_trim(text, a, b) for a, b in pieces):
        position = low
        while position < high:
            stop = (
                high
                if high - position <= MAX_PASSAGE_CHARS
                else _edge_before(text, position + MAX_PASSAGE_CHARS, position)
            )
            result.append(_trim(text, position, stop))
            if stop >= high:
                break
            position = _edge_after(text, position + MAX_PASSAGE_CHARS // 2, high)
    return [(a, b) for a, b in result if b > a]


def around(text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """``text[start:end]`` widened by up to CONTEXT_CHARS on each side, within ``low:high``,
    cut at word edges."""
    before = max(low, start - CONTEXT_CHARS)
    after = min(high, end + CONTEXT_CHARS)
    if before > low:
        before = min(_edge_after(text, before, start), start)
    if after < high:
        after = max(_edge_before(text, after, end), end)
    return _trim(text, before, after)


def shared_word_spans(text: str, language: str, shared: frozenset[str]) -> list[tuple[int, int, str]]:
    """Where words whose terms are in ``shared`` stand in the cleaned text: (start, end, term)."""
    spans = []
    for word in analyse(clean(text)[:MAX_LEXICAL_CHARS], language or "und"):
        hits = [term for term in word.variants[0] if term in shared] if word.variants else []
        if hits:
            spans.append((word.start, word.end, hits[0]))
    return spans
