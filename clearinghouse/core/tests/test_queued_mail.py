from unittest import mock

from django.core import mail
from django.test import override_settings

from clearinghouse.core import tasks


@override_settings(
    EMAIL_BACKEND="clearinghouse.core.mail.QueuedEmailBackend",
    EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
def test_mail_goes_through_the_job_queue_and_is_delivered() -> None:
    with mock.patch("clearinghouse.core.mail.deliver_email", wraps=tasks.deliver_email) as job:
        sent = mail.send_mail("Invitation", "Body", "from@example.org", ["to@example.org"])
    assert sent == 1
    assert job.call_count == 1
    # Tests run jobs immediately, so the delivery backend has the message already.
    assert [message.subject for message in mail.outbox] == ["Invitation"]
