"""Every e-mail of the platform carries its name and address, a plain-text part and an HTML
part, in the recipient's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from clearinghouse.accounts.models import User
from clearinghouse.core.mail import send_templated

PACKAGE = Path(__file__).resolve().parents[2]
# Every kind of e-mail the platform writes itself: <app>/templates/<app>/email/<kind>_subject.txt.
KINDS = sorted(
    str(path.relative_to(path.parents[2])).removesuffix("_subject.txt")
    for path in PACKAGE.glob("*/templates/*/email/*_subject.txt")
)
NAMES = {"ar": "غرفة تبادل المعلومات", "zh-hans": "信息交换所", "en": "Clearinghouse"}


def sent(kind: str, language: str) -> EmailMultiAlternatives:
    mail.outbox.clear()
    # The templates' common values; the rest render empty, as a missing value does in templates.
    person = User(first_name="Amina", last_name="Yusuf", email="reader@example.org", username="amina")
    values = {"count": 3, "days": 14, "person": person, "url": "http://127.0.0.1:8000/r/CB-NEED-KE-000001"}
    send_templated(kind, values, to="reader@example.org", language=language)
    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    return message


def test_every_kind_of_mail_is_found() -> None:
    assert "accounts/email/invitation" in KINDS
    assert "publishing/email/submitted" in KINDS
    assert len(KINDS) >= 11


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_each_kind_is_signed_and_dressed_in_the_recipients_language(kind: str, language: str) -> None:
    message = sent(kind, language)
    english = sent(kind, "en")
    # A plain-text part, signed with the platform's name in the reader's language and its address.
    assert message.body.rstrip().endswith("http://127.0.0.1:8000")
    assert NAMES[language] in message.body
    assert message.from_email.startswith(("=?utf-8?", NAMES[language]))
    # Words of the reader's language, not the English message's.
    assert message.subject != english.subject
    assert message.body != english.body
    # An HTML part with the same words, marked with the reader's language and direction.
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert NAMES[language] in str(html)
    expected = '<html lang="ar" dir="rtl">' if language == "ar" else '<html lang="zh-Hans" dir="ltr">'
    assert expected in str(html)


@pytest.mark.django_db
@override_settings(
    SITE_NAME="CBD Clearing-House",
    SITE_URL="https://chm.example.org/",
    DEFAULT_FROM_EMAIL="noreply@example.org",
)
def test_the_name_and_address_come_from_the_settings() -> None:
    message = sent("publishing/email/published", "fr")
    assert message.from_email == "CBD Clearing-House <noreply@example.org>"
    assert message.body.rstrip().endswith(
        "CBD Clearing-House\nRenforcement des capacités et coopération technique et scientifique\nhttps://chm.example.org"
    )
    assert 'href="https://chm.example.org"' in str(message.alternatives[0][0])


@pytest.mark.django_db
@override_settings(DEFAULT_FROM_EMAIL="Help desk <helpdesk@example.org>")
def test_a_sender_named_in_the_settings_is_kept() -> None:
    assert sent("publishing/email/published", "es").from_email == "Help desk <helpdesk@example.org>"
