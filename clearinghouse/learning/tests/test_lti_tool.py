"""We are the LTI 1.3 tool: an independent platform (lti_peer.PeerPlatform, a Moodle with its
key set served on loopback) launches one of our courses; the learner is signed in, enrolled and
shown the course in the platform's frame."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings
from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.learning.models import Enrolment, EnrolmentMethod, LtiLink, LtiPlatform
from clearinghouse.learning.tests.lti_peer import PeerPlatform, query_of
from clearinghouse.learning.tests.xapi_factories import published_course

SITE = "https://clearinghouse.example.org"
pytestmark = pytest.mark.usefixtures("_site")


@pytest.fixture
def _site() -> Any:
    with override_settings(SITE_URL=SITE):
        yield


@pytest.fixture
def moodle(world: Any) -> Any:
    with PeerPlatform() as peer:
        LtiPlatform.objects.create(
            name="Moodle of the Kenyan biodiversity officers",
            issuer=peer.issuer,
            client_id=peer.client_id,
            auth_login_url=peer.auth_login_url,
            auth_token_url=peer.auth_token_url,
            key_set_url=peer.key_set_url,
            deployment_ids=[peer.deployment_id],
        )
        yield peer


def _login(client: Client, peer: PeerPlatform, **hint: str) -> dict[str, str]:
    """The platform initiates the login; we answer with the authentication request."""
    response = client.post(reverse("lti:login"), peer.login_initiation(SITE + reverse("lti:launch"), **hint))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"].startswith(peer.auth_login_url)
    return query_of(response["Location"])


def _launch(client: Client, peer: PeerPlatform, **token: Any) -> Any:
    request = _login(client, peer, **({"login_hint": token["sub"]} if "sub" in token else {}))
    assert request["redirect_uri"] == SITE + reverse("lti:launch")
    assert request["client_id"] == peer.client_id
    return client.post(
        reverse("lti:launch"), {"id_token": peer.id_token(request, **token), "state": request["state"]}
    )


def test_moodle_launches_a_course_and_the_learner_studies_it_in_the_frame(
    client: Client, world: Any, moodle: PeerPlatform
) -> None:
    course = published_course(world)
    response = _launch(client, moodle, custom={"course": course.identifier})
    assert response.status_code == 200, response.content.decode()
    assert "You are enrolled in this course" in response.content.decode()

    link = LtiLink.objects.get(issuer=moodle.issuer, subject="user-42")
    user = link.user
    assert user.email == "amina@moodle.example.org"
    assert not user.has_usable_password()
    enrolment = Enrolment.objects.get(course=course, person=user)
    assert enrolment.method == EnrolmentMethod.LTI
    assert enrolment.language in course.languages
    assert int(client.session["_auth_user_id"]) == user.pk

    # Framed by Moodle, and only by Moodle, on the learning pages only.
    assert "X-Frame-Options" not in response
    assert "frame-ancestors https://moodle.example.org" in response["Content-Security-Policy"]
    tools_page = client.get(reverse("learning:lti_course_tools", args=[course.identifier]))
    assert tools_page.status_code == 200
    assert "X-Frame-Options" not in tools_page
    assert "frame-ancestors https://moodle.example.org" in tools_page["Content-Security-Policy"]
    elsewhere = client.get("/en/")
    assert elsewhere["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in elsewhere["Content-Security-Policy"]


def test_the_same_person_launching_again_is_the_same_learner(
    client: Client, world: Any, moodle: PeerPlatform
) -> None:
    course = published_course(world)
    _launch(client, moodle, custom={"course": course.identifier})
    again = Client()
    assert _launch(again, moodle, custom={"course": course.identifier}).status_code == 200
    assert LtiLink.objects.count() == 1
    assert Enrolment.objects.filter(course=course).count() == 1
    assert int(again.session["_auth_user_id"]) == LtiLink.objects.get().user_id


def test_the_course_can_be_named_in_the_target_link(client: Client, world: Any, moodle: PeerPlatform) -> None:
    course = published_course(world)
    target = SITE + reverse("lti:launch") + f"?course={course.identifier}"
    response = _launch(
        client,
        moodle,
        change=lambda claims: claims.update(
            {"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": target}
        ),
    )
    assert response.status_code == 200
    assert Enrolment.objects.filter(course=course, method=EnrolmentMethod.LTI).count() == 1


def test_a_platform_cannot_take_over_an_account_by_its_email(
    client: Client, world: Any, moodle: PeerPlatform
) -> None:
    course = published_course(world)
    response = _launch(
        client,
        moodle,
        sub="intruder",
        custom={"course": course.identifier},
        change=lambda claims: claims.update({"email": world.secretariat.email}),
    )
    assert response.status_code == 200
    user = LtiLink.objects.get(subject="intruder").user
    assert user.pk != world.secretariat.pk
    assert user.email.endswith("@lti.invalid")
    assert not Enrolment.objects.filter(person=world.secretariat).exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (
            {"sign_with": rsa.generate_private_key(public_exponent=65537, key_size=2048)},
            "could not be verified",
        ),
        ({"deployment_id": "not-ours"}, "could not be verified"),
        ({"custom": {}}, "does not say which course"),
        (
            {"custom": {"course": "CB-COURSE-XX-999999"}},
            "No published course has the identifier CB-COURSE-XX-999999",
        ),
        (
            {
                "change": lambda claims: claims.update(
                    {"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"}
                )
            },
            "could not be verified",
        ),
    ],
)
def test_a_launch_we_cannot_trust_or_follow_signs_nobody_in(
    client: Client, world: Any, moodle: PeerPlatform, token: dict[str, Any], message: str
) -> None:
    published_course(world)
    before = User.objects.count()
    response = _launch(client, moodle, **token)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session


def test_a_launch_replayed_is_refused(client: Client, world: Any, moodle: PeerPlatform) -> None:
    course = published_course(world)
    request = _login(client, moodle)
    posted = {
        "id_token": moodle.id_token(request, custom={"course": course.identifier}),
        "state": request["state"],
    }
    assert client.post(reverse("lti:launch"), posted).status_code == 200
    replay = Client()
    refused = replay.post(reverse("lti:launch"), posted)
    assert refused.status_code == 400
    assert "already used" in refused.content.decode()
    assert "_auth_user_id" not in replay.session


def test_an_unregistered_platform_cannot_start_a_login(
    client: Client, world: Any, moodle: PeerPlatform
) -> None:
    initiation = moodle.login_initiation(SITE + reverse("lti:launch")) | {
        "iss": "https://elsewhere.example.org"
    }
    response = client.post(reverse("lti:login"), initiation)
    assert response.status_code == 400
    assert "not registered here" in response.content.decode()


def test_the_new_window_link_signs_in_once(client: Client, world: Any, moodle: PeerPlatform) -> None:
    course = published_course(world)
    response = _launch(client, moodle, custom={"course": course.identifier})
    link = next(
        part.split('"')[0]
        for part in response.content.decode().split('href="')
        if part.startswith("/learning/lti/continue/")
    )
    window = Client()
    opened = window.get(link)
    assert opened.status_code == 302
    assert int(window.session["_auth_user_id"]) == LtiLink.objects.get().user_id
    assert Client().get(link).status_code == 400


def test_with_cookies_allowed_in_frames_the_launch_goes_straight_to_the_course(
    client: Client, world: Any, moodle: PeerPlatform
) -> None:
    course = published_course(world)
    with override_settings(LEARNING_LTI_IN_FRAMES=True):
        response = _launch(client, moodle, custom={"course": course.identifier})
    assert response.status_code == 302
    assert course.identifier in response["Location"]
    assert "frame-ancestors https://moodle.example.org" in response["Content-Security-Policy"]
