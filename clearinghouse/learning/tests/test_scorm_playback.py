"""Playing a package: the player page starts the runtime where the learner left off; what the
runtime commits becomes the learner's progress (forwards only), the activity log and, when the
course's rule is met, the course's completion. Bad commits are refused with a clear message."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.learning import scorm
from clearinghouse.learning.models import Activity, EnrolmentStatus, ItemProgress, ScormPackage
from clearinghouse.learning.tests.scorm_factories import (
    author,
    course,
    enrol,
    publish,
    scorm_root,
    with_package,
)
from clearinghouse.learning.tests.scorm_packages import scorm_12, scorm_2004, upload, zipped

pytestmark = pytest.mark.usefixtures("scorm_root")
__all__ = ["scorm_root"]


def _config(page: Any) -> dict[str, Any]:
    html = page.content.decode()
    start = html.index('<script id="scorm-config" type="application/json">') + len(
        '<script id="scorm-config" type="application/json">'
    )
    return dict(json.loads(html[start : html.index("</script>", start)]))


def _commit(client: Client, identifier: str, key: str, cmi: Any, **extra: Any) -> Any:
    body = json.dumps({"cmi": cmi}) if not isinstance(cmi, bytes) else cmi
    return client.post(
        f"/en/learning/courses/{identifier}/scorm/{key}/commit",
        body,
        content_type="application/json",
        **extra,
    )


PASSED_12 = {
    "core": {
        "lesson_status": "passed",
        "lesson_location": "page-3",
        "exit": "suspend",
        "score": {"raw": "80", "min": "0", "max": "100"},
    },
    "suspend_data": "answers=b,c,a",
}


def test_a_learner_passes_a_scorm_12_module_and_completes_the_course(world: World, client: Client) -> None:
    course, package, key = with_package(world)
    enrolment = enrol(course, world.learner)
    client.force_login(world.learner)

    page = client.get(f"/en/learning/courses/{course.identifier}/scorm/{key}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'sandbox="allow-scripts allow-same-origin allow-forms"' in html
    assert "vendor/scorm-again-3.4.3/scorm12.min.js" in html
    config = _config(page)
    assert config["version"] == "1.2"
    assert config["launch"] == f"/learning/scorm/{package.token}/index.html"
    assert config["commit"] == f"/en/learning/courses/{course.identifier}/scorm/{key}/commit"
    assert config["cmi"]["core"]["student_name"] == "Wang, Mei"
    assert config["cmi"]["core"]["entry"] == "ab-initio"
    # Opening it is launching it, once.
    client.get(f"/en/learning/courses/{course.identifier}/scorm/{key}/")
    assert list(Activity.objects.filter(enrolment=enrolment).values_list("verb", "object_key")) == [
        ("launched", key)
    ]
    assert ItemProgress.objects.get(enrolment=enrolment, item_key=key).completed_at is None

    response = _commit(client, course.identifier, key, PASSED_12)
    assert response.status_code == 200 and response.json() == {"result": True, "errorCode": 0}

    row = ItemProgress.objects.get(enrolment=enrolment, item_key=key)
    assert row.completed_at is not None and row.passed is True
    assert row.score == Decimal("0.8")
    assert row.data == PASSED_12
    enrolment.refresh_from_db()
    # The course's only item is done: its rule ("every lesson viewed") is met.
    assert enrolment.status == EnrolmentStatus.COMPLETED
    verbs = list(Activity.objects.filter(enrolment=enrolment).values_list("verb", "object_key"))
    assert ("launched", key) in verbs and ("completed", key) in verbs and ("passed", key) in verbs
    assert ("completed", "") in verbs
    passed = Activity.objects.get(enrolment=enrolment, verb="passed", object_key=key)
    assert passed.result == {"completion": True, "success": True, "score": {"scaled": 0.8}}

    # Next time, the runtime starts where the learner left off.
    resumed = _config(client.get(f"/en/learning/courses/{course.identifier}/scorm/{key}/"))["cmi"]
    assert resumed["core"]["entry"] == "resume"
    assert resumed["core"]["lesson_location"] == "page-3"
    assert resumed["suspend_data"] == "answers=b,c,a"
    assert resumed["core"]["score"] == {"raw": "80", "min": "0", "max": "100"}


def test_progress_only_moves_forwards(world: World, client: Client) -> None:
    course, _package, key = with_package(world)
    enrolment = enrol(course, world.learner)
    client.force_login(world.learner)
    _commit(client, course.identifier, key, PASSED_12)
    later = {"core": {"lesson_status": "incomplete", "score": {"raw": "20"}}}
    assert _commit(client, course.identifier, key, later).status_code == 200
    row = ItemProgress.objects.get(enrolment=enrolment, item_key=key)
    assert row.completed_at is not None and row.passed is True and row.score == Decimal("0.8")
    assert Activity.objects.filter(enrolment=enrolment, verb="completed", object_key=key).count() == 1


def test_a_scorm_2004_failure_is_not_done_until_passed(world: World, client: Client) -> None:
    person = author(world)
    record = course(world, by=person)
    package, key = scorm.import_package(record, upload(zipped(scorm_2004())), actor=person, module_key="m1")
    record = publish(world, record, by=person)
    enrolment = enrol(record, world.learner)
    client.force_login(world.learner)
    page = client.get(f"/en/learning/courses/{record.identifier}/scorm/{key}/")
    config = _config(page)
    assert config["version"] == "2004" and "scorm2004.min.js" in page.content.decode()
    assert config["launch"] == f"/learning/scorm/{package.token}/content/sco.html?chapter=1"

    failed = {"completion_status": "completed", "success_status": "failed", "score": {"scaled": "0.4"}}
    assert _commit(client, record.identifier, key, failed).status_code == 200
    row = ItemProgress.objects.get(enrolment=enrolment, item_key=key)
    assert row.completed_at is None and row.passed is False and row.score == Decimal("0.4")
    assert Activity.objects.filter(enrolment=enrolment, verb="failed", object_key=key).exists()

    passed = failed | {"success_status": "passed", "score": {"scaled": "0.9"}, "location": "end"}
    _commit(client, record.identifier, key, passed)
    row.refresh_from_db()
    assert row.completed_at is not None and row.passed is True and row.score == Decimal("0.9")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    resumed = _config(client.get(f"/en/learning/courses/{record.identifier}/scorm/{key}/"))["cmi"]
    assert resumed["location"] == "end" and resumed["success_status"] == "passed"


def test_bad_commits_are_refused_with_a_clear_message(world: World, client: Client) -> None:
    course, _package, key = with_package(world)
    address = f"/en/learning/courses/{course.identifier}/scorm/{key}/commit"
    assert client.post(address, "{}", content_type="application/json").status_code == 403

    client.force_login(world.outsider)
    refused = _commit(client, course.identifier, key, PASSED_12)
    assert refused.status_code == 403
    assert refused.json()["result"] is False
    assert refused.json()["error"] == "You are not enrolled in this course: nothing was saved."

    enrolment = enrol(course, world.outsider)
    malformed = _commit(client, course.identifier, key, b"{not json")
    assert malformed.status_code == 400 and malformed.json()["error"] == "The data sent is not valid JSON."
    no_model = client.post(address, json.dumps({"core": {}}), content_type="application/json")
    assert no_model.status_code == 400
    assert _commit(client, "CB-COURSE-XX-000000", key, PASSED_12).status_code == 404
    assert _commit(client, course.identifier, "no-such-item", PASSED_12).status_code == 404
    nested: Any = "deep"
    for _level in range(20):
        nested = {"x": nested}
    assert _commit(client, course.identifier, key, {"core": nested}).status_code == 400
    assert (
        _commit(
            client, course.identifier, key, b'{"cmi": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        ).status_code
        == 400
    )
    huge = {"core": {"lesson_status": "passed"}, "suspend_data": "x" * 300_000}
    assert _commit(client, course.identifier, key, huge).status_code == 413
    assert client.get(address).status_code == 405
    # Without the page's security token, the commit is refused.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.outsider)
    forged = _commit(strict, course.identifier, key, PASSED_12)
    assert forged.status_code == 403 and "security token" in forged.json()["error"]
    assert not ItemProgress.objects.filter(enrolment=enrolment).exists()


def test_the_commit_takes_the_security_token_from_the_header_or_the_body(world: World) -> None:
    course, _package, key = with_package(world)
    enrolment = enrol(course, world.learner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.learner)
    token = _config(client.get(f"/en/learning/courses/{course.identifier}/scorm/{key}/"))["csrf"]
    address = f"/en/learning/courses/{course.identifier}/scorm/{key}/commit"
    incomplete = {"cmi": {"core": {"lesson_status": "incomplete"}}}
    by_header = client.post(
        address, json.dumps(incomplete), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert by_header.status_code == 200
    # The runtime's last commit is a beacon: plain text, no header, the token in the body.
    beacon = {"cmi": PASSED_12, "csrfToken": token}
    assert (
        client.post(address, json.dumps(beacon), content_type="text/plain;charset=UTF-8").status_code == 200
    )
    row = ItemProgress.objects.get(enrolment=enrolment, item_key=key)
    assert row.passed is True and row.data == PASSED_12
    wrong = {"cmi": PASSED_12, "csrfToken": "x" * 64}
    assert client.post(address, json.dumps(wrong), content_type="text/plain").status_code == 403


def test_the_player_is_for_learners_and_the_course_authors(world: World, client: Client) -> None:
    course, _package, key = with_package(world)
    address = f"/en/learning/courses/{course.identifier}/scorm/{key}/"
    assert client.get(address).status_code == 302  # to sign in
    client.force_login(world.outsider)
    assert client.get(address).status_code == 403
    # An author previews: the runtime runs, nothing is committed.
    client.force_login(author(world))
    preview = client.get(address)
    assert preview.status_code == 200 and _config(preview)["commit"] is None
    assert "nothing you do in this module is recorded" in preview.content.decode()
    assert client.get(f"/en/learning/courses/{course.identifier}/scorm/nothing/").status_code == 404


def test_an_author_imports_a_package_from_the_page(world: World, client: Client, scorm_root: Path) -> None:
    person = author(world)
    record = course(world, by=person)
    client.force_login(person)
    address = f"/en/learning/courses/{record.identifier}/scorm-import/"
    form = client.get(address)
    assert form.status_code == 200 and "Add it to the module" in form.content.decode()

    bomb = zipped(scorm_12() | {"../escape.html": "x"})
    refused = client.post(address, {"package": upload(bomb), "module": "m1", "language": "en"})
    assert refused.status_code == 200
    assert "outside its own folder" in refused.content.decode()
    assert not ScormPackage.objects.exists()

    added = client.post(address, {"package": upload(zipped(scorm_12())), "module": "m1", "language": "en"})
    package = ScormPackage.objects.get()
    assert added.status_code == 302
    assert added["Location"].startswith(f"/en/learning/courses/{record.identifier}/scorm/s-")
    assert (scorm_root / package.token / "imsmanifest.xml").is_file()

    client.force_login(world.learner)
    assert client.get(address).status_code == 403


def test_the_import_form_asks_a_title_for_a_new_module(world: World, client: Client) -> None:
    person = author(world)
    record = course(world, by=person)
    client.force_login(person)
    address = f"/en/learning/courses/{record.identifier}/scorm-import/"
    response = client.post(address, {"package": upload(zipped(scorm_12())), "module": "", "language": "en"})
    assert response.status_code == 200
    assert "Give the new module a title." in response.content.decode()
    assert not ScormPackage.objects.exists()


def test_a_refused_package_is_explained_in_the_authors_language(world: World, client: Client) -> None:
    person = author(world)
    record = course(world, by=person)
    client.force_login(person)
    files = scorm_12()
    del files["imsmanifest.xml"]
    refused = client.post(
        f"/fr/learning/courses/{record.identifier}/scorm-import/",
        {"package": upload(zipped(files)), "module": "m1", "language": "en"},
    )
    assert refused.status_code == 200
    assert "Ce n&#x27;est pas un paquet SCORM" in refused.content.decode()
    assert not ScormPackage.objects.exists()


def test_a_launch_file_with_spaces_and_accents_is_launched_and_served(world: World, client: Client) -> None:
    files = scorm_12(launch="leçon 1.html")
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace(
        'href="leçon 1.html"', 'href="le%C3%A7on%201.html"', 1
    )
    course, package, key = with_package(world, files)
    enrol(course, world.learner)
    client.force_login(world.learner)
    launch = _config(client.get(f"/en/learning/courses/{course.identifier}/scorm/{key}/"))["launch"]
    assert launch == f"/learning/scorm/{package.token}/le%C3%A7on%201.html"
    assert client.get(launch).status_code == 200


def test_the_manifests_mastery_score_and_launch_data_reach_the_runtime(world: World, client: Client) -> None:
    files = scorm_12()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace(
        "<title>First page</title>",
        "<title>First page</title><adlcp:masteryscore>70</adlcp:masteryscore>"
        "<adlcp:datafromlms>level=2</adlcp:datafromlms>",
    )
    course, _package, key = with_package(world, files)
    enrol(course, world.learner)
    client.force_login(world.learner)
    cmi = _config(client.get(f"/en/learning/courses/{course.identifier}/scorm/{key}/"))["cmi"]
    assert cmi["student_data"] == {"mastery_score": "70"}
    assert cmi["launch_data"] == "level=2"


def test_in_save_data_mode_the_player_waits_until_the_learner_asks_for_the_module(
    world: World, client: Client
) -> None:
    """The runtime and the package can weigh megabytes: on a costly link they load on request."""
    course, _package, key = with_package(world)
    address = f"/en/learning/courses/{course.identifier}/scorm/{key}/"
    client.force_login(author(world))
    held = client.get(address, headers={"Save-Data": "on"}).content.decode()
    assert "scorm-config" not in held and "scorm-player.js" not in held and "<iframe" not in held
    assert 'href="?load=1"' in held
    loaded = client.get(address + "?load=1", headers={"Save-Data": "on"})
    assert _config(loaded)["commit"] is None and "<iframe" in loaded.content.decode()
