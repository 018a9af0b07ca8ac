"""The other side of LTI 1.3, written independently of lti.py and PyLTI1p3 (PyJWT and
cryptography only, from the specification), for the round-trip tests:

- ``PeerTool``: a minimal tool our platform launches. It receives our login initiation, makes
  the authentication request, and checks the id_token we post against our published JWKS.
- ``PeerPlatform``: a minimal platform (a Moodle) that launches our courses. It serves its key
  set over HTTP on loopback, initiates the login, answers our authentication request with an
  id_token it signs.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


class _FormReader(HTMLParser):
    """The forms of a page: each one's action and hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((values.get("action", ""), {}))
        elif tag == "input" and values.get("type") == "hidden" and values.get("name") and self.forms:
            self.forms[-1][1][values["name"]] = values.get("value", "")


def read_form(html: str) -> tuple[str, dict[str, str]]:
    """The form that carries an id_token, as the browser would post it."""
    reader = _FormReader()
    reader.feed(html)
    return next((action, fields) for action, fields in reader.forms if "id_token" in fields)


@dataclass
class PeerTool:
    """A tool registered on our platform with this client id and these addresses."""

    client_id: str
    login_url: str = "https://tool.example.net/lti/login"
    launch_url: str = "https://tool.example.net/lti/launch"
    states: dict[str, str] = field(default_factory=dict)

    def authentication_request(self, initiation: str, platform_issuer: str) -> dict[str, str]:
        """From our third-party login initiation (the redirect to the tool's login URL), the
        tool's authentication request parameters (sent back to the platform's auth URL)."""
        assert initiation.startswith(self.login_url)
        login = query_of(initiation)
        assert login["iss"] == platform_issuer
        assert login["client_id"] == self.client_id
        assert login["target_link_uri"] == self.launch_url
        state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        self.states[state] = nonce
        return {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": self.client_id,
            "redirect_uri": self.launch_url,
            "login_hint": login["login_hint"],
            "lti_message_hint": login["lti_message_hint"],
            "state": state,
            "nonce": nonce,
        }

    def receive(
        self, action: str, fields: dict[str, str], jwks: dict[str, Any], platform_issuer: str
    ) -> dict[str, Any]:
        """Check the posted launch as a tool must (spec section 5.1.3): the state is ours, the
        token is signed by a key of the platform's set, for us, fresh, with our nonce, and an
        LTI 1.3 resource link request. The verified claims."""
        assert action == self.launch_url
        nonce = self.states.pop(fields["state"])
        kid = jwt.get_unverified_header(fields["id_token"])["kid"]
        key = next(k for k in jwks["keys"] if k["kid"] == kid)
        public_key = RSAAlgorithm.from_jwk(json.dumps(key))
        claims: dict[str, Any] = jwt.decode(
            fields["id_token"],
            public_key,  # type: ignore[arg-type]
            algorithms=["RS256"],
            audience=self.client_id,
            issuer=platform_issuer,
            options={"require": ["exp", "iat", "sub", "nonce"]},
        )
        assert claims["nonce"] == nonce
        assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
        assert claims[LTI + "version"] == "1.3.0"
        assert claims[LTI + "resource_link"]["id"]
        return claims


class _KeySetHandler(BaseHTTPRequestHandler):
    body: bytes = b"{}"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


class PeerPlatform:
    """A platform that launches our courses, its JWKS served on loopback while in use."""

    issuer = "https://moodle.example.org"
    auth_login_url = "https://moodle.example.org/mod/lti/auth.php"
    auth_token_url = "https://moodle.example.org/mod/lti/token.php"

    def __init__(self, client_id: str = "moodle-tool-7", deployment_id: str = "3") -> None:
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.kid = "moodle-" + secrets.token_hex(4)
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        keyset = {"keys": [public | {"kid": self.kid, "alg": "RS256", "use": "sig"}]}
        handler = type("KeySet", (_KeySetHandler,), {"body": json.dumps(keyset).encode()})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def key_set_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/keys"

    def __enter__(self) -> PeerPlatform:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def login_initiation(self, target_link_uri: str, login_hint: str = "user-42") -> dict[str, str]:
        return {
            "iss": self.issuer,
            "login_hint": login_hint,
            "target_link_uri": target_link_uri,
            "lti_message_hint": "resource-9",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def id_token(
        self,
        auth_request: dict[str, str],
        *,
        sub: str = "user-42",
        custom: dict[str, str] | None = None,
        deployment_id: str | None = None,
        sign_with: Any = None,
        change: Callable[[dict[str, Any]], None] | None = None,
    ) -> str:
        """Answer the tool's authentication request (what Moodle's auth.php does)."""
        assert auth_request["client_id"] == self.client_id
        assert auth_request["response_type"] == "id_token"
        assert auth_request["scope"] == "openid"
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 60,
            "nonce": auth_request["nonce"],
            "given_name": "Amina",
            "family_name": "Odhiambo",
            "email": "amina@moodle.example.org",
            "locale": "fr",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": deployment_id or self.deployment_id,
            LTI + "target_link_uri": auth_request["redirect_uri"],
            LTI + "resource_link": {"id": "resource-9", "title": "Invasive species course"},
            LTI + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            LTI + "context": {"id": "moodle-course-12", "title": "Biodiversity officers"},
            LTI + "custom": custom or {},
        }
        if change:
            change(claims)
        key = sign_with or self.private_key
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": self.kid})
