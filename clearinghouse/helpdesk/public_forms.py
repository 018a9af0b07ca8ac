"""The forms a requester fills in: a question to the help desk (with its guards against spam),
a message on their ticket, a rating. Plain HTML forms; services.py decides."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from clearinghouse.geo.forms import CountryChoiceField
from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import HelpTopic
from clearinghouse.support import uploads

MAX_FILES = 3
STARTED_SALT = "helpdesk.ask.started"
# How long after the form was shown it may still be sent: a day from the page (left open
# overnight); a month when the outbox replays it (written offline, it waited for the network,
# perhaps for days). The signature still has to be ours, and the time at least min_seconds().
STARTED_MAX_AGE = timedelta(days=1)
REPLAYED_STARTED_MAX_AGE = timedelta(days=30)
# Record identifiers as the registry writes them (CB-NEED-KE-000123, FAQ-000001...).
_IDENTIFIER = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+){1,5}$")


def min_seconds() -> int:
    """Less time than this between showing the form and sending it: a robot, not a person."""
    return int(getattr(settings, "HELPDESK_ASK_MIN_SECONDS", 3))


def started_token(at: float | None = None) -> str:
    """When the form was shown, signed so that a robot cannot claim it waited."""
    return signing.dumps(int(time.time() if at is None else at), salt=STARTED_SALT)


def started_at(token: str, max_age: timedelta = STARTED_MAX_AGE) -> int | None:
    """When the form was shown (if the token is ours and less than ``max_age`` old)."""
    try:
        value = signing.loads(token or "", salt=STARTED_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def safe_page(value: str | None) -> str:
    """A path on this site ("/fr/needs/new/"), else nothing: no other site, no scheme, no
    query, nothing a link could be turned into."""
    value = (value or "").strip()
    if not value or len(value) > 500 or any(ord(char) < 32 or char == "\\" for char in value):
        return ""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return ""
    return parts.path


def safe_record(value: str | None) -> str:
    """The identifier of a record that exists, else nothing."""
    from clearinghouse.publishing import registry

    identifier = (value or "").strip().upper()
    if not identifier or len(identifier) > 40 or not _IDENTIFIER.match(identifier):
        return ""
    return identifier if registry.find(identifier) is not None else ""


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Up to MAX_FILES files, each checked by the upload rules of resources (support/uploads.py);
    cleaned into services.File values named after their true type."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Up to 3 files: PDF, office documents, images, text or CSV."),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[services.File]:
        uploads_given = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads_given) > MAX_FILES:
            raise ValidationError(
                ngettext(
                    "Attach at most %(count)d file.",
                    "Attach at most %(count)d files.",
                    MAX_FILES,
                )
                % {"count": MAX_FILES},
                code="too_many",
            )
        files: list[services.File] = []
        problems: list[ValidationError] = []
        for upload in uploads_given:
            name = str(getattr(upload, "name", "") or "file")
            try:
                super().clean(upload, initial)
                checked = uploads.check(upload)
            except ValidationError as error:
                problems.append(
                    ValidationError(
                        _("%(name)s: %(problem)s")
                        % {"name": name[:100], "problem": " ".join(error.messages)},
                        code=error.code,
                    )
                )
                continue
            files.append(
                services.File(_stored_name(name, checked.extension), checked.content, checked.media_type)
            )
        if problems:
            raise ValidationError(problems)
        return files


def _stored_name(name: str, extension: str) -> str:
    # The extension follows the content, whatever the name claimed ("report.exe" that is a PDF).
    stem = get_valid_filename(PurePosixPath(name.replace("\\", "/")).stem)[:90] or "file"
    return f"{stem}.{extension}"


class AskForm(forms.Form):
    """A question to the help desk, from anyone; who is signed in is not asked their name."""

    subject = forms.CharField(label=pgettext_lazy("message", "Subject"), max_length=services.SUBJECT_LENGTH)
    body = forms.CharField(
        label=gettext_lazy("Your question"),
        max_length=services.BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Say what you were trying to do and what happened."),
    )
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        queryset=HelpTopic.objects.filter(active=True),
        required=False,
        empty_label=gettext_lazy("I do not know"),
    )
    country = CountryChoiceField(label=gettext_lazy("Party"), parties_only=True, required=False)
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200, required=False)
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy("The help desk answers you there."),
    )
    attachments = FilesField(label=gettext_lazy("Files"))
    page = forms.CharField(required=False, widget=forms.HiddenInput)
    record = forms.CharField(required=False, widget=forms.HiddenInput)
    # Two guards the template writes by hand, fresh on every showing: "started", the signed
    # time the form was shown, and "website", the honeypot, hidden from people and screen
    # readers, so whatever fills it in is a robot.

    def __init__(self, *args: Any, signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            # The account says who asks and where the answer goes.
            del self.fields["name"], self.fields["email"]

    def clean_page(self) -> str:
        return safe_page(self.cleaned_data.get("page"))

    def clean_record(self) -> str:
        return safe_record(self.cleaned_data.get("record"))

    @property
    def is_spam(self) -> bool:
        """The honeypot was filled in: nothing a person would do."""
        return bool((self.data.get("website") or "").strip())

    def too_fast(self, *, replayed: bool = False) -> bool:
        """Sent sooner after the form was shown than a person can write, or with no (or a
        forged, or an expired) time of showing. A form the outbox replays (``replayed``) was
        written by a person before the network returned: its time of showing may be older."""
        max_age = REPLAYED_STARTED_MAX_AGE if replayed else STARTED_MAX_AGE
        shown = started_at(str(self.data.get("started") or ""), max_age)
        return shown is None or time.time() - shown < min_seconds()


class MessageForm(forms.Form):
    """The requester writes again on their ticket."""

    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=services.BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = FilesField(label=gettext_lazy("Files"))


SCORES = [
    (5, gettext_lazy("5 – Very good")),
    (4, gettext_lazy("4 – Good")),
    (3, gettext_lazy("3 – Fair")),
    (2, gettext_lazy("2 – Poor")),
    (1, gettext_lazy("1 – Very poor")),
]


class RatingForm(forms.Form):
    """How well the help desk helped, and, if the requester wishes, why."""

    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("How well did the help desk help you?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
