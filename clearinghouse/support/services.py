"""Registering and keeping support records: content changes go through the publishing
workflow; these functions add what this registry needs around it (form values to record values,
the expert's own rule, confirmations, language versions and counters, closing opportunities)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import language_code, language_name
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision, State
from clearinghouse.publishing.signals import announce_change
from clearinghouse.support import permissions, uploads
from clearinghouse.support.models import Expert, Opportunity, OpportunityStatus, Resource, ResourceVersion
from clearinghouse.support.models.common import SupportRecord, model_field

R = TypeVar("R", bound=SupportRecord)


def is_multilingual(model: type[SupportRecord], name: str) -> bool:
    field = model_field(model, name)
    return field.get_internal_type() == "JSONField" and field.default is dict


def values_from_form(
    model: type[SupportRecord],
    cleaned: Mapping[str, Any],
    language: str,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Record values from cleaned form data. Texts are stored under the language they were
    written in, keeping the translations already there."""
    values: dict[str, Any] = {}
    for name, value in cleaned.items():
        if name not in model.CONTENT_FIELDS:
            continue
        if is_multilingual(model, name):
            texts = dict((current or {}).get(name) or {})
            if value:
                texts[language] = value
            else:
                texts.pop(language, None)
            value = texts
        elif model._meta.get_field(name).many_to_many:
            value = list(value or [])
        elif value is None and model_field(model, name).get_internal_type() in {
            "CharField",
            "EmailField",
            "URLField",
        }:
            value = ""
        values[name] = value
    return values


@transaction.atomic
def create(
    model: type[R],
    *,
    actor: User | None,
    owner: Country | Organisation,
    language: str,
    cleaned: Mapping[str, Any],
    expert_user: User | None = None,
) -> R:
    """A new draft record for ``owner``; an expert profile may name the expert's account."""
    values = values_from_form(model, cleaned, language) | {"original_language": language}
    record = workflow.create(model, actor=actor, owner=owner, values=values)
    if isinstance(record, Expert) and expert_user is not None:
        Expert.objects.filter(pk=record.pk).update(expert_user=expert_user)
        record.expert_user = expert_user
    return record


EXPERT_CLAIM_SALT = "support.expert-claim"


def invite_expert(expert: Expert, *, email: str, actor: User | None) -> None:
    """Write to the expert so they can take charge of their profile: signed in with this
    address, they follow the link and the profile becomes theirs. Whether the address has an
    account is never told to the person who registered the profile."""
    if actor is not None and not permissions.can_edit(actor, expert):
        raise PermissionDenied(_("You cannot change this record."))
    token = signing.dumps({"expert": expert.pk, "email": email.lower()}, salt=EXPERT_CLAIM_SALT)
    url = site_url(reverse("support:claim_expert", args=[token]))
    # The profile's own language is the best guess at the expert's.
    language = expert.original_language or get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_templated(
            "support/email/expert_invitation",
            {"expert": expert, "url": url, "days": settings.INVITATION_VALID_DAYS},
            to=email,
            language=language,
        )
    )


def expert_from_claim(token: str) -> tuple[Expert, str]:
    """The profile and address a claim link names; a forged, altered or expired link is refused."""
    try:
        claim = signing.loads(
            token, salt=EXPERT_CLAIM_SALT, max_age=timedelta(days=settings.INVITATION_VALID_DAYS)
        )
        expert = Expert.objects.get(pk=int(claim["expert"]))
        email = str(claim["email"])
    except (signing.BadSignature, Expert.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            _("This link is not valid or has expired. Ask whoever registered your profile to send it again."),
            code="invalid_claim",
        ) from error
    return expert, email


@transaction.atomic
def claim_expert(token: str, *, user: User) -> Expert:
    """The expert takes charge of their profile, signed in with the address the link was sent to
    (verified): from then on they answer for it, and they alone decide what of it is public."""
    expert, email = expert_from_claim(token)
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        raise PermissionDenied(
            _("Sign in with the e-mail address this link was sent to (%(email)s).") % {"email": email}
        )
    if expert.expert_user_id is not None and expert.expert_user_id != user.pk:
        raise ValidationError(_("Someone else already looks after this profile."), code="claimed")
    expert.expert_user = user
    expert.save(update_fields=["expert_user"])
    announce_change(Expert, [expert.identifier])
    return expert


def save(
    record: SupportRecord, *, actor: User | None, cleaned: Mapping[str, Any], base_revision: int | None
) -> Revision:
    """Save the form's values as a new draft revision (the published version stays public)."""
    if actor is not None and not permissions.can_edit(actor, record):
        raise PermissionDenied(_("You cannot change this record."))
    working, _many = workflow.working_copy(record)
    model = type(record)
    current = {
        name: getattr(working, name)
        for name in cleaned
        if name in model.CONTENT_FIELDS and is_multilingual(model, name)
    }
    values = values_from_form(model, cleaned, record.original_language, current)
    return save_values(record, actor=actor, values=values, base_revision=base_revision)


def save_values(
    record: SupportRecord,
    *,
    actor: User | None,
    values: Mapping[str, Any],
    base_revision: int | None,
    note: str = "",
) -> Revision:
    """Save record values as a new draft revision by ``actor`` (the workflow checks who may)."""
    return workflow.save_draft(record, actor=actor, values=values, base_revision=base_revision, note=note)


def submit(record: SupportRecord, *, actor: User | None) -> Revision:
    """Submit the latest revision for review; the submitter is told it arrived."""
    return workflow.submit(record, actor=actor)


def confirm(record: SupportRecord, *, actor: User | None) -> SupportRecord:
    """The owner says the published record is still accurate: it is not stale for two more years."""
    if actor is not None and not permissions.can_edit(actor, record):
        raise PermissionDenied(_("Only the record's owners can confirm it."))
    if not record.live:
        raise ValidationError(_("Only a published record can be confirmed."), code="not_published")
    record.confirmed_at = timezone.now()
    type(record).objects.filter(pk=record.pk).update(confirmed_at=record.confirmed_at)
    # A stale record is current again in search too.
    announce_change(type(record), [record.identifier])
    return record


@transaction.atomic
def close_past_deadlines(today: date | None = None) -> list[str]:
    """Close the open opportunities whose deadline has passed; their identifiers."""
    today = today or timezone.localdate()
    past = Opportunity.objects.select_for_update().filter(status=OpportunityStatus.OPEN, deadline__lt=today)
    identifiers = list(past.values_list("identifier", flat=True))
    Opportunity.objects.filter(identifier__in=identifiers).update(
        status=OpportunityStatus.CLOSED, closed_at=timezone.now()
    )
    # Closed in search's status facet, and out of the matching catalogue.
    announce_change(Opportunity, identifiers)
    return identifiers


def count_view(resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(view_count=F("view_count") + 1)


def count_download(version: ResourceVersion) -> None:
    """Downloads are counted per version and per resource (the plan's indicators use both)."""
    ResourceVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)
    Resource.objects.filter(pk=version.resource_id).update(download_count=F("download_count") + 1)


@transaction.atomic
def add_version(
    resource: Resource,
    *,
    actor: User | None,
    language: str,
    upload: UploadedFile | None = None,
    link: str = "",
) -> ResourceVersion:
    """A language version of the resource: a checked file, or a link (one of the two).

    It is a change like any other: saved as a draft revision of the resource, it stays with the
    resource's authors and reviewers until a reviewer publishes that revision (``on_publish``).
    """
    if actor is not None and not permissions.can_edit(actor, resource):
        raise PermissionDenied(_("You cannot change this record."))
    if (upload is None) == (not link):
        raise ValidationError(_("Give either a file or a link."), code="file_or_link")
    language = language_code(language)
    state = Resource.objects.values_list("state", flat=True).get(pk=resource.pk)
    if state not in {State.DRAFT, State.RETURNED}:
        # Published: the addition opens a draft revision to submit. Archived or waiting for
        # review: refused like any other change.
        workflow.save_draft(
            resource,
            actor=actor,
            values={},
            base_revision=None,
            note=_("%(language)s version added") % {"language": language_name(language)},
        )
    version = ResourceVersion(resource=resource, language=language, link=link, token=secrets.token_hex(8))
    if upload is not None:
        checked = uploads.check(upload)
        version.extension, version.media_type, version.size = (
            checked.extension,
            checked.media_type,
            len(checked.content),
        )
        version.original_name = (upload.name or "")[:200]
        version.file.save("upload", ContentFile(checked.content), save=False)
    version.full_clean(exclude=["file"] if upload is not None else None)
    version.save()
    return version


@transaction.atomic
def publish_reviewed_version(
    resource: Resource, *, language: str, content: bytes, original_name: str = ""
) -> ResourceVersion:
    """A language version reviewed outside the resource's own workflow (a translation request's
    reviewer checked it), published at once: the caller has checked who may. The file is checked
    again by the upload rules. The owners' pending change, if any, is left as it is."""
    if not Resource.objects.filter(pk=resource.pk, live=True).exists():
        raise ValidationError(_("Only a published record can receive a translation."), code="not_published")
    if resource.versions.published().filter(language=language).exists():
        raise ValidationError(
            _("This resource already has a file in %(language)s.") % {"language": language_name(language)},
            code="has_version",
        )
    checked = uploads.sniff(content)
    version = ResourceVersion(
        resource=resource,
        language=language,
        token=secrets.token_hex(8),
        extension=checked.extension,
        media_type=checked.media_type,
        size=len(checked.content),
        original_name=original_name[:200],
        published_at=timezone.now(),
    )
    version.file.save("upload", ContentFile(checked.content), save=False)
    version.full_clean(exclude=["file"])
    version.save()
    announce_change(Resource, [resource.identifier])
    return version


def remove_version(version: ResourceVersion, *, actor: User | None) -> None:
    if actor is not None and not permissions.can_edit(actor, version.resource):
        raise PermissionDenied(_("You cannot change this record."))
    if version.file:
        version.file.delete(save=False)
    version.delete()
