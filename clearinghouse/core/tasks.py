"""Background jobs of the platform shell."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from huey.contrib.djhuey import task


# Not run again after its worker died: the message may have left already (core/jobs.py).
@task(retries=3, retry_delay=60, idempotent=False)
def deliver_email(message: EmailMessage) -> int:
    """Deliver one message; retried when the mail server is unreachable."""
    with get_connection(backend=settings.EMAIL_DELIVERY_BACKEND) as connection:
        return int(connection.send_messages([message]) or 0)
