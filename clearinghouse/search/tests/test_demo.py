"""The demo saved searches load once, whatever the number of runs, in their owners' languages."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from clearinghouse.accounts.demo import DEMO_DOMAIN
from clearinghouse.accounts.models import User
from clearinghouse.search import demo
from clearinghouse.search.models import SavedSearch

LANGUAGES = {
    "officer.ke": "en",
    "partner.ifdd": "fr",
    "focalpoint.eg": "ar",
    "learner": "zh-hans",
    "iplc.pe": "es",
}


def test_the_demo_saved_searches_load_idempotently(db: None) -> None:
    for person, language in LANGUAGES.items():
        User.objects.create_user(person, email=f"{person}{DEMO_DOMAIN}", preferred_language=language)
    assert demo.load() == []
    assert demo.load() == []
    searches = SavedSearch.objects.select_related("owner")
    assert searches.count() == len(demo.SAVED_SEARCHES)
    assert {search.owner.username: search.language for search in searches} == {
        "officer.ke": "en",
        "partner.ifdd": "fr",
        "focalpoint.eg": "ar",
        "learner": "zh",
        "iplc.pe": "es",
    }


def test_the_demo_needs_the_demo_people(db: None) -> None:
    with pytest.raises(CommandError):
        demo.load()
