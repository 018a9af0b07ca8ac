"""LTI 1.3 in both directions (https://www.imsglobal.org/spec/lti/v1p3/).

**We are the platform** (a learner launches an external tool the Secretariat registered and a
course's owner attached): OIDC third-party initiated login to the tool, the tool's
authentication request back to us, and an RS256 id_token with an LtiResourceLinkRequest posted
to the tool. Written with PyJWT and cryptography: the one Python platform library
(lti1p3platform) is pre-1.0, renders its Django pages with Jinja2 and leaves the checks of the
authentication request (client, redirect address, user, nonce) to its caller anyway; those
checks and the token are what this module holds.

**We are the tool** (Moodle or a national platform launches one of our courses): PyLTI1p3
validates the login and the launch (state, nonce, signature against the platform's key set,
deployment); this module reads the registrations from the database, links the platform's
person to an account here and enrols them.

Our keys (``LtiKey``) sign our id_tokens and are published at /learning/lti/jwks.json.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import rules
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from jwt.algorithms import RSAAlgorithm
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from clearinghouse.accounts.models import User
from clearinghouse.accounts.permissions import is_secretariat
from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.env import origin as origin  # scheme://host[:port]; lti_views asks it too
from clearinghouse.learning import xapi
from clearinghouse.learning.models import (
    Course,
    Enrolment,
    EnrolmentMethod,
    EnrolmentStatus,
    LtiKey,
    LtiLink,
    LtiPlacement,
    LtiPlatform,
    LtiTool,
)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLE_LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
ROLE_INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
COURSE_OFFERING = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"
ID_TOKEN_LIFETIME = 300
HINT_MAX_AGE = 600
_HINT_SALT = "learning.lti.hint"
_CONTINUE_SALT = "learning.lti.continue"
# The origin of the platform a learner was launched from, in their session: pages of the
# learning area may then be framed by that platform (EmbeddedByPlatformMiddleware).
FRAME_ORIGIN = "learning_lti_frame_origin"

rules.add_perm("learning.manage_lti", is_secretariat)


class LaunchRefusedError(Exception):
    """An LTI message we do not accept; the message is for the person, in their language."""


# --- keys ----------------------------------------------------------------------------------------


def new_key() -> LtiKey:
    """A fresh 2048-bit RSA key pair, the one launches are signed with from now on."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return LtiKey.objects.create(
        private_pem=private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
        public_pem=private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
    )


def signing_key() -> LtiKey:
    """The newest key not retired, made the first time one is needed."""
    with transaction.atomic():
        key = LtiKey.objects.select_for_update().filter(retired_at__isnull=True).first()
        return key or new_key()


def jwks() -> dict[str, list[dict[str, Any]]]:
    """Our public keys as a JSON Web Key Set."""
    signing_key()
    keys = []
    for key in LtiKey.objects.filter(retired_at__isnull=True):
        public = serialization.load_pem_public_key(key.public_pem.encode())
        jwk = json.loads(RSAAlgorithm.to_jwk(public))  # type: ignore[arg-type]  # an RSA key, made by new_key
        keys.append(jwk | {"kid": key.kid, "alg": "RS256", "use": "sig"})
    return {"keys": keys}


def issuer() -> str:
    """This platform's issuer identifier: its public address."""
    return str(settings.SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    return issuer() + path


# --- platform: launching an external tool --------------------------------------------------------


def can_launch(user: Any, placement: LtiPlacement) -> bool:
    """Learners enrolled in the course (not withdrawn) and the course's owners launch its tools."""
    if not placement.tool.active or not getattr(user, "is_authenticated", False):
        return False
    if _teaches(user, placement.course):
        return True
    return (
        Enrolment.objects.filter(course=placement.course, person=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .exists()
        and placement.course.live
    )


def _teaches(user: Any, course: Course) -> bool:
    return bool(user.has_perm("records.draft", course))


def login_initiation(placement: LtiPlacement, user: User) -> str:
    """The address of the tool's OIDC login with our third-party initiated login request."""
    if not can_launch(user, placement):
        raise PermissionDenied(_("Only learners enrolled in this course can open its tools."))
    tool = placement.tool
    params = {
        "iss": issuer(),
        "login_hint": signing.dumps({"user": user.pk}, salt=_HINT_SALT),
        "target_link_uri": tool.launch_url,
        "lti_message_hint": signing.dumps({"placement": placement.pk}, salt=_HINT_SALT),
        "client_id": tool.client_id,
        "lti_deployment_id": tool.deployment_id,
    }
    separator = "&" if urlsplit(tool.login_url).query else "?"
    return tool.login_url + separator + urlencode(params)


@dataclass(frozen=True)
class ToolLaunch:
    """What to post to the tool: the id_token and the state, to its redirect address."""

    redirect_uri: str
    id_token: str
    state: str


def _hint(value: str, field: str) -> int:
    expired = _("This launch has expired or was altered; open the tool again from the course.")
    try:
        data = signing.loads(value, salt=_HINT_SALT, max_age=HINT_MAX_AGE)
    except signing.BadSignature as error:
        raise LaunchRefusedError(expired) from error
    if not isinstance(data, dict) or not isinstance(data.get(field), int):
        raise LaunchRefusedError(expired)
    return int(data[field])


def authenticate(params: Mapping[str, str], user: Any) -> ToolLaunch:
    """Answer a tool's OIDC authentication request with a signed LtiResourceLinkRequest.
    LaunchRefusedError when the request is not one we started for this person and this tool."""
    if params.get("scope") != "openid" or params.get("response_type") != "id_token":
        raise LaunchRefusedError(_("The tool's request is not an LTI 1.3 authentication request."))
    if params.get("response_mode", "form_post") != "form_post" or not params.get("nonce"):
        raise LaunchRefusedError(_("The tool's request is not an LTI 1.3 authentication request."))
    tool = LtiTool.objects.filter(client_id=params.get("client_id", ""), active=True).first()
    if tool is None:
        raise LaunchRefusedError(_("No registered tool has this client ID."))
    redirect_uri = params.get("redirect_uri", "")
    if not tool.accepts_redirect(redirect_uri):
        raise LaunchRefusedError(
            _("The tool asked for the launch to go to an address it was not registered with.")
        )
    if not getattr(user, "is_authenticated", False) or _hint(params.get("login_hint", ""), "user") != user.pk:
        raise LaunchRefusedError(_("Sign in as the person who opened the tool, then open it again."))
    placement = (
        LtiPlacement.objects.select_related("course", "tool")
        .filter(pk=_hint(params.get("lti_message_hint", ""), "placement"), tool=tool)
        .first()
    )
    if placement is None or not can_launch(user, placement):
        raise LaunchRefusedError(_("Only learners enrolled in this course can open its tools."))
    return ToolLaunch(redirect_uri, id_token(placement, user, nonce=params["nonce"]), params.get("state", ""))


def id_token(placement: LtiPlacement, user: User, *, nonce: str) -> str:
    """The signed LtiResourceLinkRequest for this person and this placement."""
    course = placement.course
    tool = placement.tool
    key = signing_key()
    now = int(time.time())
    title = xapi.language_map(course.title)
    language = content_language()
    claims: dict[str, Any] = {
        "iss": issuer(),
        "aud": tool.client_id,
        "azp": tool.client_id,
        "sub": xapi.pseudonym(user.pk),
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "nonce": nonce,
        "locale": xapi.tag(language),
        LTI + "message_type": "LtiResourceLinkRequest",
        LTI + "version": "1.3.0",
        LTI + "deployment_id": tool.deployment_id,
        LTI + "target_link_uri": tool.launch_url,
        LTI + "resource_link": {"id": str(placement.resource_link_id), "title": placement.title},
        LTI + "roles": [ROLE_INSTRUCTOR if _teaches(user, course) else ROLE_LEARNER],
        LTI + "context": {
            "id": course.identifier,
            "label": course.identifier,
            "title": title.get(xapi.tag(language)) or next(iter(title.values()), course.identifier),
            "type": [COURSE_OFFERING],
        },
        LTI + "tool_platform": {"guid": issuer(), "name": xapi.PLATFORM, "url": issuer()},
        LTI + "launch_presentation": {"document_target": "window", "locale": xapi.tag(language)},
    }
    return jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})


# --- tool: launched by another platform ----------------------------------------------------------


class PlatformRegistrations(ToolConfAbstract[Any]):
    """PyLTI1p3's tool configuration read from the registered platforms (one issuer may have
    several client IDs)."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _platform(self, iss: str, client_id: str | None) -> LtiPlatform | None:
        platforms = LtiPlatform.objects.filter(issuer=iss, active=True)
        if client_id:
            return platforms.filter(client_id=client_id).first()
        # A login without client_id: only unambiguous when the issuer has one registration.
        found = list(platforms[:2])
        return found[0] if len(found) == 1 else None

    # PyLTI1p3 declares Registration but checks for None: no registration, no launch.
    def find_registration_by_issuer(  # type: ignore[override]
        self, iss: str, *args: Any, **kwargs: Any
    ) -> Registration | None:
        return self.find_registration_by_params(iss, None, *args, **kwargs)

    def find_registration_by_params(  # type: ignore[override]
        self, iss: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Registration | None:
        platform = self._platform(iss, client_id)
        if platform is None:
            return None
        key = signing_key()
        registration = Registration()
        registration.set_issuer(platform.issuer).set_client_id(platform.client_id)
        registration.set_auth_login_url(platform.auth_login_url).set_auth_token_url(platform.auth_token_url)
        registration.set_key_set_url(platform.key_set_url)
        registration.set_tool_private_key(key.private_pem).set_tool_public_key(key.public_pem)
        return registration

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        platform = self._platform(iss, client_id)
        if platform is None or deployment_id not in (platform.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)


def launch_url() -> str:
    return absolute(reverse("lti:launch"))


def course_named(launch: Mapping[str, Any]) -> Course:
    """The course a launch asks for: the custom parameter ``course`` (an identifier), else a
    ``course`` in the target link's query. LaunchRefusedError when it names no published course."""
    custom = launch.get(LTI + "custom") or {}
    identifier = str(custom.get("course") or "").strip() if isinstance(custom, Mapping) else ""
    if not identifier:
        query = parse_qs(urlsplit(str(launch.get(LTI + "target_link_uri") or "")).query)
        identifier = (query.get("course") or [""])[0].strip()
    if not identifier:
        raise LaunchRefusedError(
            _("The link does not say which course to open: add the custom parameter course=<identifier>.")
        )
    course = Course.objects.filter(identifier=identifier.upper(), live=True).first()
    if course is None:
        raise LaunchRefusedError(
            _("No published course has the identifier %(identifier)s.") % {"identifier": identifier}
        )
    return course


def _new_account(launch: Mapping[str, Any]) -> User:
    """An account for a person known only to another platform: it signs in only through that
    platform. Their e-mail is kept only when no account here has it: a platform's word is not
    enough to take over an existing account."""
    suffix = secrets.token_hex(8)
    email = str(launch.get("email") or "").strip().lower()
    if not email or User.objects.filter(email__iexact=email).exists():
        email = f"lti-{suffix}@lti.invalid"
    user = User(
        username=f"lti-{suffix}",
        email=email,
        first_name=str(launch.get("given_name") or "")[:150],
        last_name=str(launch.get("family_name") or "")[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


@dataclass(frozen=True)
class Launched:
    user: User
    enrolment: Enrolment
    created_user: bool
    platform_origin: str


def first_use(launch: Mapping[str, Any]) -> None:
    """LaunchRefusedError when this id_token was already used. PyLTI1p3 accepts the same
    (state, id_token) again while its launch data lives (to re-read a launch), so a launch
    copied from someone's browser would sign the copier in: each nonce is used once."""
    nonce = hashlib.sha256(f"{launch.get('iss')}|{launch.get('nonce')}".encode()).hexdigest()
    lifetime = max(int(launch.get("exp") or 0) - int(time.time()), 0) + 600
    if not cache.add(f"learning-lti-nonce:{nonce}", 1, timeout=lifetime):
        raise LaunchRefusedError(_("This launch was already used: open the course again from your platform."))


@transaction.atomic
def accept_launch(launch: Mapping[str, Any], platform: LtiPlatform) -> Launched:
    """Sign in (or create) the person linked to (issuer, subject) and enrol them in the course
    the launch names. ``launch`` is the id_token PyLTI1p3 validated."""
    course = course_named(launch)
    first_use(launch)
    subject = str(launch.get("sub") or "")
    if not subject:
        raise LaunchRefusedError(_("The launch does not say who the person is."))
    link = LtiLink.objects.select_for_update().filter(issuer=platform.issuer, subject=subject).first()
    created = link is None
    if link is None:
        link = LtiLink.objects.create(
            issuer=platform.issuer, subject=subject, user=_new_account(launch), platform=platform
        )
    link.last_launch_at = timezone.now()
    link.save(update_fields=["last_launch_at"])
    user = link.user
    if not user.is_active:
        raise LaunchRefusedError(_("This account is closed."))
    wanted = content_language(str(launch.get("locale") or "").replace("_", "-").split("-")[0])
    languages = list(course.languages or [])
    language = (
        wanted
        if wanted in languages
        else (course.original_language if course.original_language in languages else (languages or ["en"])[0])
    )
    enrolment, _made = Enrolment.objects.get_or_create(
        course=course,
        person=user,
        defaults={
            "method": EnrolmentMethod.LTI,
            "language": language if language in CONTENT_LANGUAGES else "en",
        },
    )
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.save(update_fields=["status"])
    return Launched(user, enrolment, created, origin(platform.auth_login_url))


def platform_of(launch: Mapping[str, Any]) -> LtiPlatform:
    audience = launch.get("aud")
    client_id = audience[0] if isinstance(audience, list) and audience else audience
    platform = LtiPlatform.objects.filter(issuer=launch.get("iss"), client_id=client_id, active=True).first()
    if platform is None:
        raise LaunchRefusedError(_("This platform is not registered here."))
    return platform


def study_url(course: Course) -> str:
    """Where a launched learner studies: the study page, else the course page, else its
    stable address (whichever this deployment has)."""
    for name in ("learning:study", "learning:course"):
        try:
            return reverse(name, args=[course.identifier])
        except NoReverseMatch:
            continue
    return reverse("resolve", args=[course.identifier])


def continue_token(user: User, next_url: str) -> str:
    """A link that signs the launched person in at the top level (a new window), once, within
    two minutes: browsers that block cookies in frames still let them study."""
    return signing.dumps({"user": user.pk, "next": next_url, "n": secrets.token_hex(8)}, salt=_CONTINUE_SALT)


def use_continue_token(token: str) -> tuple[User, str]:
    try:
        data = signing.loads(token, salt=_CONTINUE_SALT, max_age=120)
    except signing.BadSignature as error:
        raise ValidationError(
            _("This link has expired; open the course again from your platform.")
        ) from error
    digest = hashlib.sha256(token.encode()).hexdigest()
    if not cache.add(f"learning-lti-continue:{digest}", 1, timeout=300):
        raise ValidationError(_("This link has already been used; open the course again from your platform."))
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    next_url = str(data.get("next") or "")
    if user is None or not next_url.startswith("/"):
        raise ValidationError(_("This link has expired; open the course again from your platform."))
    return user, next_url


# --- framing ---------------------------------------------------------------------------------------


def _framed_path(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 2 and "learning" in parts[1:3]


class EmbeddedByPlatformMiddleware:
    """Lets the platform a learner was launched from show the learning pages in its frame:
    only that platform's origin, only pages of the learning area, only in that session.
    Everything else keeps X-Frame-Options DENY and frame-ancestors 'none'."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if _framed_path(request.path_info) and hasattr(request, "session"):
            allowed = request.session.get(FRAME_ORIGIN)
            if allowed:
                response.xframe_options_exempt = True
                response._csp_replace = {"frame-ancestors": [allowed]}  # type: ignore[attr-defined]
        return response
