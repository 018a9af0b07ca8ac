"""Open Badges 3.0: a certificate of completion as an OpenBadgeCredential (a W3C Verifiable
Credential in JSON-LD), and the same credential signed as a VC-JWT.

The credential's ``id`` is the certificate's public verification address; its subject is the
learner, identified by name and by a salted hash of their e-mail address (the address itself is
never published); the achievement is the course ("Course" type) with its completion rule as
criteria. Revocation follows 1EdTech's Revocation List method: ``credentialStatus`` points to a
list of this one credential's revocation, empty until it is revoked.

Signing (OB 3.0, section 8.2, "JSON Web Token Proof Format"): RS256, the interoperable minimum,
with the private key PEM in the LEARNING_BADGE_KEY setting; without one, a key is generated once
and kept in VAR_DIR (for development: production sets its own, see docs/learning.md). The JOSE
header's ``kid`` is the address of the public key (a JWK).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from clearinghouse.core.mail import site_name, site_url
from clearinghouse.learning.certificates import (
    course_summary,
    course_title,
    holder_name,
    organisation_name,
    ui_language,
    verification_url,
)
from clearinghouse.learning.models import CompletionRule, CourseCertificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
MEDIA_TYPE = "application/ld+json"
KEY_FILE = "learning-badge-key.pem"


def _moment(value: Any) -> str:
    return str(value.replace(microsecond=0).isoformat().replace("+00:00", "Z"))


def _secret_digest(*parts: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), ":".join(parts).encode(), hashlib.sha256).hexdigest()


def _address(name: str, *args: str) -> str:
    """A stable address for identifiers (issuer, key, revocation list): in the site's default
    language, whatever the language of the request or of the credential."""
    with override(settings.LANGUAGE_CODE):
        return site_url(reverse(name, args=args))


def issuer() -> dict[str, Any]:
    """The platform as the issuing Profile (its address serves this same object)."""
    return {
        "id": _address("learning:badge_issuer"),
        "type": ["Profile"],
        "name": site_name(),
        "url": site_url("/"),
    }


def _criteria(rule: str) -> str:
    narratives: dict[str, str] = {
        CompletionRule.COMPLETED: _("Complete the course: open every lesson."),
        CompletionRule.PASSED: _("Complete the course: pass every quiz."),
        CompletionRule.COMPLETED_AND_PASSED: _("Complete the course: open every lesson and pass every quiz."),
    }
    return str(narratives.get(rule, narratives[CompletionRule.COMPLETED_AND_PASSED]))


def credential(certificate: CourseCertificate) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of a certificate, in the learner's language of study."""
    enrolment = certificate.enrolment
    course = enrolment.course
    language = enrolment.language
    person = enrolment.person
    salt = _secret_digest("badge-salt", certificate.code)[:16]
    email_hash = hashlib.sha256(f"{person.email.strip().lower()}{salt}".encode()).hexdigest()
    with override(ui_language(language)):
        title = course_title(course, language)
        achievement: dict[str, Any] = {
            "id": site_url(reverse("resolve", args=[course.identifier])),
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": title,
            "description": course_summary(course, language) or title,
            "criteria": {"narrative": _criteria(course.completion_rule)},
            "humanCode": course.identifier,
            "inLanguage": language,
        }
        offered_by = organisation_name(course, language)
        if offered_by:
            achievement["creator"] = {
                "id": site_url(reverse("resolve", args=[course.identifier])) + "#owner",
                "type": ["Profile"],
                "name": offered_by,
            }
        if course.duration_hours is not None:
            achievement["creditsAvailable"] = float(course.duration_hours)
        return {
            "@context": CONTEXTS,
            "id": verification_url(certificate, language),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": title,
            "issuer": issuer(),
            "validFrom": _moment(certificate.issued_at),
            "awardedDate": _moment(certificate.issued_at),
            "credentialSubject": {
                # The same learner has the same subject in every credential of this platform,
                # without their account's number showing.
                "id": f"urn:uuid:{uuid.UUID(_secret_digest('learner', str(person.pk))[:32])}",
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityHash": holder_name(enrolment),
                        "identityType": "name",
                        "hashed": False,
                    },
                    {
                        "type": "IdentityObject",
                        "identityHash": f"sha256${email_hash}",
                        "identityType": "emailAddress",
                        "hashed": True,
                        "salt": salt,
                    },
                ],
                "achievement": achievement,
            },
            "credentialSchema": [{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
            "credentialStatus": {
                "id": _address("learning:badge_status", certificate.code),
                "type": "1EdTechRevocationList",
            },
        }


def revocation_list(certificate: CourseCertificate) -> dict[str, Any]:
    """The credential's revocation list (1EdTech Revocation List): empty, or this credential
    with the reason it was revoked."""
    revoked = []
    if certificate.revoked_at is not None:
        revoked.append(
            {
                "id": verification_url(certificate, certificate.enrolment.language),
                "revocationReason": certificate.revocation_reason,
                "revokedAt": _moment(certificate.revoked_at),
            }
        )
    return {
        "id": _address("learning:badge_status", certificate.code),
        "issuer": issuer()["id"],
        "revokedCredentials": revoked,
    }


# --- signing -------------------------------------------------------------------------------------


@cache
def _key_from_pem(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("LEARNING_BADGE_KEY must be an RSA private key (RS256).")
    return key


def _generated_key_pem(var_dir: Path) -> bytes:
    """A development key, generated once and kept beside the database (owner-only file)."""
    path = var_dir / KEY_FILE
    if path.exists():
        return path.read_bytes()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return pem


def signing_key() -> rsa.RSAPrivateKey:
    """The issuer's private key: LEARNING_BADGE_KEY (PEM text), else the generated one."""
    configured = str(getattr(settings, "LEARNING_BADGE_KEY", "") or "")
    pem = configured.encode() if configured else _generated_key_pem(Path(settings.VAR_DIR))
    return _key_from_pem(pem)


def public_jwk() -> dict[str, Any]:
    """The public half of the signing key as a JWK (what the ``kid`` address serves)."""
    from jwt.algorithms import RSAAlgorithm

    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(signing_key().public_key()))
    return jwk | {"kid": _address("learning:badge_key"), "use": "sig", "alg": "RS256"}


def signed(certificate: CourseCertificate) -> str:
    """The credential as a Compact JWS (VC-JWT): the credential with the JWT claims iss, jti,
    nbf and sub, signed RS256, the header naming the public key by address."""
    import jwt

    document = credential(certificate)
    claims = document | {
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": int(certificate.issued_at.timestamp()),
        "sub": document["credentialSubject"]["id"],
    }
    return jwt.encode(
        claims, signing_key(), algorithm="RS256", headers={"kid": _address("learning:badge_key")}
    )
