"""A course author imports SCORM packages: sound 1.2 and 2004 packages are unpacked and become a
module of the course's draft; hostile or broken ones are refused with a clear message, and then
nothing is left behind: no directory, no row, no revision."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.learning import outline as outlines
from clearinghouse.learning import scorm
from clearinghouse.learning.models import Course, ScormPackage
from clearinghouse.learning.tests.scorm_factories import LESSON, author, course, scorm_root
from clearinghouse.learning.tests.scorm_packages import (
    MANIFEST_12,
    scorm_12,
    scorm_2004,
    upload,
    with_symlink,
    zipped,
)
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision

pytestmark = pytest.mark.usefixtures("scorm_root")
__all__ = ["scorm_root"]


def test_a_scorm_12_package_becomes_a_module_of_the_draft(world: World, scorm_root: Path) -> None:
    person = author(world)
    record = course(world, by=person)
    live_outline = record.outline

    package, key = scorm.import_package(record, upload(zipped(scorm_12())), actor=person, module_key="m1")

    assert (package.version, package.launch, package.title) == (
        "1.2",
        "index.html",
        "Ecosystem services: a self-check",
    )
    assert package.files == 6 and package.size > 0
    assert (scorm_root / package.token / "index.html").is_file()
    assert (scorm_root / package.token / "images" / "bee.svg").is_file()
    # Nothing but the package is left in the packages' directory (no half-unpacked copy).
    assert [path.name for path in scorm_root.iterdir()] == [package.token]
    working, _many = workflow.working_copy(Course.objects.get(pk=record.pk))
    item = outlines.find(working.outline, key)
    assert item is not None and item.module["key"] == "m1"
    assert dict(item.item) == {
        "key": key,
        "type": "scorm",
        "title": {"en": "Ecosystem services: a self-check"},
        "package": package.token,
    }
    # Learners still see the published course, without the module, until a reviewer publishes.
    assert Course.objects.get(pk=record.pk).outline == live_outline


def test_a_scorm_2004_package_launches_the_first_sco_of_the_default_organisation(world: World) -> None:
    person = author(world)
    record = course(world, by=person)
    package, key = scorm.import_package(
        record,
        upload(zipped(scorm_2004())),
        actor=person,
        title="Les pollinisateurs",
        language="fr",
        module_title="Module importé",
    )
    # The default organisation is B, its first item is an asset: the SCO comes after, with the
    # resources' xml:base and the item's parameters.
    assert (package.version, package.launch) == ("2004", "content/sco.html?chapter=1")
    working, _many = workflow.working_copy(Course.objects.get(pk=record.pk))
    located = outlines.find(working.outline, key)
    assert located is not None
    assert located.module["title"] == {"fr": "Module importé"}
    assert located.item["title"] == {"fr": "Les pollinisateurs"}


def test_the_version_is_read_from_the_namespaces_when_the_manifest_gives_none(world: World) -> None:
    files = scorm_12()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace("<schemaversion>1.2</schemaversion>", "")
    person = author(world)
    package, _key = scorm.import_package(
        course(world, by=person), upload(zipped(files)), actor=person, module_key="m1"
    )
    assert package.version == "1.2"


def _refused(world: World, content: bytes, code: str, scorm_root: Path) -> ValidationError:
    person = author(world)
    record = course(world, by=person)
    revisions = Revision.objects.count()
    with pytest.raises(ValidationError) as raised:
        scorm.import_package(record, upload(content), actor=person, module_key="m1")
    assert raised.value.code == code, raised.value.messages
    # Nothing half-saved: no row, no revision, no file, not even an empty directory.
    assert not ScormPackage.objects.exists()
    assert Revision.objects.count() == revisions
    assert not scorm_root.exists() or list(scorm_root.iterdir()) == []
    return raised.value


def test_a_path_that_climbs_out_of_the_package_is_refused(world: World, scorm_root: Path) -> None:
    error = _refused(world, zipped(scorm_12() | {"../evil.html": "x"}), "path_traversal", scorm_root)
    assert "outside its own folder" in error.messages[0]
    _refused(world, zipped(scorm_12() | {"images/..\\..\\evil.html": "x"}), "path_traversal", scorm_root)


def test_an_absolute_path_is_refused(world: World, scorm_root: Path) -> None:
    _refused(world, zipped(scorm_12() | {"/etc/cron.d/evil": "x"}), "absolute_path", scorm_root)
    _refused(world, zipped(scorm_12() | {"C:/Windows/evil.dll": "x"}), "absolute_path", scorm_root)


def test_a_symbolic_link_is_refused(world: World, scorm_root: Path) -> None:
    error = _refused(world, with_symlink(scorm_12(), "secret.txt", "/etc/passwd"), "symlink", scorm_root)
    assert "symbolic link" in error.messages[0]


def test_a_zip_bomb_is_refused_by_its_compression_ratio(world: World, scorm_root: Path) -> None:
    # 20 MB of zeros compress to about 20 kB: a ratio near 1000.
    _refused(world, zipped(scorm_12() | {"video.mp4": b"\0" * (20 * 1024 * 1024)}), "ratio", scorm_root)


def test_a_package_that_unpacks_too_big_is_refused(world: World, scorm_root: Path) -> None:
    with override_settings(SCORM_MAX_UNPACKED_BYTES=1000):
        _refused(world, zipped(scorm_12() | {"big.js": "x" * 2000}), "too_big_unpacked", scorm_root)


def test_too_many_files_are_refused(world: World, scorm_root: Path) -> None:
    many = {f"pages/{number}.html": "<p>page</p>" for number in range(30)}
    with override_settings(SCORM_MAX_FILES=20):
        error = _refused(world, zipped(scorm_12() | many), "too_many_files", scorm_root)
    assert "at most 20" in error.messages[0]


def test_a_zip_of_countless_entries_is_refused_before_its_directory_is_read(
    world: World, scorm_root: Path
) -> None:
    folders = {f"f{number}/": "" for number in range(50)}
    with override_settings(SCORM_MAX_FILES=20):
        _refused(world, zipped(scorm_12() | folders), "too_many_files", scorm_root)
    # The count read from the end record is the one zipfile reads.
    stream = BytesIO(zipped(scorm_12() | folders))
    assert scorm.declared_entries(stream) == len(scorm_12()) + 50 == len(zipfile.ZipFile(stream).infolist())


def test_an_upload_over_the_size_limit_is_refused_before_it_is_opened(world: World, scorm_root: Path) -> None:
    with override_settings(SCORM_MAX_UPLOAD_BYTES=100):
        _refused(world, zipped(scorm_12()), "too_big", scorm_root)


def test_two_names_for_one_file_are_refused(world: World, scorm_root: Path) -> None:
    _refused(world, zipped(scorm_12() | {"Style.css": "b {}"}), "duplicate_name", scorm_root)
    _refused(world, zipped(scorm_12() | {"./style.css": "b {}"}), "duplicate_name", scorm_root)
    _refused(
        world, zipped(scorm_12() | {"images": "a file named like a folder"}), "duplicate_name", scorm_root
    )


def test_a_zip_without_a_manifest_is_refused(world: World, scorm_root: Path) -> None:
    files = scorm_12()
    del files["imsmanifest.xml"]
    error = _refused(world, zipped(files), "no_manifest", scorm_root)
    assert "imsmanifest.xml" in error.messages[0]


def test_a_manifest_inside_a_folder_is_explained(world: World, scorm_root: Path) -> None:
    nested = {f"course/{name}": content for name, content in scorm_12().items()}
    error = _refused(world, zipped(nested), "manifest_nested", scorm_root)
    assert "course" in error.messages[0]


def test_a_huge_manifest_is_refused_unread(world: World, scorm_root: Path) -> None:
    files = scorm_12()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace(
        "</manifest>", "<!--" + "x" * 5000 + "--></manifest>"
    )
    with override_settings(SCORM_MAX_MANIFEST_BYTES=4000):
        _refused(world, zipped(files), "manifest_too_big", scorm_root)


def test_a_launch_file_missing_from_the_package_is_refused(world: World, scorm_root: Path) -> None:
    files = scorm_12()
    del files["index.html"]
    error = _refused(world, zipped(files), "launch_missing", scorm_root)
    assert "index.html" in error.messages[0]


def test_a_launch_address_elsewhere_is_refused(world: World, scorm_root: Path) -> None:
    files = scorm_12()
    files["imsmanifest.xml"] = MANIFEST_12.format(title="T", launch="https://evil.example/x.html")
    _refused(world, zipped(files), "launch_outside", scorm_root)
    files["imsmanifest.xml"] = MANIFEST_12.format(title="T", launch="../../x.html")
    _refused(world, zipped(files), "path_traversal", scorm_root)


def test_malformed_xml_is_refused(world: World, scorm_root: Path) -> None:
    files = scorm_12() | {"imsmanifest.xml": "<manifest><organizations></manifest>"}
    error = _refused(world, zipped(files), "bad_xml", scorm_root)
    assert "not well-formed XML" in error.messages[0]


def test_xml_entity_expansion_is_refused(world: World, scorm_root: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<manifest><metadata><schemaversion>&lol2;</schemaversion></metadata></manifest>"
    )
    _refused(world, zipped(scorm_12() | {"imsmanifest.xml": laughs}), "xml_entities", scorm_root)
    external = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/passwd">]><manifest>&e;</manifest>'
    )
    _refused(world, zipped(scorm_12() | {"imsmanifest.xml": external}), "xml_entities", scorm_root)


def test_a_manifest_of_no_scorm_version_is_refused(world: World, scorm_root: Path) -> None:
    plain = (
        '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><organizations/><resources/></manifest>'
    )
    _refused(world, zipped(scorm_12() | {"imsmanifest.xml": plain}), "not_scorm", scorm_root)


def test_a_manifest_without_a_sco_is_refused(world: World, scorm_root: Path) -> None:
    files = scorm_12()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace('scormtype="sco"', 'scormtype="asset"')
    _refused(world, zipped(files), "no_sco", scorm_root)


def test_a_file_that_is_not_a_zip_is_refused(world: World, scorm_root: Path) -> None:
    _refused(world, b"PK\x03\x04 this is not really a zip", "not_zip", scorm_root)


def test_a_damaged_zip_is_refused_and_its_partial_files_removed(world: World, scorm_root: Path) -> None:
    content = bytearray(zipped(scorm_12() | {"z-last.js": "x = 1;" * 500}, compression=zipfile.ZIP_STORED))
    # Corrupt the last file's data: the checks pass (the headers are intact), unpacking fails
    # on its checksum after the other files were written.
    position = bytes(content).index(b"x = 1;x = 1;")
    content[position : position + 6] = b"y = 2;"
    _refused(world, bytes(content), "damaged", scorm_root)


def test_a_failure_after_unpacking_leaves_nothing(world: World, scorm_root: Path) -> None:
    person = author(world)
    record = course(world, by=person)
    revisions = Revision.objects.count()
    with pytest.raises(ValidationError):
        scorm.import_package(record, upload(zipped(scorm_12())), actor=person, module_key="no-such-module")
    assert not ScormPackage.objects.exists()
    assert Revision.objects.count() == revisions
    assert list(scorm_root.iterdir()) == []


def test_a_course_waiting_for_review_takes_no_package(world: World, scorm_root: Path) -> None:
    person = author(world)
    record = course(world, by=person, published=False, items=(LESSON,))
    workflow.submit(record, actor=person)
    with pytest.raises(ValidationError, match="waiting for review"):
        scorm.import_package(record, upload(zipped(scorm_12())), actor=person, module_key="m1")
    assert list(scorm_root.iterdir()) == []


def test_only_course_authors_who_may_edit_the_course_import(world: World) -> None:
    record = course(world)
    # Kenya's focal point drafts Kenya's records but writes no courses; a learner; an outsider.
    for person in (world.focal_point, world.learner, world.outsider):
        with pytest.raises(PermissionDenied):
            scorm.import_package(record, upload(zipped(scorm_12())), actor=person, module_key="m1")
    assert not ScormPackage.objects.exists()


def test_a_package_deleted_with_its_course_takes_its_files_along(
    world: World, scorm_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    person = author(world)
    record = course(world, by=person)
    package, _key = scorm.import_package(record, upload(zipped(scorm_12())), actor=person, module_key="m1")
    assert (scorm_root / package.token).is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        Course.objects.filter(pk=record.pk).delete()
    assert not ScormPackage.objects.exists()
    assert list(scorm_root.iterdir()) == []
