"""JSON bodies are bounded: nested too deep or too large, they are refused with a clear 400
before they are parsed (a body of 100,000 '[' used to exhaust the parser: a 500)."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from clearinghouse.api.parsers import check_depth
from clearinghouse.core.testing import World, token_headers

NESTED = "[" * 100_000


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/organisations/", "/api/v1/languages/"])
def test_anonymous_nested_json_never_reaches_the_parser(client: Client, db: None, path: str) -> None:
    response = client.post(path, NESTED, content_type="application/json")
    assert response.status_code in {401, 405, 410}
    assert response.json()["errors"]


def test_nested_json_is_a_400_naming_the_limit(world: World, client: Client) -> None:
    headers = token_headers(world.partner_editor)
    response = client.post("/api/v1/organisations/", NESTED, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "The JSON body is nested more than 20 levels deep; it was not read."
    )
    response = client.post(
        "/api/v1/organisations/",
        NESTED,
        content_type="application/json",
        headers=headers | {"accept-language": "es"},
    )
    assert "20" in response.json()["errors"][0]["message"]
    assert "nested" not in response.json()["errors"][0]["message"]


def test_brackets_inside_texts_are_not_nesting(world: World, client: Client) -> None:
    body = {
        "name": '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{{',
        "name_language": "en",
        "type": "ngo",
    }
    response = client.post(
        "/api/v1/organisations/",
        json.dumps(body),
        content_type="application/json",
        headers=token_headers(world.partner_editor),
    )
    assert response.status_code == 201, response.content


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_is_a_400(world: World, client: Client) -> None:
    body = json.dumps({"name": "x" * 2000, "name_language": "en", "type": "ngo"})
    response = client.post(
        "/api/v1/organisations/",
        body,
        content_type="application/json",
        headers=token_headers(world.partner_editor),
    )
    assert response.status_code == 400
    assert "larger than 1,000 bytes" in response.json()["errors"][0]["message"]


def test_the_depth_is_counted_exactly() -> None:
    check_depth(b"[[[]]]", 3)
    with pytest.raises(Exception, match="more than 2 levels"):
        check_depth(b'{"a": [[1]]}', 2)
