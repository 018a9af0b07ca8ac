"""The help desk's mail jobs: its IMAP mailbox read every minute when one is configured."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from clearinghouse.helpdesk import imap


@db_periodic_task(crontab(minute="*"))
@HUEY.lock_task("helpdesk-imap")
def poll_mailbox() -> int:
    """Every minute: the unseen mail of HELPDESK_IMAP_URL, if set, into tickets. One poll at a
    time (the lock), so a slow round is not read twice by the next."""
    if not settings.HELPDESK_IMAP_URL:
        return 0
    return len(imap.poll())
