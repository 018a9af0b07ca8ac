"""The communities' e-mail digests, sent by the worker (huey) on schedule. Loaded from
CommunityConfig.ready(). A run retried or run twice sends nothing twice (digests.py)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.community import digests
from clearinghouse.community.models import DigestFrequency


@db_periodic_task(crontab(hour=6, minute=0))
def send_daily_community_digests() -> int:
    """Every morning (UTC): the daily digests."""
    return digests.send_digests(DigestFrequency.DAILY)


@db_periodic_task(crontab(day_of_week=1, hour=6, minute=15))
def send_weekly_community_digests() -> int:
    """On Mondays: the weekly digests."""
    return digests.send_digests(DigestFrequency.WEEKLY)
