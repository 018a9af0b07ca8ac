"""What the service worker precaches (the app shell) and the version that names its cache."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from django.utils import translation

from clearinghouse.i18n import url_prefix

# The files every page needs, by their static names; their hashed URLs are rendered per request.
SHELL_FILES = (
    "core/site.css",
    "core/vendor/htmx-2.0.11.min.js",
    "core/filter-select.js",
    "core/favicon.svg",
    "core/favicon.ico",
    "offline/shell.js",
    "offline/reading.js",
    "offline/icons/icon.svg",
    "offline/icons/icon-192.png",
    "offline/icons/icon-512.png",
)

# A static path: letters, digits and the few signs static names and their hashes use; no "..".
_STATIC_PATH = re.compile(r"^[A-Za-z0-9_./-]+$")


class InvalidOutboxScriptError(ValueError):
    """The outbox script address given to the service worker is not one of our static files."""


@dataclass(frozen=True)
class Shell:
    version: str
    urls: list[str]
    offline_pages: dict[str, str]


def shell() -> Shell:
    """The shell's hashed URLs, the offline page of each language, and a version that changes
    whenever a file's address or content changes (so a release replaces the cache)."""
    urls = [staticfiles_storage.url(name) for name in SHELL_FILES]
    digest = hashlib.sha256()
    for name, url in zip(SHELL_FILES, urls, strict=True):
        digest.update(url.encode())
        # In production the hashed URL already carries the content; in development it does not.
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, "rb") as file:
                digest.update(hashlib.sha256(file.read()).digest())
    offline_pages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            offline_pages[url_prefix(code)] = reverse("offline:reading")
    digest.update(json.dumps(offline_pages, sort_keys=True).encode())
    return Shell(version=digest.hexdigest()[:16], urls=urls, offline_pages=offline_pages)


def outbox_script(value: str) -> str:
    """The outbox script's address if it is a path under our static URL, else an error: the
    service worker imports it, so nothing from another origin or outside /static/ may pass."""
    static_url = settings.STATIC_URL or "/static/"
    if not value.startswith(static_url) or not _STATIC_PATH.match(value) or ".." in value or "//" in value:
        raise InvalidOutboxScriptError(value)
    return value
