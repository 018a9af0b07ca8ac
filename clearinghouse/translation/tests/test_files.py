"""A resource's file in another language: asked for, uploaded by a translator under the support
registry's upload rules, reviewed and published as the resource's language version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from clearinghouse.publishing import workflow
from clearinghouse.support import services as support
from clearinghouse.support.models import Resource, ResourceVersion
from clearinghouse.support.tests.samples import blank_pdf
from clearinghouse.translation import services
from clearinghouse.translation.models import Kind, RequestState, TranslationRequest, UnofficialTranslation
from clearinghouse.translation.tests.conftest import Translators

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def pdf(name: str = "guia.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(), content_type="application/pdf")


@pytest.fixture
def guide_with_file(world: Any, guide: Resource) -> Resource:
    support.add_version(guide, actor=world.authorised_user, language="es", upload=pdf())
    support.submit(guide, actor=world.authorised_user)
    workflow.publish(guide, actor=world.focal_point)
    return guide


def test_a_translated_file_is_published_as_the_resources_language_version(
    world: Any, translators: Translators, guide_with_file: Resource
) -> None:
    guide = guide_with_file
    request, created = services.ask(
        actor=world.learner, identifier=guide.identifier, language="zh", kind=Kind.FILE
    )
    # The texts and the file are asked for apart.
    texts, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    assert created and texts.pk != request.pk
    services.claim(actor=translators.lina, request=request)
    assert [version.language for version in services.source_files(guide, "zh")] == ["es"]
    with pytest.raises(ValidationError, match="Upload the translated file"):
        services.submit(actor=translators.lina, request=request)
    with pytest.raises(ValidationError, match="for the resource's file"):
        services.save_draft(
            actor=translators.lina, request=request, source_language="es", texts={"title": "指南"}
        )
    services.save_file(actor=translators.lina, request=request, upload=pdf("指南.pdf"))
    services.submit(actor=translators.lina, request=request)
    # Not public before review.
    assert not ResourceVersion.objects.published().filter(resource=guide, language="zh").exists()
    services.approve(actor=translators.chen, request=request)

    version = ResourceVersion.objects.published().get(resource=guide, language="zh")
    assert version.extension == "pdf" and version.original_name == "指南.pdf"
    request.refresh_from_db()
    assert request.state == RequestState.PUBLISHED
    assert UnofficialTranslation.objects.filter(
        identifier=guide.identifier, language="zh", kind=Kind.FILE
    ).exists()
    # Asking again for that file is refused now.
    with pytest.raises(ValidationError, match="already has a file in Chinese"):
        services.ask(actor=world.focal_point, identifier=guide.identifier, language="zh", kind=Kind.FILE)


def test_a_file_is_asked_for_only_of_a_resource_with_a_published_file(
    world: Any, guide: Resource, guide_with_file: Resource
) -> None:
    with pytest.raises(ValidationError, match="already has a file in Spanish"):
        services.ask(actor=world.learner, identifier=guide.identifier, language="es", kind=Kind.FILE)
    from clearinghouse.translation.tests.conftest import spanish_guide

    bare = spanish_guide(world)
    with pytest.raises(ValidationError, match="no published file to translate"):
        services.ask(actor=world.learner, identifier=bare.identifier, language="zh", kind=Kind.FILE)
    with pytest.raises(ValidationError, match="Ask for the texts or the file"):
        services.ask(actor=world.learner, identifier=bare.identifier, language="zh", kind="video")


def test_an_unsafe_file_is_refused_and_nothing_is_kept(
    world: Any, translators: Translators, guide_with_file: Resource
) -> None:
    request, _created = services.ask(
        actor=world.learner, identifier=guide_with_file.identifier, language="zh", kind=Kind.FILE
    )
    services.claim(actor=translators.lina, request=request)
    program = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.save_file(actor=translators.lina, request=request, upload=program)
    request.refresh_from_db()
    assert not request.file


def test_the_translator_uploads_on_the_draft_page_and_the_reviewer_downloads_it(
    client: Any, world: Any, translators: Translators, guide_with_file: Resource
) -> None:
    client.force_login(world.learner)
    ask = client.get(reverse("translation:ask", args=[guide_with_file.identifier]) + "?kind=file")
    assert b'value="file"' in ask.content
    client.post(
        reverse("translation:ask", args=[guide_with_file.identifier]), {"kind": "file", "language": "fr"}
    )
    request = TranslationRequest.objects.get(kind=Kind.FILE)
    services.set_languages(actor=None, translator=translators.lina, languages=["fr", "zh"])
    client.force_login(translators.lina)
    client.post(reverse("translation:claim", args=[request.pk]))
    page = client.get(reverse("translation:draft", args=[request.pk]))
    assert page.status_code == 200 and b'type="file"' in page.content
    empty = client.post(reverse("translation:draft", args=[request.pk]), {"save": "1"})
    assert empty.status_code == 400 and b"Choose the translated file." in empty.content
    sent = client.post(
        reverse("translation:draft", args=[request.pk]), {"file": pdf("guide-fr.pdf"), "submit": "1"}
    )
    assert sent.status_code == 302
    assert client.get(reverse("translation:file", args=[request.pk])).status_code == 200
    client.force_login(world.learner)
    assert client.get(reverse("translation:file", args=[request.pk])).status_code == 403
    client.force_login(world.secretariat)
    assert client.post(reverse("translation:approve", args=[request.pk])).status_code == 302
    assert ResourceVersion.objects.published().filter(resource=guide_with_file, language="fr").exists()
    page = client.get(guide_with_file.get_absolute_url()).content.decode()
    assert "Language versions translated on request (unofficial): French" in page
