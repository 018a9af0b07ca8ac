"""The API contract: the schema is valid OpenAPI 3, matches the committed snapshot, and the
running API keeps to it under generated input (schemathesis, in process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from clearinghouse.accounts.models import TokenScope
from clearinghouse.core.testing import World, invasive_species_need_values, token_headers
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.support import services as support
from clearinghouse.support.models import Expert
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"


# The schema does not depend on the database: read once, on the first run's database only.
@pytest.mark.single_run
@pytest.mark.django_db
def test_schema_is_valid_openapi_and_matches_the_committed_snapshot(client: Client) -> None:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    live_schema: dict[str, Any] = yaml.safe_load(response.content)
    validate(live_schema)
    # A change to the API must be deliberate: regenerate with `make openapi` and review the diff.
    assert SNAPSHOT.exists(), "docs/openapi.yaml is missing: run `make openapi`"
    assert yaml.safe_load(SNAPSHOT.read_text()) == live_schema


@pytest.fixture
def records(world: World) -> None:
    """Something to read: published and draft records with confidential fields, which some
    readers get and others do not."""
    load_vocabularies(data_files())
    need = workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values(
            "en",
            "Training customs officers",
            "Invasive alien species at the border",
            contact_email="a@example.org",
        ),
    )
    workflow.submit(need, actor=world.authorised_user)
    workflow.publish(need, actor=world.focal_point)
    workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values("en", "A draft", "Still being written"),
    )
    expert = support.create(
        Expert,
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        cleaned={
            "title": "Marine planner",
            "name": "Baraka Mwangi",
            "email": "b@example.org",
            "biography": "At sea.",
            "subjects": list(Term.objects.filter(code="SUBJ-MARINE-COASTAL")),
        },
        expert_user=world.learner,
    )
    workflow.submit(expert, actor=world.authorised_user)
    workflow.publish(expert, actor=world.focal_point)


@pytest.fixture
def api(records: None) -> Iterator[Any]:
    # The raw WSGI app closes the database connection after each request, which would end the
    # test's transaction; Django's own test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    # Text never holds NUL characters (PostgreSQL cannot store them; Django's fields refuse
    # them with a 400), so generated "valid" strings leave them out.
    loaded.config.generation.update(allow_x00=False, max_examples=MAX_EXAMPLES, deterministic=True)
    # Every check, not only "no server error": status codes, content types, headers and bodies
    # as documented, valid data accepted, invalid data refused, authentication not ignored.
    # max_response_time stays off: a time limit would make the test depend on the machine.
    loaded.config.checks.update(included_check_names=["all"])
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Enough to exercise every operation with valid and invalid input; the two runs together stay
# within a couple of minutes on a small machine.
MAX_EXAMPLES = 15

schema = schemathesis.pytest.from_fixture("api")


# The responses' shape is the serializers', whatever the database: fuzzed once, in the first run.
@pytest.mark.single_run
@schema.parametrize()
def test_api_keeps_to_its_schema_for_anonymous_readers(case: Any) -> None:
    _call_and_validate(case)


@pytest.fixture
def api_with_token(api: Any, world: World) -> Any:
    """The API as a holder of a write-scoped token sees it: a person appointed to an
    organisation, so writes can succeed. Given to schemathesis as the run's authentication, so
    its checks can also take the token away and expect a refusal."""
    authorization = token_headers(world.partner_editor, scope=TokenScope.WRITE)["authorization"]

    class WriteToken:
        def get(self, case: Any, context: Any) -> str:
            return authorization

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": data}

    api.auth(refresh_interval=None)(WriteToken)
    return api


with_token = schemathesis.pytest.from_fixture("api_with_token")


# Organisations name their country by a code that must exist, a government one must have one,
# and web and e-mail addresses must be ones Django accepts (real host names and top-level
# domains, narrower than the schema's "uri" and "email" formats); a period must not end before
# it starts: rules an OpenAPI schema cannot state, so schema-valid data may still be refused for
# them. For these operations the "valid data is accepted" check is replaced by a narrower one: a
# refusal may name only those fields.
_FIELDS_WITH_RULES_BEYOND_THE_SCHEMA = {"country", "website", "email", "end"}
_RULES_BEYOND_THE_SCHEMA = {
    ("POST", "/organisations/"),
    ("PUT", "/organisations/{id}/"),
    ("PATCH", "/organisations/{id}/"),
    ("GET", "/quality/statistics/"),
    ("GET", "/community/statistics/"),
}


def _call_and_validate(case: Any) -> None:
    # The WSGI client does not decompress: ask for plain bodies.
    headers = {"Accept-Encoding": "identity"}
    operation = (case.method.upper(), case.path.removeprefix("/api/v1"))
    if operation not in _RULES_BEYOND_THE_SCHEMA:
        case.call_and_validate(headers=headers)
        return
    response = case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
    if response.status_code == 400 and case.meta is not None and not case.meta.generation.mode.is_negative:
        refused = {error["field"] for error in response.json()["errors"]}
        assert refused <= _FIELDS_WITH_RULES_BEYOND_THE_SCHEMA, response.text


@pytest.mark.single_run
@with_token.parametrize()
def test_api_keeps_to_its_schema_for_a_token_holder(case: Any) -> None:
    _call_and_validate(case)
