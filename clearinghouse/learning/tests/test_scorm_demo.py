"""The demo's SCORM module: built from its sources, it passes every check of a real import, lands
in a published demo course once however often the demo loads, and does nothing without one."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role, User
from clearinghouse.core.testing import World
from clearinghouse.learning import demo_scorm, scorm
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course, ScormPackage
from clearinghouse.learning.tests.scorm_factories import course, courses_announced, scorm_root
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("scorm_root")
__all__ = ["scorm_root"]


def _demo_people() -> None:
    for name, role in (("trainer", Role.TRAINER), ("secretariat", Role.SECRETARIAT)):
        person = User.objects.create_user(f"demo-{name}", email=f"{name}@demo.clearinghouse.example")
        appointments.appoint(actor=None, user=person, role=role)


def test_the_demo_package_is_a_sound_scorm_12_package() -> None:
    with zipfile.ZipFile(BytesIO(demo_scorm.package_zip())) as archive:
        checked = scorm.check_archive(archive)
    assert checked.manifest.version == "1.2"
    assert checked.manifest.launch == "index.html"
    assert checked.manifest.title == demo_scorm.TITLE


def test_without_a_published_course_the_demo_adds_nothing(db: None) -> None:
    assert demo_scorm.load() == []
    assert not ScormPackage.objects.exists()


def test_the_demo_adds_the_module_to_a_published_course_once(world: World, scorm_root: Path) -> None:
    _demo_people()
    record = course(world)
    with courses_announced():
        demo_scorm.load()
        demo_scorm.load()

    package = ScormPackage.objects.get()
    assert (scorm_root / package.token / "self-check.js").is_file()
    record = Course.objects.get(pk=record.pk)
    assert record.state == State.PUBLISHED and record.live
    item = outlines.of_type(record.outline, "scorm")[0]
    assert item["package"] == package.token
    assert set(item["title"]) == {"ar", "zh", "en", "fr", "ru", "es"}
