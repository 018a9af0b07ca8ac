"""The demo people whose role needs a second factor get a fixed authenticator secret that
`loaddemo` prints; a code computed from the printed secret signs them in through the real
sign-in, as the README tells people to do."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from django.test import Client, override_settings

from clearinghouse.accounts import demo, mfa_policy
from clearinghouse.accounts.models import User
from clearinghouse.core.management.commands import loaddemo
from clearinghouse.core.testing import make_country, totp_code

pytestmark = pytest.mark.django_db

NEEDS_ONE = {
    "secretariat@demo.clearinghouse.example",
    "focalpoint.ke@demo.clearinghouse.example",
    "focalpoint.eg@demo.clearinghouse.example",
    "focalpoint.cn@demo.clearinghouse.example",
    "helpdesk@demo.clearinghouse.example",
    "translator@demo.clearinghouse.example",
}


@pytest.fixture(autouse=True)
def _reference_countries() -> Iterator[None]:
    for code, alpha3 in (
        ("KE", "KEN"),
        ("EG", "EGY"),
        ("CN", "CHN"),
        ("RU", "RUS"),
        ("PE", "PER"),
        ("CA", "CAN"),
        ("FJ", "FJI"),
    ):
        make_country(code, alpha3, {"en": code})
    # Only the people: the other areas' demo data is not what is under test.
    with mock.patch.object(loaddemo, "LOADERS", ["clearinghouse.accounts.demo"]):
        yield


def _printed_table() -> dict[str, list[str]]:
    out = StringIO()
    # `make run`'s local addresses: the demo refuses settings that look like production.
    with override_settings(ALLOWED_HOSTS=["127.0.0.1", "localhost"]):
        call_command("loaddemo", stdout=out)
    lines = [line.strip() for line in out.getvalue().splitlines()]
    header = next(index for index, line in enumerate(lines) if line.startswith("E-mail"))
    rows = {}
    for line in lines[header + 1 :]:
        cells = line.split()
        if cells and cells[0].endswith(demo.DEMO_DOMAIN):
            rows[cells[0]] = cells
    return rows


def test_the_printed_secrets_are_the_stored_ones_for_exactly_the_roles_that_need_them() -> None:
    rows = _printed_table()
    assert len(rows) == len(demo.PEOPLE) + len(demo.NEWCOMERS)
    printed = {email: cells[-1] for email, cells in rows.items() if email in NEEDS_ONE}
    for email, cells in rows.items():
        assert demo.DEMO_PASSWORD in cells, email
        user = User.objects.get(email=email)
        assert mfa_policy.requires_second_factor(user) == (email in NEEDS_ONE), email
        stored = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if email in NEEDS_ONE:
            assert stored is not None and decrypt(stored.data["secret"]) == printed[email]
            assert printed[email] == demo.demo_totp_secret(email)
            assert len(base64.b32decode(printed[email])) == 20
        else:
            assert stored is None, email
            assert cells[-1] == demo.DEMO_PASSWORD, "no secret column for them"
    # Fixed: a second run keeps the same secrets and one authenticator each.
    assert {email: cells[-1] for email, cells in _printed_table().items() if email in NEEDS_ONE} == printed
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == len(NEEDS_ONE)
    # Each person has their own.
    assert len(set(printed.values())) == len(printed)


@pytest.mark.parametrize("email", sorted(NEEDS_ONE))
def test_a_code_from_the_printed_secret_signs_in_through_the_real_sign_in(email: str, client: Client) -> None:
    secret = _printed_table()[email][-1]
    response = client.post("/en/accounts/login/", {"login": email, "password": demo.DEMO_PASSWORD})
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert client.post(response["Location"], {"code": "000000"}).status_code == 200
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" not in response["Location"]
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert "Sign out" in home.content.decode() or "/accounts/logout/" in home.content.decode()


README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_lists_each_demo_secret_and_a_command_that_computes_valid_codes() -> None:
    readme = README.read_text()
    for email in NEEDS_ONE:
        assert f"| `{email}` |" in readme and f"`{demo.demo_totp_secret(email)}`" in readme, email
    command = re.search(r'^python3 -c "(.+)" (\w+)$', readme, re.MULTILINE)
    assert command is not None, "the README's one-liner is missing"
    secret = command.group(2)
    printed = subprocess.run(
        [sys.executable, "-c", command.group(1), secret], capture_output=True, text=True, check=True
    ).stdout.strip()
    # allauth's own computation, allowing for a 30-second window passing meanwhile.
    valid = {format_hotp_value(hotp_value(secret, counter)) for counter in yield_hotp_counters_from_time()}
    assert printed in valid
