"""Open Badges 3.0: a certificate as an OpenBadgeCredential, valid against 1EdTech's published
JSON Schema; the same credential signed as a VC-JWT that verifies with the published key; its
revocation list names it once it is revoked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings

from clearinghouse.core.testing import World
from clearinghouse.learning import badges, certificates
from clearinghouse.learning.models import CourseCertificate
from clearinghouse.learning.tests.cert_factories import complete, enrol, make_course

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "ob_v3p0_achievementcredential_schema.json").read_text()
)


@pytest.fixture(autouse=True)
def _signing_key() -> Iterator[None]:
    """A key of the test's own: the generated one would be written into var/."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with override_settings(LEARNING_BADGE_KEY=pem):
        yield


def _certificate(world: World, language: str = "en") -> CourseCertificate:
    world.learner.first_name, world.learner.last_name = "Wanjiku", "Mwangi"
    world.learner.save()
    enrolment = complete(enrol(make_course(world), world.learner, language=language))
    return CourseCertificate.objects.get(enrolment=enrolment)


def _validate(document: dict[str, object]) -> None:
    validator = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors]


def test_the_vendored_schema_rejects_what_is_not_a_badge() -> None:
    # Guards the test itself: a schema that accepted anything would prove nothing.
    validator = jsonschema.Draft201909Validator(SCHEMA)
    assert not validator.is_valid({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["X"]})


@pytest.mark.parametrize("language", ["en", "ar", "zh"])
def test_the_badge_is_an_open_badge_credential_valid_against_the_schema(
    world: World, client: Client, language: str
) -> None:
    certificate = _certificate(world, language)
    response = client.get(f"/en/learning/verify/{certificate.code}/badge.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    _validate(document)
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    # Its id is the certificate's public page, in the language of study.
    prefix = {"zh": "zh"}.get(language, language)
    assert document["id"] == f"http://127.0.0.1:8000/{prefix}/learning/verify/{certificate.code}/"
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Course"
    assert achievement["name"] == certificates.course_title(certificate.enrolment.course, language)
    assert achievement["criteria"]["narrative"]
    identities = {item["identityType"]: item for item in document["credentialSubject"]["identifier"]}
    assert identities["name"]["identityHash"] == "Wanjiku Mwangi"
    # The e-mail address is never published, only its salted hash.
    assert world.learner.email not in response.content.decode()
    assert identities["emailAddress"]["hashed"] is True
    assert document["credentialStatus"]["type"] == "1EdTechRevocationList"


def test_the_signed_badge_verifies_with_the_published_key(world: World, client: Client) -> None:
    certificate = _certificate(world)
    # Asked in French: the key and the issuer keep one address whatever the page's language.
    token = client.get(f"/fr/learning/verify/{certificate.code}/badge.jwt").content.decode()
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    assert header["kid"] == "http://127.0.0.1:8000/en/learning/badges/key.json"
    jwk = json.loads(client.get("/en/learning/badges/key.json").content)
    assert "d" not in jwk  # the public half only
    key = jwt.PyJWK(jwk).key
    claims = jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})
    assert claims["jti"] == claims["id"] == f"http://127.0.0.1:8000/en/learning/verify/{certificate.code}/"
    assert claims["iss"] == claims["issuer"]["id"] == "http://127.0.0.1:8000/en/learning/badges/issuer.json"
    assert claims["sub"] == claims["credentialSubject"]["id"]
    assert claims["nbf"] == int(certificate.issued_at.timestamp())
    _validate({name: value for name, value in claims.items() if name not in {"iss", "jti", "nbf", "sub"}})
    # A token changed by hand does not verify.
    head, payload, signature = token.split(".")
    forged = ".".join([head, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature])
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(forged, key, algorithms=["RS256"])


def test_the_revocation_list_names_the_badge_once_revoked(world: World, client: Client) -> None:
    certificate = _certificate(world)
    status_url = json.loads(client.get(f"/en/learning/verify/{certificate.code}/badge.json").content)[
        "credentialStatus"
    ]["id"]
    path = status_url.removeprefix("http://127.0.0.1:8000")
    assert json.loads(client.get(path).content)["revokedCredentials"] == []
    certificates.revoke(certificate, actor=world.secretariat, reason="Identity not confirmed")
    revoked = json.loads(client.get(path).content)["revokedCredentials"]
    assert [entry["id"] for entry in revoked] == [badges.credential(certificate)["id"]]
    assert revoked[0]["revocationReason"] == "Identity not confirmed"


def test_the_issuer_profile_is_published(client: Client, db: None) -> None:
    profile = json.loads(client.get("/en/learning/badges/issuer.json").content)
    assert profile["type"] == ["Profile"]
    assert profile["id"] == "http://127.0.0.1:8000/en/learning/badges/issuer.json"


def test_an_unknown_code_has_no_badge(client: Client, db: None) -> None:
    assert client.get("/en/learning/verify/AAAA-BBBB-CCCC/badge.json").status_code == 404
    assert client.get("/en/learning/verify/AAAA-BBBB-CCCC/badge.jwt").status_code == 404
