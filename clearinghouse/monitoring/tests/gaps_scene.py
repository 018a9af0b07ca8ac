"""A small clearing-house for the gap analysis' tests, built through the apps' services: three
Kenyan and Tanzanian needs (one matched and under way, one in matchmaking, one waiting), an
offer and an opportunity, with known dates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.geo.models import Region
from clearinghouse.matching import index
from clearinghouse.matchmaking.models import Case, Match
from clearinghouse.matchmaking.tests.conftest import Commit, publish_need, publish_support
from clearinghouse.matchmaking.tests.steps import case_for, in_progress
from clearinghouse.monitoring.compute import Period
from clearinghouse.needs.models import Need, NeedStatus, NeedStatusChange
from clearinghouse.support.models import Offer, Opportunity
from clearinghouse.support.tests.factories import terms
from clearinghouse.vocabularies.services import data_files, load_vocabularies

AFRICA = {
    "ar": "أفريقيا",
    "zh": "非洲",
    "en": "Africa",
    "fr": "Afrique",
    "ru": "Африка",
    "es": "África",
}


@pytest.fixture(autouse=True)
def _matcher(tmp_path: Path) -> Iterator[None]:
    with override_settings(
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
        MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder",
        MEDIA_ROOT=tmp_path / "media",
    ):
        index.forget()
        yield
        index.forget()


@dataclass
class Gapped:
    world: World
    commit: Commit
    period: Period
    matched: Need  # Kenya, GBF-T6, a match agreed and under way
    in_matchmaking: Need  # Kenya, GBF-T6, a case in matchmaking, no match
    waiting: Need  # Tanzania (no region), GBF-T2 and T3, nothing yet
    offer: Offer
    opportunity: Opportunity
    match: Match


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def build(world: World, commit: Commit) -> Gapped:
    load_vocabularies(data_files())
    africa = Region.objects.create(code="002", level=Region.Level.REGION, names=AFRICA)
    world.kenya.region = africa
    world.kenya.save(update_fields=["region"])
    offer = publish_support(world, commit)
    opportunity = publish_support(world, commit, Opportunity)
    matched = publish_need(world, commit, title="Customs officers trained on invasive species")
    in_matchmaking = publish_need(world, commit, title="Invasive species early warning")
    waiting = publish_need(
        world,
        commit,
        title="A national wetland inventory",
        gbf_targets=terms("GBF-T2", "GBF-T3"),
        subjects=terms("SUBJ-INLAND-WATERS"),
        support_types=terms("expertise"),
    )
    Need.objects.filter(pk=waiting.pk).update(owner_country=world.tanzania)
    match = in_progress(world, matched, offer)
    case_for(world, in_matchmaking)
    # Known dates: registered 10 days ago; the matched need's case 6 days ago, agreed 1 day ago
    # (5 days later), under way now; the other's case 8 days ago (2 days after registering).
    Need.objects.filter(pk__in=[matched.pk, in_matchmaking.pk]).update(first_published_at=days_ago(10))
    Need.objects.filter(pk=waiting.pk).update(first_published_at=days_ago(300))
    Case.objects.filter(need=matched).update(opened_at=days_ago(6))
    Case.objects.filter(need=in_matchmaking).update(opened_at=days_ago(8))
    NeedStatusChange.objects.filter(need=matched, status=NeedStatus.MATCHED).update(changed_at=days_ago(1))
    today = timezone.localdate()
    period = Period(date(today.year - 2, 1, 1), today)
    for need in (matched, in_matchmaking, waiting):
        need.refresh_from_db()
    return Gapped(world, commit, period, matched, in_matchmaking, waiting, offer, opportunity, match)
