"""The account e-mails (allauth's: address confirmation, password reset, security notices) are
the platform's: its name and address, the recipient's language, a text and an HTML part."""

from __future__ import annotations

from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import make_user

pytestmark = pytest.mark.django_db

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
KINDS = sorted(
    str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
    for folder in ("account/email", "mfa/email")
    for path in (ALLAUTH_TEMPLATES / folder).glob("*_subject.txt")
)


def test_a_sign_up_in_chinese_is_confirmed_in_chinese_by_the_platform(client: Client) -> None:
    response = client.post(
        "/zh/accounts/signup/",
        {"email": "li@example.org", "password1": "correct horse 2026", "password2": "correct horse 2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="li@example.org").preferred_language == "zh-hans"
    message = mail.outbox[-1]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject.startswith("[信息交换所] ")
    # Greeted by the platform, not by the host the request reached ("Hello from testserver!").
    assert "testserver" not in message.body.split("http://testserver/")[0]
    assert "127.0.0.1:8000" in message.body
    assert message.body.startswith("您好，")
    assert "信息交换所" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "/zh/accounts/confirm-email/" in message.body


def test_a_password_reset_is_written_in_the_persons_own_language(client: Client) -> None:
    make_user("nadia", "Nadia", "Salem", language="ar")
    client.post("/en/accounts/password/reset/", {"email": "nadia@example.org"})
    message = mail.outbox[-1]
    assert message.subject.startswith("[غرفة تبادل المعلومات] ")
    assert message.body.startswith("مرحبًا،")
    # The link opens the page in the same language.
    assert "/ar/accounts/password/reset/key/" in message.body


def test_a_confirmation_link_opens_in_the_persons_language(client: Client) -> None:
    person = make_user("mei", "Mei", "Wang", language="zh-hans")
    client.force_login(person)
    client.post("/en/accounts/email/", {"action_add": "", "email": "mei.wang@example.org"})
    message = mail.outbox[-1]
    assert message.to == ["mei.wang@example.org"]
    assert "/zh/accounts/confirm-email/" in message.body
    assert "信息交换所" in message.body


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_every_account_mail_is_dressed_in_the_recipients_language(kind: str, language: str) -> None:
    person = make_user("amina", "Amina", "Yusuf", language=language)
    values = {
        "user": person,
        "activate_url": "http://127.0.0.1:8000/confirm/",
        "password_reset_url": "http://127.0.0.1:8000/reset/",
        "signup_url": "http://127.0.0.1:8000/signup/",
        "code": "R7K2PQ",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
        "from_email": "old@example.org",
        "to_email": "amina@example.org",
        "deleted_email": "old@example.org",
    }

    def send(language: str) -> EmailMultiAlternatives:
        mail.outbox.clear()
        request = RequestFactory().get("/")
        with allauth_context.request_context(request), translation.override(language):
            get_adapter(request).send_mail(kind, person.email, values)
        (message,) = mail.outbox
        assert isinstance(message, EmailMultiAlternatives)
        return message

    english = send("en")  # the person's own language wins over the request's
    person.preferred_language = "en"
    person.save()
    assert english.body != send("en").body
    person.preferred_language = language
    person.save()
    message = send("en")
    name = "غرفة تبادل المعلومات" if language == "ar" else "信息交换所"
    assert message.subject.startswith(f"[{name}] ")
    assert name in message.body
    assert message.body.rstrip().endswith("http://127.0.0.1:8000")
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert name in str(html)
