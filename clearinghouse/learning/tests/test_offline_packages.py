"""A learner downloads a course (or one module) as a zip that opens from the file system with no
network: pages per lesson and quiz in the chosen language, right-to-left in Arabic, nothing
loaded from anywhere, its size known before download."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.learning import offline
from clearinghouse.learning.models import Course, PackageDownload
from clearinghouse.learning.tests.offline_factories import (
    enrol,
    outline,
    package_root,  # noqa: F401  (autouse fixture)
    published,
)

pytestmark = pytest.mark.django_db


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {name: package.read(name) for name in package.namelist()}


class _Loads(HTMLParser):
    """Every address a page loads by itself, and every link a learner may click."""

    LOADING = {"src", "data", "poster", "srcset", "background"}

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in self.LOADING or (tag == "link" and name == "href"):
                self.loaded.append(value)
            elif tag == "a" and name == "href":
                self.links.append(value)
            elif name == "style" or name.startswith("on"):
                self.loaded.append(f"{name}={value}")


def parse(html: bytes) -> _Loads:
    parser = _Loads()
    parser.feed(html.decode())
    return parser


def test_the_package_has_a_page_per_lesson_and_quiz_in_the_chosen_language(world: World) -> None:
    course = published(world, outline=outline(scorm=True))
    files = unzip(offline.download(enrol(course, world.learner), "fr").content)

    assert {
        "index.html",
        "progress.html",
        "offline.css",
        "offline.js",
        "sha256.js",
        "course.js",
        "personal.js",
    } <= set(files)
    pages = {name for name in files if name.endswith(".html")}
    assert pages == {
        "index.html",
        "progress.html",
        "lesson-m1l1.html",
        "lesson-m1l2.html",
        "quiz-m1q.html",
        "lesson-m2l1.html",
        "lesson-m2l2.html",
        "quiz-m2q.html",
    }
    home = files["index.html"].decode()
    assert '<html lang="fr" dir="ltr">' in home
    assert "FR Lesson 1.1" in home and "FR Quiz 2" in home
    # SCORM modules are not packed: the learner is told to study them online.
    assert "FR Interactive case" in home and "scorm-s1.html" not in home
    lesson = files["lesson-m1l1.html"].decode()
    assert "FR Body 1.1" in lesson
    # The video is a link the learner may follow; its transcript is in the page.
    assert 'href="https://video.example.org/nbsap.mp4"' in lesson and "FR Transcript of the video." in lesson
    assert "<video" not in lesson and "<iframe" not in lesson
    assert '<a rel="next" href="lesson-m1l2.html">' in lesson


def test_an_arabic_package_reads_right_to_left(world: World) -> None:
    course = published(world)
    files = unzip(offline.download(enrol(course, world.learner, "ar"), "ar").content)

    for name in ("index.html", "lesson-m1l1.html", "quiz-m1q.html", "progress.html"):
        page = files[name].decode()
        assert '<html lang="ar" dir="rtl">' in page, name
    assert "عربي Lesson 1.1" in files["index.html"].decode()
    # The interface of the package is in Arabic too.
    with translation.override("ar"):
        assert translation.gettext("My progress") in files["progress.html"].decode()
    # The style sheet mirrors by logical properties, not by left and right.
    assert not re.search(
        r"(margin|padding)-(left|right)|text-align:\s*(left|right)", files["offline.css"].decode()
    )


def test_nothing_in_a_package_is_loaded_from_the_network(world: World, package_root: Path) -> None:  # noqa: F811
    media = package_root / "media" / "learning"
    media.mkdir(parents=True)
    (media / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    built = outline()
    built["modules"][0]["items"][0]["body"]["en"] = (
        '<p>Map: <img src="/media/learning/map.png" alt="A map of protected areas"></p>'
        '<p><img src="https://tracker.example.net/pixel.gif" alt="Pixel"></p>'
        '<p><img src="//cdn.example.net/a.png" alt="Protocol-relative"></p>'
        '<p style="background:url(https://x.example.net/b.png)">Styled</p>'
        '<p><a href="/en/support/">Support on the site</a> <a href="https://www.cbd.int/">CBD</a></p>'
    )
    course = published(world, outline=built)
    files = unzip(offline.download(enrol(course, world.learner), "en").content)

    clicked: set[str] = set()
    for name, content in files.items():
        if not name.endswith(".html"):
            continue
        found = parse(content)
        # Pages load only files of the package itself.
        for address in found.loaded:
            assert "://" not in address and not address.startswith("//"), (name, address)
            assert address.split("?")[0].split("#")[0] in files, (name, address)
        clicked |= {link for link in found.links if "://" in link}
    # Links to the network are only ones a learner clicks: video, files, the site, the lesson's links.
    assert clicked == {
        "https://video.example.org/nbsap.mp4",
        "https://files.example.org/guide.pdf",
        "https://www.cbd.int/",
        "http://127.0.0.1:8000/en/support/",
        "http://127.0.0.1:8000" + reverse("learning:offline_upload"),
        "http://127.0.0.1:8000" + reverse("resolve", args=[course.identifier]),
    }
    # The image stored on this site travels in the package; the others are dropped.
    images = [name for name in files if name.startswith("images/")]
    assert len(images) == 1 and images[0].endswith(".png")
    assert f'src="{images[0]}"' in files["lesson-m1l1.html"].decode()
    assert "A map of protected areas" in files["lesson-m1l1.html"].decode()
    # Scripts and styles fetch nothing.
    for name in ("offline.js", "sha256.js", "offline.css"):
        text = files[name].decode()
        assert not re.search(r"https?://|fetch\(|XMLHttpRequest|import\s|@import|url\(", text), name


def test_the_size_shown_is_the_size_downloaded_and_the_build_is_kept(
    world: World,
    package_root: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = published(world)
    learner = enrol(course, world.learner)
    shown = offline.size(course, "en")
    kept = package_root / "packages" / offline.cache_name(course, "en")
    assert kept.exists()

    # Built once per revision and language: downloads read the kept package.
    def no_second_build(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("the package was built again")

    monkeypatch.setattr(offline, "build", no_second_build)

    # Another learner with attempts used online gets a package of the very same size.
    other = enrol(course, world.outsider)
    other.attempts.create(quiz_key="m1q", number=1, questions=["qs1"], submitted_at=other.enrolled_at)
    assert len(offline.download(learner, "en").content) == shown
    assert len(offline.download(other, "en").content) == shown
    assert b'"attempts":{"m1q":1}' in unzip(offline.download(other, "en").content)["personal.js"]

    # A new published revision makes a new package, and the old one is removed.
    monkeypatch.undo()
    Course.objects.filter(pk=course.pk).update(live_revision_number=F("live_revision_number") + 1)
    course.refresh_from_db()
    assert offline.cache_name(course, "en") != kept.relative_to(package_root / "packages").as_posix()
    assert len(offline.download(learner, "en").content) == offline.size(course, "en")
    assert (package_root / "packages" / offline.cache_name(course, "en")).exists()
    assert not kept.exists()


def test_a_module_package_holds_that_module_only(world: World) -> None:
    course = published(world)
    made = offline.download(enrol(course, world.learner), "en", "m2")
    files = unzip(made.content)

    assert made.filename == f"{course.identifier}-en-m2.zip"
    assert "lesson-m2l1.html" in files and "lesson-m1l1.html" not in files
    assert len(made.content) == offline.size(course, "en", "m2") < offline.size(course, "en")
    download = PackageDownload.objects.get()
    assert (download.language, download.module_key, download.person, download.size) == (
        "en",
        "m2",
        world.learner,
        len(made.content),
    )


def test_a_package_is_refused_in_a_language_the_course_lacks_or_for_an_unknown_module(world: World) -> None:
    course = published(world)
    learner = enrol(course, world.learner)
    with pytest.raises(ValidationError):
        offline.download(learner, "zh")
    with pytest.raises(ValidationError):
        offline.download(learner, "en", "nope")
    assert not PackageDownload.objects.exists()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_offline_page_shows_each_package_with_its_size(world: World) -> None:
    course = published(world)
    enrol(course, world.learner, "fr")
    page = _client(world.learner).get(reverse("learning:offline_packages", args=[course.identifier]))

    assert page.status_code == 200
    text = page.content.decode()
    for language in ("en", "fr", "ar"):
        assert f"?language={language}" in text
    assert "?language=fr&amp;module=m1" in text
    size = offline.size(course, "en")
    from django.template.defaultfilters import filesizeformat

    assert str(filesizeformat(size)) in text


def test_the_offline_page_in_arabic(world: World) -> None:
    course = published(world)
    enrol(course, world.learner, "ar")
    with translation.override("ar"):
        url = reverse("learning:offline_packages", args=[course.identifier])
    page = _client(world.learner).get(url)
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()


def test_downloading_through_the_site(world: World) -> None:
    course = published(world)
    enrol(course, world.learner)
    client = _client(world.learner)
    url = reverse("learning:offline_package", args=[course.identifier])

    response = client.get(url, {"language": "ar", "module": "m1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert int(response["Content-Length"]) == len(response.content) == offline.size(course, "ar", "m1")
    assert client.get(url, {"language": "zh"}).status_code == 400
    assert PackageDownload.objects.count() == 1


def test_only_enrolled_learners_download(world: World) -> None:
    course = published(world)
    url = reverse("learning:offline_package", args=[course.identifier])
    assert _client(world.outsider).get(url, {"language": "en"}).status_code == 403
    assert Client().get(url).status_code == 302
    assert _client(world.outsider).get(reverse("learning:offline_package", args=["NOPE"])).status_code == 404
    assert not PackageDownload.objects.exists()


def test_the_study_page_panel_shows_the_size_of_the_download(world: World) -> None:
    from django.template import Context, Template

    course = published(world)
    enrolment = enrol(course, world.learner, "fr")
    html = Template("{% load offline_packages %}{% offline_package_panel enrolment %}").render(
        Context({"enrolment": enrolment})
    )
    from django.template.defaultfilters import filesizeformat

    size = offline.size(course, "fr")
    assert "?language=fr" in html
    assert str(filesizeformat(size)) in html
