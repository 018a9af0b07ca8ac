"""A trainer exports a course as a package and imports a package as a new draft course: the
same outline with the same keys; hostile or broken packages refused with nothing saved."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role
from clearinghouse.accounts.roles import forget_appointments
from clearinghouse.core.testing import World
from clearinghouse.learning import course_package
from clearinghouse.learning.models import Course
from clearinghouse.learning.tests.offline_factories import (
    draft,
    outline,
    package_root,  # noqa: F401  (autouse fixture)
    published,
)
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(world: World) -> Any:
    """The trainer, also appointed editor of the Kenyan NGO: an organisation to import courses for."""
    appointments.appoint(
        actor=None, user=world.trainer, role=Role.PARTNER_EDITOR, organisation=world.kenyan_ngo
    )
    forget_appointments(world.trainer)
    return world.trainer


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {name: package.read(name) for name in package.namelist()}


def zipped(files: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, content in files.items():
            package.writestr(name, content)
    return buffer.getvalue()


def import_bytes(content: bytes, world: World, trainer: Any) -> course_package.Imported:
    return course_package.import_package(
        io.BytesIO(content), len(content), actor=trainer, owner=world.kenyan_ngo
    )


def test_export_then_import_gives_the_same_course_as_a_new_draft(world: World, trainer: Any) -> None:
    load_vocabularies(data_files())
    subjects = list(Term.objects.filter(vocabulary__name="subjects")[:2])
    course = published(world, outline=outline(modules=3), subjects=subjects, duration_hours="6.5")
    # The working copy is exported: a change waiting in a draft revision is in the package.
    changed = outline(modules=3)
    changed["modules"][0]["title"]["en"] = "Module one, revised"
    workflow.save_draft(course, actor=world.partner_editor, values={"outline": changed}, base_revision=None)

    made = course_package.export(course, actor=trainer)
    files = unzip(made.content)
    data = json.loads(files["course.json"])
    assert (data["format"], data["version"]) == ("clearinghouse-course-package", 1)
    # Also a readable copy: the offline pages of each language, Arabic right to left.
    assert {"en/index.html", "fr/index.html", "ar/index.html", "ar/quiz-m3q.html"} <= set(files)
    assert 'dir="rtl"' in files["ar/index.html"].decode()
    assert "personal.js" not in " ".join(files) and "progress.html" not in " ".join(files)

    imported = import_bytes(made.content, world, trainer).course
    assert imported.pk != course.pk and imported.identifier != course.identifier
    assert imported.state == State.DRAFT and not imported.live
    assert imported.owner_organisation == world.kenyan_ngo
    assert imported.outline == changed
    assert imported.title == course.title and imported.summary == course.summary
    assert str(imported.duration_hours) == "6.5" and imported.level == "introductory"
    assert sorted(imported.subjects.values_list("code", flat=True)) == sorted(t.code for t in subjects)
    assert imported.languages == ["ar", "en", "fr"] or set(imported.languages) == {"ar", "en", "fr"}


def test_scorm_modules_are_left_out_and_named(world: World, trainer: Any) -> None:
    course = draft(world, outline=outline(modules=1, scorm=True))
    imported = import_bytes(course_package.export(course, actor=trainer).content, world, trainer)
    assert imported.left_out == ["Interactive case"]
    assert [i["key"] for i in imported.course.outline["modules"][0]["items"]] == ["m1l1", "m1l2", "m1q"]


def test_lesson_bodies_are_sanitised_on_import(world: World, trainer: Any) -> None:
    data = course_package.manifest(draft(world))
    data["outline"]["modules"][0]["items"][0]["body"]["en"] = (
        '<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    imported = import_bytes(zipped({"course.json": json.dumps(data)}), world, trainer).course
    assert imported.outline["modules"][0]["items"][0]["body"]["en"] == "<p>Hi</p>"


def _manifest(world: World) -> dict[str, Any]:
    return course_package.manifest(draft(world))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda m: b"not a zip at all", "not a zip file"),
        (lambda m: zipped({"other.json": "{}"}), "no course.json"),
        (lambda m: zipped({"course.json": "{oops"}), "not JSON"),
        (lambda m: zipped({"course.json": json.dumps(m | {"version": 7})}), "version 7"),
        (lambda m: zipped({"course.json": json.dumps(m | {"format": "moodle"})}), "of another kind"),
        (lambda m: zipped({"course.json": json.dumps(m), "../../etc/passwd": "x"}), "unsafe name"),
        (lambda m: zipped({"course.json": json.dumps(m), "/abs/path": "x"}), "unsafe name"),
        # A zip bomb: a small file that unpacks into more than course.json may hold.
        (lambda m: zipped({"course.json": b" " * (course_package.MAX_MANIFEST_BYTES + 10)}), "too big"),
        (
            lambda m: zipped(
                {"course.json": json.dumps(m | {"outline": {"modules": [{"key": "m1", "items": "x"}]}})}
            ),
            "is not a module",
        ),
        (
            lambda m: zipped(
                {"course.json": json.dumps(m | {"course": m["course"] | {"subjects": ["no-such-subject"]}})}
            ),
            "no-such-subject",
        ),
        (
            lambda m: zipped(
                {"course.json": json.dumps(m | {"course": m["course"] | {"plan_activities": [99999]}})}
            ),
            "99999",
        ),
        (
            lambda m: zipped({"course.json": json.dumps(m | {"course": m["course"] | {"level": "expert"}})}),
            "expert",
        ),
        (
            lambda m: zipped({"course.json": json.dumps(m | {"course": m["course"] | {"title": {}}})}),
            "no title",
        ),
        (lambda m: zipped({"course.json": "[" * 100_000 + "]" * 100_000}), "not JSON"),
    ],
)
def test_broken_and_hostile_packages_are_refused_with_nothing_saved(
    world: World, trainer: Any, make: Any, message: str
) -> None:
    content = make(_manifest(world))
    before = Course.objects.count()
    with pytest.raises(ValidationError) as refused:
        import_bytes(content, world, trainer)
    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert Course.objects.count() == before


def test_an_encrypted_package_is_refused(world: World, trainer: Any) -> None:
    content = bytearray(zipped({"course.json": json.dumps(_manifest(world))}, zipfile.ZIP_STORED))
    # Set the "encrypted" bit in the local header and in the central directory.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = content.index(signature) + offset
        content[at] |= 0x1
    before = Course.objects.count()
    with pytest.raises(ValidationError, match="encrypted"):
        import_bytes(bytes(content), world, trainer)
    assert Course.objects.count() == before


def test_a_big_zip_is_refused_before_it_is_opened(world: World, trainer: Any) -> None:
    with pytest.raises(ValidationError, match="bigger than"):
        course_package.import_package(
            io.BytesIO(b""), course_package.MAX_ZIP_BYTES + 1, actor=trainer, owner=world.kenyan_ngo
        )


def test_only_the_people_who_write_courses_export_and_import(world: World) -> None:
    course = draft(world)
    with pytest.raises(PermissionDenied):
        course_package.export(course, actor=world.learner)
    # Someone with no part in the course cannot read its draft either.
    with pytest.raises(PermissionDenied):
        course_package.export(course, actor=world.outsider)
    with pytest.raises(PermissionDenied):
        import_bytes(b"", world, world.learner)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_import_page_makes_a_draft_and_says_so(world: World, trainer: Any) -> None:
    content = course_package.export(draft(world), actor=trainer).content
    client = _client(trainer)
    url = reverse("learning:course_import")
    assert client.get(url).status_code == 200
    owner = f"organisation:{world.kenyan_ngo.pk}"
    response = client.post(
        url, {"owner": owner, "file": SimpleUploadedFile("c.zip", content, "application/zip")}, follow=True
    )
    newest = Course.objects.order_by("-pk").first()
    assert newest is not None
    assert [str(m) for m in response.context["messages"]] == [
        f"The course was imported as a new draft, {newest.identifier}."
    ]

    refused = client.post(
        url, {"owner": owner, "file": SimpleUploadedFile("c.zip", b"nope", "application/zip")}
    )
    assert refused.status_code == 422
    assert "not a zip file" in refused.content.decode()


def test_the_pages_refuse_people_who_are_not_trainers(world: World, trainer: Any) -> None:
    course = draft(world)
    assert _client(world.learner).get(reverse("learning:course_import")).status_code == 403
    assert (
        _client(world.learner).get(reverse("learning:course_export", args=[course.identifier])).status_code
        == 403
    )
    response = _client(trainer).get(reverse("learning:course_export", args=[course.identifier]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "course.json" in unzip(response.content)


def test_the_import_page_in_arabic(world: World, trainer: Any) -> None:
    from django.utils import translation

    with translation.override("ar"):
        url = reverse("learning:course_import")
    page = _client(trainer).get(url)
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()
