"""We are the LTI 1.3 platform: a learner opens an external tool attached to their course, and
an independent tool (lti_peer.PeerTool) verifies the launch against our published key set."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from django.test import Client, override_settings
from django.urls import reverse

from clearinghouse.learning.models import LtiPlacement, LtiTool, Pseudonym
from clearinghouse.learning.tests.lti_peer import PeerTool, read_form
from clearinghouse.learning.tests.xapi_factories import enrol, published_course

SITE = "https://clearinghouse.example.org"
pytestmark = pytest.mark.usefixtures("_site")


@pytest.fixture
def _site() -> Any:
    with override_settings(SITE_URL=SITE):
        yield


@pytest.fixture
def scene(world: Any, client: Client) -> Any:
    """A published course with the peer tool attached by the course's owner, and a learner."""
    course = published_course(world)
    tool = LtiTool.objects.create(
        name="Species identification lab",
        login_url="https://tool.example.net/lti/login",
        launch_url="https://tool.example.net/lti/launch",
        jwks_url="https://tool.example.net/lti/jwks",
        deployment_id="dep-1",
    )
    client.force_login(world.authorised_user)
    page = reverse("learning:lti_course_tools", args=[course.identifier])
    response = client.post(page, {"tool": tool.pk, "title": "Identification lab"})
    assert response.status_code == 302
    placement = LtiPlacement.objects.get(course=course, tool=tool)
    enrol(course, world.learner)
    client.logout()
    return course, tool, placement, PeerTool(client_id=tool.client_id)


def _launch(client: Client, placement: LtiPlacement, peer: PeerTool) -> tuple[Any, dict[str, str]]:
    """Open the tool as the signed-in person: our login initiation, the tool's authentication
    request, our answer (the page that posts the id_token to the tool)."""
    initiation = client.get(reverse("learning:lti_launch_tool", args=[placement.pk]))
    assert initiation.status_code == 302
    request = peer.authentication_request(initiation["Location"], SITE)
    return client.get(reverse("lti:authorize"), request), request


def test_an_enrolled_learner_launches_the_tool_which_verifies_our_token(
    client: Client, world: Any, scene: Any
) -> None:
    course, tool, placement, peer = scene
    client.force_login(world.learner)
    answer, _request = _launch(client, placement, peer)
    assert answer.status_code == 200
    # The form may go to the tool's launch address, and to no other site.
    assert "form-action 'self' https://tool.example.net" in answer["Content-Security-Policy"]
    action, fields = read_form(answer.content.decode())
    jwks = client.get(reverse("lti:jwks")).json()
    claims = peer.receive(action, fields, jwks, SITE)

    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    assert claims["sub"] == str(Pseudonym.objects.get(user=world.learner).value)
    assert claims[lti + "roles"] == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
    assert claims[lti + "deployment_id"] == "dep-1"
    assert claims[lti + "resource_link"] == {
        "id": str(placement.resource_link_id),
        "title": "Identification lab",
    }
    assert claims[lti + "context"]["id"] == course.identifier
    assert claims[lti + "context"]["title"] == "Managing invasive alien species"
    assert claims[lti + "target_link_uri"] == tool.launch_url
    # Privacy: the tool learns a pseudonym and a role, not who the person is.
    assert world.learner.email not in json.dumps(claims)


def test_the_course_owner_launches_as_instructor(client: Client, world: Any, scene: Any) -> None:
    _course, _tool, placement, peer = scene
    client.force_login(world.authorised_user)
    answer, _request = _launch(client, placement, peer)
    claims = peer.receive(*read_form(answer.content.decode()), client.get(reverse("lti:jwks")).json(), SITE)
    assert claims["https://purl.imsglobal.org/spec/lti/claim/roles"] == [
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
    ]


def test_the_peer_refuses_a_token_we_did_not_sign(client: Client, world: Any, scene: Any) -> None:
    # The peer's check is real: a token changed on the way fails it.
    _course, _tool, placement, peer = scene
    client.force_login(world.learner)
    answer, _request = _launch(client, placement, peer)
    action, fields = read_form(answer.content.decode())
    header, _payload, signature = fields["id_token"].split(".")
    claims = jwt.decode(fields["id_token"], options={"verify_signature": False})
    claims["https://purl.imsglobal.org/spec/lti/claim/roles"] = ["Administrator"]
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        peer.receive(
            action,
            fields | {"id_token": f"{header}.{forged}.{signature}"},
            client.get(reverse("lti:jwks")).json(),
            SITE,
        )


def test_someone_not_enrolled_cannot_open_the_tool(client: Client, world: Any, scene: Any) -> None:
    _course, _tool, placement, _peer = scene
    client.force_login(world.outsider)
    assert client.get(reverse("learning:lti_launch_tool", args=[placement.pk])).status_code == 403
    assert (
        client.get(reverse("learning:lti_course_tools", args=[placement.course.identifier])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"redirect_uri": "https://evil.example.com/steal"}, "an address it was not registered with"),
        ({"client_id": "someone-else"}, "No registered tool has this client ID"),
        ({"lti_message_hint": "forged"}, "expired or was altered"),
        ({"response_type": "code"}, "not an LTI 1.3 authentication request"),
        ({"nonce": ""}, "not an LTI 1.3 authentication request"),
    ],
)
def test_an_authentication_request_we_did_not_start_gets_no_token(
    client: Client, world: Any, scene: Any, change: dict[str, str], message: str
) -> None:
    _course, _tool, placement, peer = scene
    client.force_login(world.learner)
    initiation = client.get(reverse("learning:lti_launch_tool", args=[placement.pk]))
    request = peer.authentication_request(initiation["Location"], SITE) | change
    answer = client.get(reverse("lti:authorize"), request)
    assert answer.status_code == 403
    assert message in answer.content.decode()
    assert 'name="id_token"' not in answer.content.decode()


def test_the_token_is_only_for_the_person_who_opened_the_tool(client: Client, world: Any, scene: Any) -> None:
    _course, _tool, placement, peer = scene
    client.force_login(world.learner)
    initiation = client.get(reverse("learning:lti_launch_tool", args=[placement.pk]))
    request = peer.authentication_request(initiation["Location"], SITE)
    other = Client()
    other.force_login(world.outsider)
    answer = other.get(reverse("lti:authorize"), request)
    assert answer.status_code == 403
    assert "Sign in as the person who opened the tool" in answer.content.decode()


def test_the_key_set_publishes_public_keys_only(client: Client, scene: Any) -> None:
    keys = client.get(reverse("lti:jwks")).json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["alg"] == "RS256"
    assert "d" not in keys[0]
    assert "p" not in keys[0]


def test_a_rotated_key_signs_new_launches_while_the_old_one_still_verifies(client: Client, db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    from clearinghouse.learning import lti

    old = lti.signing_key()
    call_command("lti-keys", "--rotate", stdout=StringIO())
    kids = {key["kid"] for key in client.get(reverse("lti:jwks")).json()["keys"]}
    assert old.kid in kids
    assert lti.signing_key().kid != old.kid
    assert lti.signing_key().kid in kids
    call_command("lti-keys", "--retire-old", stdout=StringIO())
    assert [key["kid"] for key in client.get(reverse("lti:jwks")).json()["keys"]] == [lti.signing_key().kid]
