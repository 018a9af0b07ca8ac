"""One helper writes every e-mail from templates, in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from clearinghouse.core.mail import send_templated

# Templates of their own, so the test reads what the helper did and nothing else.
_NOTE = {
    "note_subject.txt": '{% load i18n %}\n{% translate "Translate" %} {{ name }}\n',
    "note_message.txt": "{% load i18n %}{% get_current_language as code %}{{ code }} {{ link }}",
    "note_message.html": "<p>{{ name }}</p>",
}
_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    _NOTE,
                ),
                # The platform's signature and HTML dress (core/templates/core/email/).
                "django.template.loaders.app_directories.Loader",
            ]
        },
    }
]


@override_settings(TEMPLATES=_TEMPLATES)
def test_the_subject_and_text_are_written_in_the_recipients_language() -> None:
    send_templated("note", {"name": "CB-NEED-KE-000001", "link": ""}, to="fp@example.org", language="fr")
    (message,) = mail.outbox
    # The subject is one stripped line, translated for the French reader.
    assert message.subject == "Traduire CB-NEED-KE-000001"
    assert message.body.startswith("fr\n")
    assert message.to == ["fp@example.org"]
    # No HTML template: the HTML part carries the text itself.
    ((html, _mimetype),) = message.alternatives
    assert "<p>fr" in str(html)


@override_settings(TEMPLATES=_TEMPLATES)
def test_a_context_built_late_is_built_in_the_recipients_language() -> None:
    def context() -> dict[str, Any]:
        # Reversed links carry the language prefix of whoever they are built for.
        return {"name": "x", "link": reverse("search:saved")}

    with translation.override("en"):
        send_templated("note", context, to="fp@example.org", language="es")
        # The sender's own language is left as it was.
        assert translation.get_language() == "en"
    (message,) = mail.outbox
    assert message.body.startswith("es /es/search/saved/\n")


@override_settings(TEMPLATES=_TEMPLATES)
def test_an_html_alternative_is_added_when_asked_for() -> None:
    send_templated("note", {"name": "Kenya", "link": ""}, to="fp@example.org", language="en", html=True)
    (message,) = mail.outbox
    assert message.alternatives[0] == ("<p>Kenya</p>", "text/html")
