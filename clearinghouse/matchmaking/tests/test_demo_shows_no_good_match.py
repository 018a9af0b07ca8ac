"""The demo, as `make run` serves it (the default model, the catalogues rebuilt), shows both sides
of the score bands: most needs have a good suggestion, and Singapore's need, in Chinese, has none
and is circulated to providers on "Needs seeking support"."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from clearinghouse.matching import conf, index
from clearinghouse.matchmaking import ranking, services
from clearinghouse.needs.models import Need, Request

PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"


@pytest.mark.django_db
def test_the_demo_has_needs_with_good_matches_and_one_circulated_without() -> None:
    out = StringIO()
    with override_settings(MATCHING_EMBEDDER=conf.DEFAULT_EMBEDDER):
        index.forget()
        call_command("loadreference", stdout=out)
        call_command("importplan", PLAN_FILE, stdout=out)
        call_command("loaddemo", "--allow-production", stdout=out)
        call_command("rebuildmatching", stdout=out)
        records: list[Need | Request] = [*Need.objects.filter(live=True), *Request.objects.filter(live=True)]
        ranked = ranking.support_for_each(records)
        index.forget()
    (circulated,) = services.seeking_support()
    subject = circulated.subject
    assert subject.original_language == "zh"
    assert ranked[subject.identifier].no_good_match
    with_good = [record for record in records if not ranked[record.identifier].no_good_match]
    assert len(with_good) >= 0.8 * len(records)
