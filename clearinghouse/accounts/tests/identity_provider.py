"""A standards-compliant OpenID provider on 127.0.0.1, for the sign-in tests.

pyop does the protocol (discovery, authorization with PKCE, code exchange with client
authentication, signed ID tokens, userinfo); a small WSGI app serves it from a thread. The
person "signed in" at the provider is chosen by the test, and approves every request at once.
"""

from __future__ import annotations

import base64
import functools
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from Cryptodome.PublicKey import RSA
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import BearerTokenError, InvalidAccessToken, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@functools.cache
def _signing_key() -> RSA.RsaKey:
    """One RSA key for the test run: generating one takes a second."""
    return RSA.generate(2048)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class LoopbackProvider:
    client_id: str
    client_secret: str
    redirect_uri: str
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Who is signed in at the provider: their requests are approved at once.
    signed_in_as: str = ""
    # Change one claim of the next ID token after it is signed, as an attacker in the middle would.
    tamper_next_id_token: bool = False
    issuer: str = ""
    requests_seen: list[str] = field(default_factory=list)

    def start(self, server: WSGIServer) -> None:
        self.issuer = f"http://127.0.0.1:{server.server_port}"
        key = RSAKey(key=_signing_key(), kid="loopback-signing-key", alg="RS256", use="sig")
        configuration = {
            # oic checks that an issuer speaks https; this one, on loopback, speaks plain http
            # (no certificate for the test to trust), and says so once the check is done.
            "issuer": self.issuer.replace("http://", "https://", 1),
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "given_name", "family_name"],
        }
        clients = {
            self.client_id: {
                "client_secret": self.client_secret,
                "redirect_uris": [self.redirect_uri],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_post",
            }
        }
        self.provider = Provider(
            key,
            configuration,
            AuthorizationState(HashBasedSubjectIdentifierFactory("loopback")),
            clients,
            Userinfo(self.people),
        )
        self.provider.configuration_information["issuer"] = self.issuer

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        query = environ.get("QUERY_STRING", "")
        self.requests_seen.append(path)
        headers = {"Authorization": environ["HTTP_AUTHORIZATION"]} if "HTTP_AUTHORIZATION" in environ else {}
        try:
            if path == "/.well-known/openid-configuration":
                return self._json(start_response, self.provider.provider_configuration.to_dict())
            if path == "/jwks":
                return self._json(start_response, self.provider.jwks)
            if path == "/authorize":
                request = self.provider.parse_authentication_request(query)
                response = self.provider.authorize(request, self.signed_in_as)
                start_response("302 Found", [("Location", response.request(request["redirect_uri"]))])
                return [b""]
            if path == "/token":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                body = environ["wsgi.input"].read(length).decode()
                tokens = self.provider.handle_token_request(body, headers).to_dict()
                if self.tamper_next_id_token:
                    self.tamper_next_id_token = False
                    tokens["id_token"] = _tampered(tokens["id_token"])
                return self._json(start_response, tokens)
            if path == "/userinfo":
                claims = self.provider.handle_userinfo_request(query, headers).to_dict()
                return self._json(start_response, claims)
        except (OAuthError, InvalidAccessToken, BearerTokenError) as refused:
            return self._json(
                start_response, {"error": "invalid_request", "error_description": str(refused)}, 400
            )
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    @staticmethod
    def _json(start_response: StartResponse, data: Any, status: int = 200) -> Iterable[bytes]:
        reason = {200: "OK", 400: "Bad Request"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json")])
        return [json.dumps(data).encode()]


def _tampered(id_token: str) -> str:
    """The same token with its subject changed and the original signature kept."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@contextmanager
def loopback_provider(*, client_id: str, client_secret: str, redirect_uri: str) -> Iterator[LoopbackProvider]:
    """A provider serving on 127.0.0.1 for the duration of the block."""
    provider = LoopbackProvider(client_id=client_id, client_secret=client_secret, redirect_uri=redirect_uri)
    server = make_server("127.0.0.1", 0, provider, handler_class=_Quiet)
    provider.start(server)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
