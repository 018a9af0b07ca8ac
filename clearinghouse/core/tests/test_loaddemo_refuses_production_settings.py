"""`loaddemo` creates people with a published password: on settings that look like production
it refuses unless the operator says --allow-production; with `make run`'s defaults it loads."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from clearinghouse.core.management.commands import loaddemo

LOCAL = ["127.0.0.1", "localhost", "[::1]"]
loaded: list[str] = []


def load() -> list[str]:
    """Stands in for the areas' demo loaders: the guard is what is under test."""
    loaded.append("demo")
    return ["demo person"]


@pytest.fixture(autouse=True)
def _demo_loaders() -> Iterator[None]:
    loaded.clear()
    with mock.patch.object(loaddemo, "LOADERS", [__name__]):
        yield


def _run(*args: str) -> str:
    out = StringIO()
    call_command("loaddemo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@override_settings(DEBUG=False, HTTPS=False, ALLOWED_HOSTS=LOCAL)
def test_the_local_defaults_of_make_run_load_the_demo() -> None:
    assert "demo person" in _run()
    assert loaded == ["demo"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("https", "hosts", "reason"),
    [
        (True, LOCAL, "HTTPS is on"),
        (False, ["clearinghouse.example.org", "localhost"], "ALLOWED_HOSTS names clearinghouse.example.org"),
    ],
)
def test_production_settings_refuse_the_demo(https: bool, hosts: list[str], reason: str) -> None:
    with (
        override_settings(DEBUG=False, HTTPS=https, ALLOWED_HOSTS=hosts),
        pytest.raises(CommandError, match=f"{reason}.*--allow-production"),
    ):
        _run()
    assert loaded == [], "nothing is loaded when the command refuses"


@pytest.mark.django_db
@override_settings(DEBUG=False, HTTPS=True, ALLOWED_HOSTS=["clearinghouse.example.org"])
def test_the_operator_can_load_it_on_production_settings_on_purpose() -> None:
    assert "demo person" in _run("--allow-production")
    assert loaded == ["demo"]


@pytest.mark.django_db
@override_settings(DEBUG=True, HTTPS=True, ALLOWED_HOSTS=["staging.example.org"])
def test_a_debug_site_is_not_production() -> None:
    _run()
    assert loaded == ["demo"]
