"""The manifest and the service worker the browser installs, as the server sends them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from clearinghouse.offline import shell


def worker_config(response: Any) -> dict[str, Any]:
    match = re.search(r"^const CONFIG = (.*);$", response.content.decode(), re.MULTILINE)
    assert match, "the worker carries its configuration"
    return dict(json.loads(match.group(1)))


def test_the_manifest_names_the_app_in_the_persons_language_with_icons_that_exist(client: Client) -> None:
    response = client.get("/manifest.webmanifest?lang=ar")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["lang"], manifest["dir"], manifest["start_url"]) == ("ar", "rtl", "/ar/")
    assert manifest["display"] == "standalone"
    english = json.loads(client.get("/manifest.webmanifest?lang=en").content)
    assert manifest["description"] != english["description"], "the description is translated"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any")} <= purposes
    assert {("192x192", "maskable"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        # Every icon the browser will fetch is a static file we ship.
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert isinstance(found, str) and Path(found).stat().st_size > 0, icon["src"]


def test_the_chinese_manifest_names_its_script_and_starts_under_zh(client: Client) -> None:
    manifest = json.loads(client.get("/manifest.webmanifest?lang=zh-hans").content)
    assert (manifest["lang"], manifest["dir"], manifest["start_url"]) == ("zh-Hans", "ltr", "/zh/")


def test_an_unknown_manifest_language_falls_back_to_english(client: Client) -> None:
    manifest = json.loads(client.get("/manifest.webmanifest?lang=xx").content)
    assert (manifest["lang"], manifest["start_url"]) == ("en", "/en/")


@pytest.mark.django_db
def test_every_page_links_the_manifest_in_its_language(client: Client) -> None:
    html = client.get("/fr/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest?lang=fr"' in html
    assert 'data-served="network"' in html


def test_the_worker_is_javascript_never_cached_and_precaches_the_shell(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    config = worker_config(response)
    assert "/static/core/site.css" in config["shell"]
    assert config["offlinePages"]["ar"] == "/ar/offline/"
    assert config["offlinePages"]["zh"] == "/zh/offline/"
    assert config["outbox"] is None


def test_the_worker_version_changes_when_a_shell_file_changes(
    client: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = worker_config(client.get("/sw.js"))
    assert worker_config(client.get("/sw.js"))["version"] == before["version"], "same files, same version"
    real_find = finders.find
    next_release = tmp_path / "site.css"
    next_release.write_bytes(Path(str(real_find("core/site.css"))).read_bytes() + b"\n.next-release {}\n")

    def find(name: str, **kwargs: Any) -> Any:
        return str(next_release) if name == "core/site.css" else real_find(name, **kwargs)

    # Development serves unhashed names: the content alone must change the version, so that the
    # browser installs the new worker and its activation deletes the old shell cache.
    monkeypatch.setattr(shell.finders, "find", find)
    after = worker_config(client.get("/sw.js"))
    assert after["shell"] == before["shell"]
    assert after["version"] != before["version"]


@pytest.mark.parametrize(
    "address",
    [
        "https://elsewhere.example/static/outbox/outbox.js",
        "//elsewhere.example/static/outbox/outbox.js",
        "/media/outbox.js",
        "/static/../media/outbox.js",
        "/static/outbox/outbox.js?x=<script>",
        "javascript:alert(1)",
    ],
)
def test_the_worker_refuses_an_outbox_script_from_elsewhere(client: Client, address: str) -> None:
    response = client.get("/sw.js", {"outbox": address})
    assert response.status_code == 400
    assert "static files" in response.content.decode()


def test_the_worker_imports_the_outbox_script_it_is_given(client: Client) -> None:
    config = worker_config(client.get("/sw.js", {"outbox": "/static/outbox/outbox.3f2a9c.js"}))
    assert config["outbox"] == "/static/outbox/outbox.3f2a9c.js"
