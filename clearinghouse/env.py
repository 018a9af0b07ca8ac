"""Typed readers for settings that come from environment variables."""

from __future__ import annotations

import importlib
import os
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number; got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions; a race with another process is settled by O_EXCL.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def require_production_package(module: str, reason: str) -> None:
    """Stop at start-up, saying what to install, when the settings need a package that only the
    production environment installs (requirements/production.txt: PostgreSQL's driver, Redis's
    client), instead of failing later on an import deep in a request or a job."""
    try:
        importlib.import_module(module)
    except ImportError as missing:
        raise ImproperlyConfigured(
            f"{reason}, but {module} is not installed: pip install -r requirements/production.txt"
        ) from missing


_PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def env_identity_providers(name: str = "OIDC_PROVIDERS") -> list[dict[str, Any]]:
    """OpenID Connect identity providers people may sign in with (docs/sign-in.md), as
    allauth's settings-based apps of its ``openid_connect`` provider.

    ``OIDC_PROVIDERS`` lists their ids (``cbd,kenya``); each id ``<ID>`` (upper case, ``-`` as
    ``_``) then reads ``OIDC_<ID>_NAME`` (on the button), ``OIDC_<ID>_ISSUER`` (the issuer's
    address, where ``/.well-known/openid-configuration`` is found), ``OIDC_<ID>_CLIENT_ID``,
    ``OIDC_<ID>_CLIENT_SECRET`` and ``OIDC_<ID>_TRUST_EMAIL`` (sign in to an existing account
    whose address the provider says it has verified; off unless set)."""
    providers: list[dict[str, Any]] = []
    for provider_id in env_list(name, []):
        if not _PROVIDER_ID.match(provider_id):
            raise ValueError(
                f"{name}: {provider_id!r} is not a provider id (lower-case letters, digits and -, at most 40)"
            )
        prefix = f"OIDC_{provider_id.upper().replace('-', '_')}_"
        required = {key: os.environ.get(prefix + key, "").strip() for key in ("NAME", "ISSUER", "CLIENT_ID")}
        missing = [prefix + key for key, value in required.items() if not value]
        if missing:
            raise ValueError(f"{name} lists {provider_id!r}, but {', '.join(missing)} is not set")
        issuer = required["ISSUER"].rstrip("/")
        parts = urlsplit(issuer)
        # Plain http only for a provider on this machine (trying it out, the tests).
        loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS
        if not parts.netloc or (parts.scheme != "https" and not loopback):
            raise ValueError(f"{prefix}ISSUER must be an https address; got {issuer!r}")
        providers.append(
            {
                "provider_id": provider_id,
                "name": required["NAME"],
                "client_id": required["CLIENT_ID"],
                "secret": os.environ.get(prefix + "CLIENT_SECRET", ""),
                "settings": {
                    "server_url": issuer,
                    # Proof of possession of the code (RFC 7636): a stolen code is of no use.
                    "oauth_pkce_enabled": True,
                    "email_authentication": env_bool(prefix + "TRUST_EMAIL", False),
                },
            }
        )
    return providers


def origin(url: str) -> str:
    """``scheme://host[:port]`` of an address."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
