"""Reading a source's answer from the network without trusting it: a connect and a read
timeout and a deadline for the whole answer, a size cap applied while streaming (the body is
never read past it), redirects followed only within the same host, public addresses only
(unless a host is allowed by setting, as the tests' loopback server is), and the content type
checked before the body is parsed."""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

JSON_TYPES = ("application/json", "text/json")
ATOM_TYPES = ("application/atom+xml", "application/xml", "text/xml")
MAX_REDIRECTS = 3


@dataclass
class HarvestError(Exception):
    """Why a whole answer was refused: a code of harvest.messages and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.params}"


def _check_address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise HarvestError("bad_address", {"url": url[:200]})
    host = parts.hostname
    if host in settings.HARVEST_PRIVATE_HOSTS_ALLOWED:
        return host
    try:
        found = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise HarvestError("unresolved", {"host": host}) from None
    for _family, _type, _proto, _name, address in found:
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
        if not ip.is_global:
            raise HarvestError("private_address", {"host": host, "address": str(ip)})
    return host


def _read_capped(response: requests.Response, deadline: float, limit: int) -> bytes:
    megabytes = round(limit / (1024 * 1024), 1)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HarvestError("too_large", {"megabytes": megabytes})
    body = bytearray()
    for chunk in response.iter_content(chunk_size=64 * 1024):
        body += chunk
        if len(body) > limit:
            raise HarvestError("too_large", {"megabytes": megabytes})
        if time.monotonic() > deadline:
            raise HarvestError("timeout", {"seconds": settings.HARVEST_TOTAL_SECONDS})
    return bytes(body)


def is_json(kind: str) -> bool:
    return kind in JSON_TYPES or kind.endswith("+json")


def fetch(url: str) -> tuple[bytes, str]:
    """The body of the answer at ``url`` and its content type (JSON, or an Atom feed), or
    HarvestError."""
    deadline = time.monotonic() + settings.HARVEST_TOTAL_SECONDS
    timeout = (settings.HARVEST_CONNECT_TIMEOUT, settings.HARVEST_READ_TIMEOUT)
    host = _check_address(url)
    with requests.Session() as session:
        session.trust_env = False  # no proxy or .netrc from the environment
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                response = session.get(
                    url,
                    timeout=timeout,
                    stream=True,
                    allow_redirects=False,
                    headers={"Accept": "application/json"},
                )
            except requests.Timeout:
                raise HarvestError("timeout", {"seconds": settings.HARVEST_READ_TIMEOUT}) from None
            except requests.RequestException:
                raise HarvestError("unreachable", {"host": host}) from None
            with response:
                if response.is_redirect:
                    target = urljoin(url, response.headers.get("Location", ""))
                    target_host = urlsplit(target).hostname or ""
                    if target_host != host:
                        raise HarvestError(
                            "redirect_other_host", {"host": target_host[:200], "expected": host}
                        )
                    _check_address(target)
                    url = target
                    continue
                if response.status_code != 200:
                    raise HarvestError("http_status", {"status": response.status_code})
                kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if not is_json(kind) and kind not in ATOM_TYPES:
                    raise HarvestError("content_type", {"type": kind[:100] or "?"})
                try:
                    return _read_capped(response, deadline, settings.HARVEST_MAX_BYTES), kind
                except requests.Timeout:
                    raise HarvestError("timeout", {"seconds": settings.HARVEST_READ_TIMEOUT}) from None
                except requests.RequestException:
                    raise HarvestError("unreachable", {"host": host}) from None
    raise HarvestError("too_many_redirects")


def parse_json(body: bytes) -> Any:
    """The JSON value, or HarvestError saying where it is malformed."""
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise HarvestError("malformed_json", {"line": error.lineno, "column": error.colno}) from None
    except UnicodeDecodeError:
        raise HarvestError("malformed_json", {"line": 1, "column": 1}) from None
    except RecursionError:
        raise HarvestError("too_deep") from None
