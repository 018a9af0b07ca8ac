"""Clean-ups that keep personal data no longer than the privacy page says."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.accounts.models import ApiToken


def forget_old_personal_data() -> dict[str, int]:
    """Delete expired sessions and API tokens, and sign-in records older than
    SIGN_IN_RECORDS_DAYS; return how many of each went."""
    now = timezone.now()
    before = now - timedelta(days=settings.SIGN_IN_RECORDS_DAYS)
    return {
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        "api_tokens": ApiToken.objects.filter(expiry__lt=now).delete()[0],
        "sign_ins": AccessLog.objects.filter(attempt_time__lt=before).delete()[0],
        "failed_sign_ins": AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0],
        "lockouts": AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0],
    }


@db_periodic_task(crontab(hour=4, minute=10))
def forget_old_personal_data_daily() -> None:
    forget_old_personal_data()
