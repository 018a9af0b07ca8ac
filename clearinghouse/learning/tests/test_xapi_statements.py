"""A learner's activity becomes xAPI 1.0.3 statements that an independent validator accepts:
Learning Locker's xapi-validation, run by Node over the statements of every verb."""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404  # runs node on a script of ours, no shell
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation

from clearinghouse.learning import progress, quizzes, xapi
from clearinghouse.learning.models import Activity, Pseudonym, Verb
from clearinghouse.learning.tests.xapi_factories import RIGHT_ANSWERS, enrol, published_course

JS = Path(__file__).parent / "js"
SITE = "https://clearinghouse.example.org"


def validated(statements: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """xapi-validation's warnings for each statement (empty: valid)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js not found: install it (Debian package nodejs) to validate xAPI statements")
    if not (JS / "node_modules" / "xapi-validation").is_dir():
        pytest.skip(
            "xapi-validation not installed: run `make learning-test-deps` (npm ci from the lock file)"
        )
    done = subprocess.run(  # nosec B603  # our own script, our own data
        [node, str(JS / "validate-statements.js")],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found: list[list[dict[str, Any]]] = json.loads(done.stdout)
    return found


@pytest.fixture
def studied(world: Any) -> Any:
    """A learner who studied the whole course in French: read the lesson, played the SCORM
    module, failed the quiz once, passed it, and so completed and passed the course."""
    with override_settings(SITE_URL=SITE):
        course = published_course(world)
        enrolment = enrol(course, world.learner, language="fr")
        progress.record(enrolment, "l1", completed=True)
        progress.record(enrolment, "s1", completed=True)
        first = quizzes.start(enrolment, "q1")
        quizzes.submit(enrolment, "q1", {"x1": "b", "x3": True}, attempt=first)
        second = quizzes.start(enrolment, "q1")
        quizzes.submit(enrolment, "q1", RIGHT_ANSWERS, attempt=second)
        enrolment.refresh_from_db()
        yield enrolment


@override_settings(SITE_URL=SITE)
def test_statements_of_every_verb_pass_the_independent_validator(studied: Any) -> None:
    statements = list(xapi.statements(Activity.objects.filter(enrolment=studied)))
    verbs = {s["verb"]["id"].rsplit("/", 1)[1] for s in statements}
    # Every verb the platform records is in this run, so the validator sees each shape.
    assert verbs == set(Verb.values)
    warnings = validated(statements)
    assert [w for w in warnings if w] == []


@override_settings(SITE_URL=SITE)
def test_the_validator_catches_a_broken_statement(studied: Any) -> None:
    # The check is not a rubber stamp: a statement with a bad score and a non-IRI verb fails it.
    statement = next(xapi.statements(Activity.objects.filter(enrolment=studied)))
    statement["verb"]["id"] = "passed"
    statement["result"] = {"score": {"scaled": 2}}
    paths = {w["path"] for w in validated([statement])[0]}
    assert {"statement.verb.id", "statement.result.score.scaled"} <= paths


@override_settings(SITE_URL=SITE)
def test_the_actor_is_a_pseudonym_never_the_email(studied: Any) -> None:
    statements = list(xapi.statements(Activity.objects.filter(enrolment=studied)))
    pseudonym = str(Pseudonym.objects.get(user=studied.person).value)
    assert {json.dumps(s["actor"], sort_keys=True) for s in statements} == {
        json.dumps({"objectType": "Agent", "account": {"homePage": SITE, "name": pseudonym}}, sort_keys=True)
    }
    dumped = json.dumps(statements, ensure_ascii=False)
    assert studied.person.email not in dumped
    assert studied.person.last_name not in dumped


@override_settings(SITE_URL=SITE)
def test_objects_context_and_results_describe_what_happened(studied: Any) -> None:
    statements = {
        (s["verb"]["id"].rsplit("/", 1)[1], s["object"]["id"].rpartition("#")[2]): s
        for s in xapi.statements(Activity.objects.filter(enrolment=studied))
    }
    course_iri = f"{SITE}/r/{studied.course.identifier}"
    registration = str(uuid.uuid5(xapi._REGISTRATIONS, f"{SITE}/enrolments/{studied.pk}"))

    lesson = statements[("experienced", "l1")]
    assert lesson["object"]["id"] == f"{course_iri}#l1"
    assert lesson["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert lesson["object"]["definition"]["name"]["fr"] == "Ce qui rend une espèce envahissante"
    assert lesson["context"]["contextActivities"]["parent"][0]["id"] == course_iri
    assert lesson["context"]["registration"] == registration
    assert lesson["context"]["language"] == "fr"
    assert lesson["context"]["platform"] == "Clearinghouse"
    # The verb reads in the language of study too (whatever the catalogue's wording).
    with translation.override("fr"):
        in_french = translation.gettext("experienced")
    assert in_french != "experienced"
    assert lesson["verb"]["display"] == {"en-US": "experienced", "fr": in_french}
    assert lesson["version"] == "1.0.3"
    assert lesson["timestamp"].endswith("Z")

    assert statements[("launched", "s1")]["object"]["id"] == f"{course_iri}#s1"

    # Each answer in the xAPI response format of its interaction type.
    multiple = statements[("answered", "x2")]
    assert multiple["object"]["definition"]["interactionType"] == "choice"
    assert multiple["object"]["definition"]["correctResponsesPattern"] == ["c[,]d"]
    assert multiple["result"] == {"success": True, "response": "c[,]d"}
    assert statements[("answered", "x3")]["result"]["response"] == "false"
    assert statements[("answered", "x4")]["result"]["response"] == "nagoya protocol"
    matching = statements[("answered", "x5")]
    assert matching["result"]["response"] == "p1[.]p1[,]p2[.]p2"
    assert {c["id"] for c in matching["object"]["definition"]["source"]} == {"p1", "p2"}
    assert matching["context"]["contextActivities"]["parent"][0]["id"] == f"{course_iri}#q1"

    quiz = statements[("passed", "q1")]
    assert quiz["result"] == {"score": {"scaled": 1.0}, "success": True, "completion": True}
    assert statements[("failed", "q1")]["result"]["success"] is False

    course = statements[("completed", course_iri)]
    assert course["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/course"
    assert course["object"]["definition"]["name"]["en"] == "Managing invasive alien species"
    assert "contextActivities" not in course["context"]
    # One statement a row, with the row's id: a store that gets it twice keeps it once.
    assert {s["id"] for s in statements.values()} <= {
        str(pk) for pk in Activity.objects.values_list("pk", flat=True)
    }


@override_settings(SITE_URL=SITE)
def test_the_registration_is_the_same_every_time_and_differs_between_enrolments(
    studied: Any, world: Any
) -> None:
    other = enrol(studied.course, world.outsider)
    assert xapi.registration(studied) == xapi.registration(studied)
    assert xapi.registration(studied) != xapi.registration(other)
    assert uuid.UUID(xapi.registration(studied)).version == 5
