"""A package's files are served only to the people who may play it, only from inside its own
directory, each with a strict content type and a policy that confines it to the package."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.learning import scorm
from clearinghouse.learning.models import EnrolmentStatus
from clearinghouse.learning.tests.scorm_factories import author, enrol, scorm_root, with_package
from clearinghouse.learning.tests.scorm_packages import scorm_12, scorm_2004, upload, zipped

pytestmark = pytest.mark.usefixtures("scorm_root")
__all__ = ["scorm_root"]


def test_an_enrolled_learner_gets_the_package_files_with_strict_headers(world: World, client: Client) -> None:
    course, package, _key = with_package(world)
    enrol(course, world.learner)
    client.force_login(world.learner)

    page = client.get(f"/learning/scorm/{package.token}/index.html")
    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "SAMEORIGIN"
    assert page["Cache-Control"] == "private, max-age=86400"
    policy = page["Content-Security-Policy"]
    # Everything from the package's own path, framed by our pages only, no connection elsewhere.
    assert f"default-src http://testserver/learning/scorm/{package.token}/;" in policy
    assert f"connect-src http://testserver/learning/scorm/{package.token}/;" in policy
    assert f"form-action http://testserver/learning/scorm/{package.token}/;" in policy
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert b"Self-check" in b"".join(page.streaming_content)

    assert client.get(f"/learning/scorm/{package.token}/sco.js")["Content-Type"].startswith("text/javascript")
    assert client.get(f"/learning/scorm/{package.token}/images/bee.svg")["Content-Type"] == "image/svg+xml"
    # A type not on the list is a download, never rendered.
    pdf = client.get(f"/learning/scorm/{package.token}/notes.pdf")
    assert pdf["Content-Type"] == "application/octet-stream"
    assert pdf["Content-Disposition"].startswith("attachment")


def test_nothing_outside_the_package_directory_is_served(
    world: World, client: Client, scorm_root: Path
) -> None:
    course, package, _key = with_package(world)
    enrol(course, world.learner)
    client.force_login(world.learner)
    (scorm_root / "secret.txt").write_text("not for learners")
    other = scorm.import_package(
        course, upload(zipped(scorm_2004())), actor=author(world), module_title="Draft module"
    )[0]
    for path in (
        "../secret.txt",
        "%2e%2e/secret.txt",
        "images/../../secret.txt",
        f"../{other.token}/imsmanifest.xml",
        "/etc/passwd",
        "images",
        "",
        "missing.html",
    ):
        response = client.get(f"/learning/scorm/{package.token}/{path}")
        assert response.status_code == 404, path


def test_people_who_may_not_play_the_package_get_nothing(world: World, client: Client) -> None:
    course, package, _key = with_package(world)
    address = f"/learning/scorm/{package.token}/index.html"
    assert client.get(address).status_code == 403
    client.force_login(world.outsider)
    assert client.get(address).status_code == 403
    enrolment = enrol(course, world.outsider)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    assert client.get(address).status_code == 403
    assert client.get("/learning/scorm/no-such-token/index.html").status_code == 404


def test_a_package_not_yet_published_is_for_the_course_authors_only(world: World, client: Client) -> None:
    course, _package, _key = with_package(world)
    enrol(course, world.learner)
    person = author(world)
    draft, _draft_key = scorm.import_package(
        course, upload(zipped(scorm_2004())), actor=person, module_title="Coming next"
    )
    address = f"/learning/scorm/{draft.token}/content/sco.html"
    client.force_login(world.learner)
    assert client.get(address).status_code == 403
    client.force_login(person)
    assert client.get(address).status_code == 200
    # Its reviewer previews it too.
    client.force_login(world.focal_point)
    assert client.get(address).status_code == 200


def test_audio_and_video_are_served_by_ranges_for_seeking(world: World, client: Client) -> None:
    video = bytes(range(256)) * 40  # 10,240 bytes
    course, package, _key = with_package(world, scorm_12() | {"media/intro.mp4": video})
    enrol(course, world.learner)
    client.force_login(world.learner)
    address = f"/learning/scorm/{package.token}/media/intro.mp4"

    whole = client.get(address)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    assert b"".join(whole.streaming_content) == video

    part = client.get(address, headers={"Range": "bytes=1000-1099"})
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 1000-1099/10240" and part["Content-Length"] == "100"
    assert b"".join(part.streaming_content) == video[1000:1100]
    assert part["Content-Security-Policy"].startswith("default-src ")

    tail = client.get(address, headers={"Range": "bytes=-40"})
    assert b"".join(tail.streaming_content) == video[-40:]
    rest = client.get(address, headers={"Range": "bytes=10200-"})
    assert rest["Content-Range"] == "bytes 10200-10239/10240"

    beyond = client.get(address, headers={"Range": "bytes=20000-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == "bytes */10240"
