"""The Secretariat registers external tools and platforms; a course's owners attach tools to
it; bad registrations are refused with a reason and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from clearinghouse.learning.models import LtiPlacement, LtiPlatform, LtiTool
from clearinghouse.learning.tests.xapi_factories import enrol, published_course


def _tool(**overrides: str) -> dict[str, str]:
    return {
        "name": "Species identification lab",
        "client_id": "lab-client",
        "deployment_id": "1",
        "login_url": "https://tool.example.net/lti/login",
        "launch_url": "https://tool.example.net/lti/launch",
        "redirect_uris_text": "https://tool.example.net/lti/launch2",
        "jwks_url": "https://tool.example.net/lti/jwks",
        "public_key": "",
        "active": "on",
    } | overrides


def test_the_secretariat_registers_a_tool_and_sees_what_to_give_it(client: Client, world: Any) -> None:
    client.force_login(world.secretariat)
    page = client.get(reverse("learning:lti_tools"))
    assert page.status_code == 200
    assert "/learning/lti/jwks.json" in page.content.decode()
    assert "/learning/lti/authorize/" in page.content.decode()
    response = client.post(reverse("learning:lti_tools"), _tool())
    assert response.status_code == 302
    tool = LtiTool.objects.get()
    assert tool.accepts_redirect("https://tool.example.net/lti/launch2")
    assert not tool.accepts_redirect("https://tool.example.net/other")
    assert tool.created_by == world.secretariat


def test_a_tool_with_a_public_key_instead_of_a_key_set(client: Client, world: Any) -> None:
    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    client.force_login(world.secretariat)
    assert client.post(reverse("learning:lti_tools"), _tool(jwks_url="", public_key=pem)).status_code == 302
    assert LtiTool.objects.get().public_key.startswith("-----BEGIN PUBLIC KEY-----")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"launch_url": "http://tool.example.net/lti/launch"}, "Give an https:// address."),
        ({"jwks_url": "", "public_key": ""}, "Give the tool&#x27;s key set URL or its public key."),
        (
            {"jwks_url": "", "public_key": "-----BEGIN PUBLIC KEY-----\nnot a key\n"},
            "not a public key in PEM format",
        ),
        ({"redirect_uris_text": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_a_bad_tool_registration_is_refused(
    client: Client, world: Any, overrides: dict[str, str], message: str
) -> None:
    client.force_login(world.secretariat)
    response = client.post(reverse("learning:lti_tools"), _tool(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LtiTool.objects.exists()


def test_the_secretariat_registers_a_platform_with_its_deployments(client: Client, world: Any) -> None:
    client.force_login(world.secretariat)
    page = client.get(reverse("learning:lti_platforms"))
    assert "/learning/lti/login/" in page.content.decode()
    assert "/learning/lti/launch/" in page.content.decode()
    values = {
        "name": "Moodle KE",
        "issuer": "https://moodle.example.org",
        "client_id": "abc",
        "auth_login_url": "https://moodle.example.org/mod/lti/auth.php",
        "auth_token_url": "https://moodle.example.org/mod/lti/token.php",
        "key_set_url": "https://moodle.example.org/mod/lti/certs.php",
        "deployment_ids_text": "3\n4\n",
        "active": "on",
    }
    assert (
        client.post(reverse("learning:lti_platforms"), values | {"deployment_ids_text": ""}).status_code
        == 200
    )
    assert not LtiPlatform.objects.exists()
    assert client.post(reverse("learning:lti_platforms"), values).status_code == 302
    platform = LtiPlatform.objects.get()
    assert platform.deployment_ids == ["3", "4"]
    edit = client.post(
        reverse("learning:lti_platform", args=[platform.pk]), values | {"deployment_ids_text": "5"}
    )
    assert edit.status_code == 302
    platform.refresh_from_db()
    assert platform.deployment_ids == ["5"]


@pytest.mark.parametrize("who", ["learner", "trainer", "focal_point"])
def test_only_the_secretariat_registers_tools_and_platforms(client: Client, world: Any, who: str) -> None:
    client.force_login(getattr(world, who))
    assert client.get(reverse("learning:lti_tools")).status_code == 403
    assert client.post(reverse("learning:lti_tools"), _tool()).status_code == 403
    assert client.get(reverse("learning:lti_platforms")).status_code == 403
    assert not LtiTool.objects.exists()


def test_owners_attach_a_tool_once_and_learners_see_it(client: Client, world: Any) -> None:
    course = published_course(world)
    tool = LtiTool.objects.create(
        name="Lab", login_url="https://t.example/l", launch_url="https://t.example/x"
    )
    page = reverse("learning:lti_course_tools", args=[course.identifier])
    client.force_login(world.authorised_user)
    assert client.post(page, {"tool": tool.pk, "title": "Virtual lab"}).status_code == 302
    again = client.post(page, {"tool": tool.pk, "title": "Again"})
    assert "already attached" in again.content.decode()
    assert LtiPlacement.objects.count() == 1

    enrol(course, world.learner)
    client.force_login(world.learner)
    seen = client.get(page).content.decode()
    assert "Launch Virtual lab" in seen
    assert "Attach a tool" not in seen
    assert client.post(page, {"remove": LtiPlacement.objects.get().pk}).status_code == 403

    client.force_login(world.authorised_user)
    assert client.post(page, {"remove": LtiPlacement.objects.get().pk}).status_code == 302
    assert not LtiPlacement.objects.exists()


def test_the_course_page_link_to_its_tools_shows_to_learners_and_owners_only(world: Any) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    course = published_course(world)
    tool = LtiTool.objects.create(
        name="Lab", login_url="https://t.example/l", launch_url="https://t.example/x"
    )
    LtiPlacement.objects.create(course=course, tool=tool, title="Virtual lab")
    enrol(course, world.learner)
    snippet = Template("{% load learning_lti %}{% course_tools_link course %}")

    def shown_to(user: Any) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return snippet.render(Context({"request": request, "course": course}))

    assert "Tools of the course" in shown_to(world.learner)
    assert "Tools of the course" in shown_to(world.authorised_user)
    assert shown_to(world.outsider) == ""
