"""Language-aware text processing for search: the one place that turns text into terms.

The same functions produce the terms stored in the index and the terms of a query, for every
backend, so that an engine only ever compares ready-made terms (its own tokenizer sees words
separated by spaces). What happens to a word depends on its script, and for Latin script on the
language of the text it comes from:

- every text: Unicode NFKC, case folding, control and format characters removed;
- Arabic script: harakat, Quranic marks and tatweel removed; alef forms (أ إ آ ٱ) folded to ا,
  alef maqsura ى to ي, ta marbuta ة to ه, hamza on waw and ya (ؤ ئ) to و and ي, Persian kaf and
  ya to their Arabic forms, Arabic-Indic digits to ASCII; then a light stemmer (``stem_arabic``);
- Cyrillic: Russian Snowball stemmer (ё read as е);
- Chinese, Japanese and Korean characters: overlapping character bigrams (a lone character is
  kept as it is), so no dictionary is needed;
- Latin script: the Snowball stemmer of the text's language when it is English, French or
  Spanish, else the word itself; accents are removed after stemming. A query's Latin words are of
  unknown language: they are stemmed as English, French and Spanish and the variants are ORed.

Small lists of function words are left out on both sides (a query word that is one in any of
English, French and Spanish is left out of the query).
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]  # no type information published
from django.utils.html import strip_tags

MAX_QUERY_LENGTH = 200
# A longer "word" is noise (a pasted hash, a URL without spaces): cut it.
MAX_WORD_LENGTH = 64
# Query words searched at most; more would only slow the engines down.
MAX_QUERY_CLAUSES = 32

SNOWBALL_LANGUAGES = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian"}
# The languages a query's Latin-script words may be in, in the order their variants are tried.
LATIN_QUERY_LANGUAGES = ("en", "fr", "es")

# --- characters ---------------------------------------------------------------------------------

_ARABIC_DIACRITICS = [
    *range(0x064B, 0x0660),  # harakat, tanwin, shadda, sukun, hamza and madda marks
    0x0670,  # superscript alef
    *range(0x06D6, 0x06EE),  # Quranic annotation signs
    0x0640,  # tatweel
]
_ARABIC_FOLDS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    # Hamza on waw and ya is often left out when typing (تؤدي / تودي, بيئة / بييه): folding it
    # to its carrier makes both spellings meet. Words spelt with different carriers (مسؤول /
    # مسئول) stay apart.
    "ؤ": "و",
    "ئ": "ي",
    "ک": "ك",  # Persian keyboards
    "ی": "ي",
    "ے": "ي",
}


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0x110000 if sys.maxunicode > 0xFFFF else 0x10000):
        category = unicodedata.category(chr(code))
        if category == "Cc":
            table[code] = " "
        elif category == "Cf":
            table[code] = None
    for code in _ARABIC_DIACRITICS:
        table[code] = None
    for source, target in _ARABIC_FOLDS.items():
        table[ord(source)] = target
    for offset in range(10):
        table[0x0660 + offset] = str(offset)  # Arabic-Indic digits
        table[0x06F0 + offset] = str(offset)  # Extended Arabic-Indic (Persian, Urdu) digits
    return table


_FOLD_TABLE = _build_fold_table()
# Display text keeps its letters and marks; only control and format characters go.
_CLEAN_TABLE = {
    code: value
    for code, value in _FOLD_TABLE.items()
    if unicodedata.category(chr(code)) in {"Cc", "Cf"} and chr(code) not in "\t\n\r"
}


def _class_of(codes: Iterable[int]) -> str:
    """A regex character class of these code points, as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        f"\\U{start:08x}-\\U{end:08x}" if end > start else f"\\U{start:08x}" for start, end in ranges
    )


# Most texts hold none of those characters: finding that out is much faster than translating them.
_UNCLEAN = re.compile(f"[{_class_of(_CLEAN_TABLE)}]")


def _mark_class() -> str:
    """A regex character class of every combining mark, so that a word keeps its vowel marks."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        f"\\u{start:04x}-\\u{end:04x}" if end > start else f"\\u{start:04x}" for start, end in ranges
    )


# A word: letters and digits with their combining marks; underscore and punctuation separate.
WORD = re.compile(rf"(?:[^\W_]|[{_mark_class()}])+")
_CJK = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u312f\u31a0-\u31bf"  # Bopomofo
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
_CJK_RUN = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_CYRILLIC_CHAR = re.compile("[\u0400-\u052f]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


def clean(text: str) -> str:
    """Text fit to show: markup removed (some registries keep rich text), control and format
    characters (bidi marks, soft hyphens ...) removed, line breaks and tabs kept."""
    if _TAG.search(text):
        text = html.unescape(strip_tags(text))
    return text.translate(_CLEAN_TABLE) if _UNCLEAN.search(text) else text


def normalise(text: str) -> str:
    """NFKC, case folding, control characters removed and Arabic letter forms folded."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return unicodedata.normalize("NFKC", folded).translate(_FOLD_TABLE)


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.translate(_LIGATURES))
    return unicodedata.normalize(
        "NFC", "".join(char for char in decomposed if not unicodedata.combining(char))
    )


# --- stop words ---------------------------------------------------------------------------------
# Only the most frequent function words: enough to keep "conservation of forests" from needing
# "of" in every record, short enough not to swallow content words.

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "by",
            "for",
            "from",
            "has",
            "have",
            "in",
            "is",
            "it",
            "its",
            "of",
            "on",
            "or",
            "that",
            "the",
            "this",
            "to",
            "was",
            "were",
            "will",
            "with",
            "not",
            "no",
        ]
    ),
    "fr": frozenset(
        [
            "au",
            "aux",
            "avec",
            "ce",
            "ces",
            "dans",
            "de",
            "des",
            "du",
            "en",
            "et",
            # Not "est": it is also the East ("Afrique de l'Est", "Asie du Sud-Est"), which a
            # search must not lose.
            "il",
            "la",
            "le",
            "les",
            "leur",
            "leurs",
            "ou",
            "par",
            "pas",
            "pour",
            "qu",
            "que",
            "qui",
            "sa",
            "se",
            "ses",
            "son",
            "sur",
            "un",
            "une",
            "d",
            "l",
        ]
    ),
    "es": frozenset(
        [
            "a",
            "al",
            "como",
            "con",
            "de",
            "del",
            "el",
            "en",
            "es",
            "la",
            "las",
            "lo",
            "los",
            "o",
            "para",
            "por",
            "que",
            "se",
            "su",
            "sus",
            "un",
            "una",
            "y",
            "e",
        ]
    ),
    "ru": frozenset(
        [
            "и",
            "в",
            "во",
            "на",
            "с",
            "со",
            "по",
            "к",
            "ко",
            "о",
            "об",
            "от",
            "для",
            "из",
            "за",
            "не",
            "но",
            "а",
            "или",
            "что",
            "это",
            "как",
            "у",
            "же",
            "то",
        ]
    ),
    # Written as normalise() leaves them (أو → او, إلى → الى, ...).
    "ar": frozenset(
        [
            "في",
            "من",
            "على",
            "الى",
            "عن",
            "مع",
            "او",
            "و",
            "ان",
            "ما",
            "لا",
            "هذا",
            "هذه",
            "ذلك",
            "تلك",
            "التي",
            "الذي",
            "الذين",
            "كما",
            "بين",
            "ثم",
            "قد",
        ]
    ),
}
_ANY_LATIN_STOP_WORD = STOP_WORDS["en"] | STOP_WORDS["fr"] | STOP_WORDS["es"]

# --- stemming -----------------------------------------------------------------------------------

# Light stemming after Larkey, Ballesteros and Connell ("light10"), which measured better than
# Snowball's Arabic stemmer on our word groups (144 of 157 pairs of forms of one word met, against
# 91; no false meetings for either; see docs/search.md): Snowball keeps the conjunction in
# والغابات and the plural in محميات.
_ARABIC_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def stem_arabic(word: str) -> str:
    """Light stem of a normalised Arabic word: conjunction و, the article and its prefixed
    prepositions, then common suffixes (dual, plurals, feminine, possessive), each only when two
    letters at least remain."""
    if len(word) >= 4 and word.startswith("و"):
        word = word[1:]
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    # snowballstemmer runs on PyStemmer's C code when that is installed.
    return snowballstemmer.stemmer(SNOWBALL_LANGUAGES[language])


@lru_cache(maxsize=50_000)
def _latin_term(word: str, language: str | None) -> str | None:
    """The term of a normalised Latin-script (or other alphabetic) word, None for a stop word."""
    if language in LATIN_QUERY_LANGUAGES:
        if word in STOP_WORDS[language]:
            return None
        return strip_accents(_stemmer(language).stemWord(word))
    return strip_accents(word)


@lru_cache(maxsize=50_000)
def _cyrillic_term(word: str) -> str | None:
    word = word.replace("ё", "е")
    if word in STOP_WORDS["ru"]:
        return None
    return str(_stemmer("ru").stemWord(word))


@lru_cache(maxsize=50_000)
def _arabic_term(word: str) -> str | None:
    if word in STOP_WORDS["ar"]:
        return None
    return stem_arabic(word)


def _bigrams(run: str) -> tuple[str, ...]:
    if len(run) == 1:
        return (run,)
    return tuple(run[index : index + 2] for index in range(len(run) - 1))


# --- analysis -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One word of a text as search sees it.

    ``variants`` are alternative term sequences (OR): one sequence for a word of known language,
    up to four (English, French and Spanish stems, the word itself) for a Latin-script query
    word. A sequence has several terms for a run of Chinese characters (its bigrams, which must
    follow each other). ``start`` and ``end`` locate the word in the cleaned text.
    """

    variants: tuple[tuple[str, ...], ...]
    start: int = 0
    end: int = 0


def _pieces(word: str) -> Iterator[tuple[str, bool]]:
    """The script runs of a normalised word: (text, is_cjk)."""
    for match in WORD.finditer(word):
        token = match.group()[:MAX_WORD_LENGTH]
        if not _CJK_CHAR.search(token):
            yield token, False
            continue
        for run in _CJK_RUN.findall(token):
            yield run, bool(_CJK_CHAR.match(run))


def _analyse_piece(piece: str, is_cjk: bool, language: str | None) -> tuple[tuple[str, ...], ...]:
    if is_cjk:
        return (_bigrams(piece),)
    if _ARABIC_CHAR.search(piece):
        term = _arabic_term(piece)
        return ((term,),) if term else ()
    if _CYRILLIC_CHAR.search(piece):
        term = _cyrillic_term(piece)
        return ((term,),) if term else ()
    if language is not None:
        term = _latin_term(piece, language)
        return ((term,),) if term else ()
    # A query word of unknown language: one variant per language, then the word itself. The
    # variants keep their positions (no de-duplication here) so that a phrase can be expanded
    # language by language.
    if piece in _ANY_LATIN_STOP_WORD:
        return ()
    variants = [_latin_term(piece, code) for code in LATIN_QUERY_LANGUAGES]
    return tuple((term,) for term in (*variants, _latin_term(piece, None)) if term)


# Runs of Chinese or Japanese (written without spaces, so often a whole clause) and very long
# "words" seldom come again: caching them would only fill memory, and their terms are cheap to
# make. The caches are bounded, so that indexing a million records holds no more than a thousand.
MAX_CACHED_WORD = 32


def _cached(word: str) -> bool:
    return len(word) <= MAX_CACHED_WORD and (word.isascii() or not _CJK_CHAR.search(word))


def _word_terms(word: str, language: str | None) -> tuple[tuple[tuple[str, ...], ...], ...]:
    pieces = []
    for piece, is_cjk in _pieces(normalise(word)):
        variants = _analyse_piece(piece, is_cjk, language)
        if variants:
            pieces.append(variants)
    return tuple(pieces)


_cached_word_terms = lru_cache(maxsize=50_000)(_word_terms)


def word_terms(word: str, language: str | None) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The terms of one word as WORD finds it in cleaned text: for each of its script runs, the
    alternative term sequences (see ``Word``). Stop words give nothing."""
    if _cached(word):
        return _cached_word_terms(word, language)
    return _word_terms(word, language)


def _sequences(word: str, language: str) -> tuple[tuple[str, ...], ...]:
    return tuple(variants[0] for variants in _word_terms(word, language))


_cached_sequences = lru_cache(maxsize=50_000)(_sequences)


def matching_words(text: str, language: str, terms: frozenset[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """The words of a text in ``language`` that give any of ``terms``: (start, end, terms of the
    word's script run) with their place in the cleaned text, as ``analyse`` finds them. Snippets
    read every word of every hit's text: this does it without making a ``Word`` for each."""
    found = []
    for match in WORD.finditer(clean(text)):
        word = match.group()
        # _cached(word), written out: this runs for every word of every hit's text.
        if len(word) <= MAX_CACHED_WORD and (word.isascii() or not _CJK_CHAR.search(word)):
            sequences = _cached_sequences(word, language)
        else:
            sequences = _sequences(word, language)
        for sequence in sequences:
            if not terms.isdisjoint(sequence):
                found.append((match.start(), match.end(), sequence))
    return found


def _indexed_terms(word: str, language: str) -> tuple[str, ...]:
    return tuple(term for variants in _word_terms(word, language) for term in variants[0])


_cached_indexed_terms = lru_cache(maxsize=100_000)(_indexed_terms)


def analyse(text: str, language: str | None) -> list[Word]:
    """The words of ``text`` with their terms and places; ``language`` is the text's ISO 639-1
    code, or None for a query (unknown language)."""
    return [
        Word(variants, match.start(), match.end())
        for match in WORD.finditer(clean(text))
        for variants in word_terms(match.group(), language)
    ]


def index_terms(text: str, language: str) -> list[str]:
    """The terms to index for a text in ``language``, in order (positions matter for phrases).
    Same analysis as ``analyse``, without keeping the places."""
    language = language or "und"
    terms: list[str] = []
    for word in WORD.findall(clean(text)):
        # _cached(word), written out: this runs for every word of every record indexed.
        if len(word) <= MAX_CACHED_WORD and (word.isascii() or not _CJK_CHAR.search(word)):
            terms.extend(_cached_indexed_terms(word, language))
        else:
            terms.extend(_indexed_terms(word, language))
    return terms


# --- identifiers --------------------------------------------------------------------------------

# A public identifier as people type it: Latin letters and digits in hyphen-joined parts, the
# first starting with a letter (CB-NEED-KE-000123, ORG-IFDD, PLAN-46; any case).
IDENTIFIER = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?![\w-])")


def identifier_token(identifier: str) -> str:
    """The index's token of an identifier or of its first parts ("CB-NEED-KE"): hex, since its
    hyphens would split it, and with an underscore, which no word has."""
    return "i_" + identifier.casefold().encode().hex()


def identifier_tokens(key: str) -> list[str]:
    """The tokens of a key and of each run of its first parts: CB-NEED-KE-000123 gives those of
    CB, CB-NEED, CB-NEED-KE and itself, so that a query of its first parts finds it."""
    parts = key.split("-")
    if len(parts) < 2 or not IDENTIFIER.fullmatch(key):
        return []
    return [identifier_token("-".join(parts[:count])) for count in range(1, len(parts) + 1)]


# --- queries ------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "「": '"', "」": '"', "＂": '"'})
_PHRASE = re.compile(r'"([^"]*)"')

Clause = tuple[tuple[str, ...], ...]
"""Alternatives (OR) of term sequences; a sequence of several terms is a phrase."""


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the backends receive it: every clause must match (AND)."""

    clauses: tuple[Clause, ...]
    truncated: bool = False
    dropped_clauses: bool = False

    @property
    def terms(self) -> frozenset[str]:
        """Every term of the query, for highlighting."""
        return frozenset(term for clause in self.clauses for variant in clause for term in variant)

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _dedupe(variants: list[tuple[str, ...]]) -> Clause:
    return tuple(dict.fromkeys(variant for variant in variants if variant))


def _phrase_clause(words: list[Word]) -> Clause:
    """A quoted phrase: expanded once per variant position (English, French, Spanish, as is)."""
    width = max(len(word.variants) for word in words)
    variants = []
    for position in range(width):
        sequence: list[str] = []
        for word in words:
            sequence.extend(word.variants[min(position, len(word.variants) - 1)])
        variants.append(tuple(sequence))
    return _dedupe(variants)


def _plain_clauses(text: str) -> Iterator[Clause]:
    """One clause per word; a hyphen-joined run (CB-NEED-KE, capacity-building) is one clause:
    the identifier, or the start of identifiers, it may be, or its words as a phrase."""
    position = 0
    for match in IDENTIFIER.finditer(text):
        yield from (_dedupe(list(word.variants)) for word in analyse(text[position : match.start()], None))
        words = analyse(match.group(), None)
        yield ((identifier_token(match.group()),), *(_phrase_clause(words) if words else ()))
        position = match.end()
    yield from (_dedupe(list(word.variants)) for word in analyse(text[position:], None))


def parse_query(text: str) -> ParsedQuery:
    """Parse what someone typed. Never fails: operators and stray quotes are words or ignored,
    the text is cut at MAX_QUERY_LENGTH characters; quoted "phrases" must match in order."""
    text = text or ""
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        cut = text[:MAX_QUERY_LENGTH]
        if text[MAX_QUERY_LENGTH].isalnum() and cut[-1].isalnum() and " " in cut:
            cut = cut.rsplit(" ", 1)[0]  # not half a word
        text = cut
    text = text.translate(_QUOTES)
    clauses: list[Clause] = []
    position = 0
    for match in _PHRASE.finditer(text):
        clauses.extend(_plain_clauses(text[position : match.start()]))
        words = analyse(match.group(1), None)
        if words:
            clauses.append(_phrase_clause(words))
        position = match.end()
    # What follows the last pair of quotes, an unbalanced quote included, is plain words.
    clauses.extend(_plain_clauses(text[position:]))
    unique = list(dict.fromkeys(clauses))
    return ParsedQuery(
        clauses=tuple(unique[:MAX_QUERY_CLAUSES]),
        truncated=truncated,
        dropped_clauses=len(unique) > MAX_QUERY_CLAUSES,
    )
