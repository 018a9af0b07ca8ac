"""Demo saved searches for `clearinghouse loaddemo`: a few demo people keep a search, in their
own language, with daily, weekly or monthly alerts. Idempotent: a search saved already is kept
(its name and frequency refreshed)."""

from __future__ import annotations

from django.http import QueryDict

from clearinghouse.accounts.demo import demo_person
from clearinghouse.search import saved
from clearinghouse.search.models import Frequency

# (person, name, the search page's parameters, frequency)
SAVED_SEARCHES = [
    (
        "officer.ke",
        "Needs and offers for Kenya",
        "party=KE&record_type=need&record_type=offer",
        Frequency.WEEKLY,
    ),
    ("partner.ifdd", "Formations en français", "q=formation&in_language=fr", Frequency.DAILY),
    ("focalpoint.eg", "فرص التمويل والتدريب", "record_type=opportunity", Frequency.WEEKLY),
    ("learner", "培训资源", "q=training&record_type=resource", Frequency.MONTHLY),
    ("iplc.pe", "Pueblos indígenas y bosques", "q=bosques", Frequency.WEEKLY),
]


def load() -> list[str]:
    """Save the demo searches; nothing to print (the people sign in as the accounts demo says)."""
    for person, name, query, frequency in SAVED_SEARCHES:
        owner = demo_person(person)
        saved.save_search(owner, saved.normalise(QueryDict(query)), name=name, frequency=frequency)
    return []
