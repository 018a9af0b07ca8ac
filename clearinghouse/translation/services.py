"""The translation workflow: ask → claim → draft → submit → approve (published) or return;
decline or withdraw with a reason. Each step checks who may take it and is atomic; views, the
demo and the tests call these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import User
from clearinghouse.core.languages import CONTENT_LANGUAGES, language_name
from clearinghouse.core.text import trimmed
from clearinghouse.publishing import origins, registry, workflow
from clearinghouse.publishing.models import Record
from clearinghouse.support import services as support
from clearinghouse.support import uploads
from clearinghouse.support.models import Resource
from clearinghouse.translation import items, mail, permissions
from clearinghouse.translation.models import (
    OPEN_STATES,
    Kind,
    Requester,
    RequestState,
    TranslationRequest,
    TranslatorProfile,
    UnofficialTranslation,
)


def _check_language(language: str) -> None:
    if language not in CONTENT_LANGUAGES:
        raise ValidationError({"language": _("Choose one of the six UN languages.")}, code="language")


def _locked(request: TranslationRequest) -> TranslationRequest:
    return TranslationRequest.objects.select_for_update().get(pk=request.pk)


def _refuse_closed(request: TranslationRequest) -> None:
    if not request.is_open:
        raise ValidationError(
            _("This request is closed (%(state)s); nothing more can be done with it.")
            % {"state": request.get_state_display()},
            code="closed",
        )


@transaction.atomic
def ask(
    *, actor: User, identifier: str, language: str, note: str = "", kind: str = Kind.TEXTS
) -> tuple[TranslationRequest, bool]:
    """Ask for a public record's texts (or a resource's file) in ``language``. When a request
    for that record, language and kind is open, the person joins its requesters instead (False:
    not a new request)."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to ask for a translation."))
    _check_language(language)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Ask for the texts or the file.")}, code="kind")
    record = items.public_record(identifier)
    kept_elsewhere = origins.origin(record)
    if kept_elsewhere is not None:
        # Its texts are its source's: a translation made here could never be published.
        raise ValidationError(
            _("This record comes from %(source)s, which keeps its texts: ask there for a translation.")
            % {"source": kept_elsewhere.source},
            code="kept_elsewhere",
        )
    if kind == Kind.FILE:
        _check_file_wanted(record, language)
    elif language in items.languages_present(record):
        raise ValidationError(
            {
                "language": _("This record already has its texts in %(language)s.")
                % {"language": language_name(language)}
            },
            code="has_language",
        )
    note = trimmed(note)[:1000]
    request = (
        TranslationRequest.objects.select_for_update()
        .filter(identifier=record.identifier, language=language, kind=kind, state__in=OPEN_STATES)
        .first()
    )
    created = request is None
    if request is None:
        try:
            with transaction.atomic():
                request = TranslationRequest.objects.create(
                    identifier=record.identifier, record_type=record.RECORD_TYPE, language=language, kind=kind
                )
        except IntegrityError:
            # Someone asked at the same moment: theirs is the request.
            request = TranslationRequest.objects.get(
                identifier=record.identifier, language=language, kind=kind, state__in=OPEN_STATES
            )
            created = False
    Requester.objects.get_or_create(request=request, person=actor, defaults={"note": note})
    return request, created


def _check_file_wanted(record: Record, language: str) -> None:
    if not isinstance(record, Resource):
        raise ValidationError(_("Only a resource has a file to translate."), code="not_a_resource")
    versions = set(record.versions.published().values_list("language", flat=True))
    if not versions:
        raise ValidationError(_("This resource has no published file to translate."), code="no_file")
    if language in versions:
        raise ValidationError(
            {
                "language": _("This resource already has a file in %(language)s.")
                % {"language": language_name(language)}
            },
            code="has_version",
        )


def source_files(record: Record, target: str) -> list[Any]:
    """The resource's published files a translator may translate from (never the target's)."""
    if not isinstance(record, Resource):
        return []
    return list(record.versions.published().exclude(language=target).order_by("language", "pk"))


@transaction.atomic
def claim(*, actor: User, request: TranslationRequest) -> TranslationRequest:
    """A translator of the language takes the request: one translator at a time."""
    request = _locked(request)
    _refuse_closed(request)
    if not permissions.can_translate(actor, request):
        raise PermissionDenied(_("Only translators into this language can claim this request."))
    if request.translator_id is not None:
        if request.translator_id == actor.pk:
            raise ValidationError(_("You have already claimed this request."), code="yours")
        raise ValidationError(
            _("Another translator has claimed this request; it can be claimed again if they release it."),
            code="claimed",
        )
    request.translator, request.claimed_at, request.state = actor, timezone.now(), RequestState.CLAIMED
    request.save(update_fields=["translator", "claimed_at", "state", "updated_at"])
    return request


def _check_drafting(actor: User, request: TranslationRequest) -> None:
    _refuse_closed(request)
    if request.translator_id != actor.pk:
        raise PermissionDenied(_("Only the translator who claimed this request can do this."))
    if request.state == RequestState.SUBMITTED:
        raise ValidationError(
            _("This translation is waiting for review; it cannot be changed until it is returned."),
            code="in_review",
        )


@transaction.atomic
def release(*, actor: User, request: TranslationRequest) -> TranslationRequest:
    """The translator gives the request back to the queue; their draft stays for the next one."""
    request = _locked(request)
    _check_drafting(actor, request)
    request.translator, request.claimed_at, request.state = None, None, RequestState.REQUESTED
    request.save(update_fields=["translator", "claimed_at", "state", "updated_at"])
    return request


def source_languages(record: Record, target: str) -> list[str]:
    """What the translator may translate from: the original language first, then every other
    language the record has texts in (a pivot), never the target."""
    present = items.languages_present(record)
    ordered = [record.original_language, *[code for code in present if code != record.original_language]]
    return [code for code in dict.fromkeys(ordered) if code in present and code != target]


@transaction.atomic
def save_draft(
    *, actor: User, request: TranslationRequest, source_language: str, texts: Mapping[str, str]
) -> TranslationRequest:
    """Keep the translator's texts ({field: text}) and the language they translate from."""
    request = _locked(request)
    _check_drafting(actor, request)
    if request.kind != Kind.TEXTS:
        raise ValidationError(_("This request is for the resource's file: upload it."), code="not_texts")
    record = items.public_record(request.identifier)
    if source_language not in source_languages(record, request.language):
        raise ValidationError(
            {"source_language": _("Translate from a language the record has its texts in.")}, code="source"
        )
    names = {field.name for field in items.translatable_fields(record)}
    unknown = sorted(set(texts) - names)
    if unknown:
        raise ValidationError(
            _("These fields cannot be translated: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    request.source_language = source_language
    request.texts = {
        name: trimmed(str(text or "")) for name, text in texts.items() if trimmed(str(text or ""))
    }
    request.drafted_at = timezone.now()
    request.save(update_fields=["source_language", "texts", "drafted_at", "updated_at"])
    return request


@transaction.atomic
def save_file(*, actor: User, request: TranslationRequest, upload: UploadedFile) -> TranslationRequest:
    """Keep the translator's translated file, checked by the support registry's upload rules
    (type sniffed, size limited, active content refused)."""
    request = _locked(request)
    _check_drafting(actor, request)
    if request.kind != Kind.FILE:
        raise ValidationError(_("This request is for the record's texts, not a file."), code="not_file")
    checked = uploads.check(upload)
    if request.file:
        request.file.delete(save=False)
    request.extension, request.media_type = checked.extension, checked.media_type
    request.original_name = (upload.name or "")[:200]
    request.file.save("upload", ContentFile(checked.content), save=False)
    request.drafted_at = timezone.now()
    request.save(
        update_fields=["file", "extension", "media_type", "original_name", "drafted_at", "updated_at"]
    )
    return request


@transaction.atomic
def submit(*, actor: User, request: TranslationRequest) -> TranslationRequest:
    """Send the draft for review; an empty draft, or one without the record's title, is refused."""
    request = _locked(request)
    _check_drafting(actor, request)
    if request.kind == Kind.FILE:
        if not request.file:
            raise ValidationError(_("Upload the translated file before submitting."), code="empty")
    elif not any(request.texts.values()):
        raise ValidationError(
            _("The translation is empty: translate the texts, save, then submit."), code="empty"
        )
    record = items.public_record(request.identifier)
    title = items.title_field(registry.of(record))
    if (
        request.kind == Kind.TEXTS
        and any(field.name == title for field in items.translatable_fields(record))
        and not request.texts.get(title)
    ):
        raise ValidationError(_("Translate the title before submitting."), code="no_title")
    request.state, request.submitted_at, request.submitted_by = RequestState.SUBMITTED, timezone.now(), actor
    request.review_comment = ""
    request.save(update_fields=["state", "submitted_at", "submitted_by", "review_comment", "updated_at"])
    return request


def _check_reviewing(actor: User, request: TranslationRequest) -> None:
    _refuse_closed(request)
    if request.state != RequestState.SUBMITTED:
        raise ValidationError(_("This translation is not waiting for review."), code="not_submitted")
    if request.submitted_by_id == actor.pk:
        raise PermissionDenied(
            _("You drafted this translation; another translator or the Secretariat reviews it.")
        )
    if not permissions.can_review(actor, request):
        raise PermissionDenied(
            _("Only translators into this language and the Secretariat review translations.")
        )


@transaction.atomic
def return_draft(*, actor: User, request: TranslationRequest, comment: str) -> TranslationRequest:
    """Send the texts back to their translator with the reviewer's comments."""
    request = _locked(request)
    _check_reviewing(actor, request)
    if not trimmed(comment):
        raise ValidationError({"comment": _("Tell the translator what to change.")}, code="comment_required")
    request.state, request.review_comment = RequestState.RETURNED, trimmed(comment)
    request.reviewed_by, request.reviewed_at = actor, timezone.now()
    request.save(update_fields=["state", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    return request


@transaction.atomic
def approve(*, actor: User, request: TranslationRequest) -> TranslationRequest:
    """Publish the reviewed texts as the record's texts in the language (or the file as the
    resource's version in it), marked unofficial, and tell the requesters (after the commit, in
    their language)."""
    request = _locked(request)
    _check_reviewing(actor, request)
    record = items.public_record(request.identifier)
    marked: dict[str, str] = {}
    if request.kind == Kind.FILE:
        _publish_file(record, request)
    else:
        published = workflow.publish_translation(
            record,
            actor=actor,
            language=request.language,
            texts=request.texts,
            note=_("Unofficial translation: %(language)s") % {"language": request.language},
        )
        # As published (rich texts sanitised): what the record's texts are compared with later.
        marked = {
            name: (published.content.get(name) or {}).get(request.language, "") for name in request.texts
        }
    now = timezone.now()
    request.state, request.reviewed_by, request.reviewed_at = RequestState.PUBLISHED, actor, now
    request.published_at = request.closed_at = now
    request.save(
        update_fields=["state", "reviewed_by", "reviewed_at", "published_at", "closed_at", "updated_at"]
    )
    UnofficialTranslation.objects.update_or_create(
        identifier=request.identifier,
        language=request.language,
        kind=request.kind,
        defaults={"texts": marked, "request": request, "published_at": now},
    )
    mail.after_commit(mail.published, request)
    return request


def _publish_file(record: Record, request: TranslationRequest) -> None:
    if not isinstance(record, Resource) or not request.file:
        raise ValidationError(_("Upload the translated file before submitting."), code="empty")
    with request.file.open("rb") as stored:
        content = stored.read()
    support.publish_reviewed_version(
        record, language=request.language, content=content, original_name=request.original_name
    )


def _close(request: TranslationRequest, actor: User, state: RequestState, reason: str) -> TranslationRequest:
    if not trimmed(reason):
        raise ValidationError(
            {"reason": _("Give the reason; the requesters are told.")}, code="reason_required"
        )
    request.state, request.reason = state, trimmed(reason)
    request.closed_at, request.closed_by = timezone.now(), actor
    request.save(update_fields=["state", "reason", "closed_at", "closed_by", "updated_at"])
    mail.after_commit(mail.closed, request)
    return request


@transaction.atomic
def decline(*, actor: User, request: TranslationRequest, reason: str) -> TranslationRequest:
    """A translator of the language or the Secretariat says it will not be translated, and why."""
    request = _locked(request)
    _refuse_closed(request)
    if not permissions.can_decline(actor, request):
        raise PermissionDenied(
            _("Only translators into this language and the Secretariat can decline a request.")
        )
    return _close(request, actor, RequestState.DECLINED, reason)


@transaction.atomic
def withdraw(*, actor: User, request: TranslationRequest, reason: str) -> TranslationRequest:
    """A requester withdraws their request: the request closes when nobody else asked for it
    (the Secretariat may close it whoever asked)."""
    request = _locked(request)
    _refuse_closed(request)
    mine = request.requesters.filter(person=actor)
    if not mine.exists() and not roles.is_secretariat(actor):
        raise PermissionDenied(_("Only the people who asked for this translation can withdraw it."))
    if not trimmed(reason):
        raise ValidationError(
            {"reason": _("Give the reason; the requesters are told.")}, code="reason_required"
        )
    if not roles.is_secretariat(actor) and request.requesters.exclude(person=actor).exists():
        mine.delete()
        return request
    return _close(request, actor, RequestState.WITHDRAWN, reason)


@transaction.atomic
def set_languages(*, actor: User | None, translator: User, languages: Sequence[str]) -> TranslatorProfile:
    """The Secretariat sets the languages an appointed translator works into."""
    if actor is not None and not permissions.can_manage_translators(actor):
        raise PermissionDenied(_("Only the Secretariat sets translators' languages."))
    chosen = [code for code in CONTENT_LANGUAGES if code in set(languages)]
    if not chosen or len(chosen) != len(set(languages)):
        raise ValidationError(
            {"languages": _("Choose at least one of the six UN languages.")}, code="languages"
        )
    profile, _created = TranslatorProfile.objects.update_or_create(
        user=translator, defaults={"languages": chosen}
    )
    return profile


def forget_changed_marks(record: Record) -> list[str]:
    """After the owners publish a revision: the languages whose texts they changed are theirs
    now, no longer an unofficial translation. Returns those languages."""
    dropped = []
    for mark in UnofficialTranslation.objects.filter(identifier=record.identifier, kind=Kind.TEXTS):
        current = {name: (getattr(record, name, None) or {}).get(mark.language, "") for name in mark.texts}
        if current != mark.texts:
            dropped.append(mark.language)
            mark.delete()
    return dropped


def record_published(sender: Any, *, record: Record, **_kwargs: Any) -> None:
    """Receiver of ``publishing.signals.record_published``."""
    forget_changed_marks(record)
