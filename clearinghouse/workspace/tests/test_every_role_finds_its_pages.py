"""Each role, and the public, signs in through the real sign-in (with their second factor), lands
on their dashboard, and follows every same-site link from the home page and the dashboard: no link
leads to a refusal, a missing page or an error, and every page the role may use is reached by links.

The crawl stays on the person's own language and visits at most a few addresses of each URL
pattern, so it does not walk every record. The number of pages each role crawled is printed."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from clearinghouse.accounts import mfa_policy
from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World, totp_code

# Addresses of one URL pattern visited at most (the rest are the same page for another record).
PER_PATTERN = 2
# Links never followed: leaving the session, other languages (the same pages again), and files
# (PDFs, exports, workbooks: downloads, not pages with links, and slow to build).
SKIPPED_NAMES = frozenset(
    {
        "account_logout",
        "set_language",
        "publishing:pdf",
        "support:export",
        "support:download",
        "needs_offline:template",
        "needs_offline:xlsform",
        "needs_offline:export",
    }
)
SKIPPED_PREFIXES = ("/static/", "/media/", "/api/", "/feeds/", "/i18n/")
PUBLIC_PAGES = ["", "search/", "needs/", "support/", "organisations/", "plan/"]
SIGNED_IN_PAGES = ["work/", "people/profile/", "people/tokens/", "search/saved/", "people/appointments/"]
RECORD_KEEPER_PAGES = ["needs/mine/", "support/mine/", "imports/", "matchmaking/mine/"]

# The pages each role may use, by the people of the shared test world; "{match}" and "{case}"
# are the world's match waiting for the provider's answer and its case.
ROLE_PAGES: dict[str, list[str]] = {
    "public": [*PUBLIC_PAGES, "accounts/login/", "accounts/signup/", "needs/offline/"],
    "learner": [*PUBLIC_PAGES, *SIGNED_IN_PAGES, "people/access/"],
    "trainer": [*PUBLIC_PAGES, *SIGNED_IN_PAGES],
    "secretariat": [
        *PUBLIC_PAGES,
        *SIGNED_IN_PAGES,
        "review/",
        "matchmaking/",
        "matchmaking/cases/{case}/",
        "needs/mine/",
        "support/mine/",
        "imports/",
        "needs/new/need/",
        "support/offers/new/",
        "organisations/new/",
        "people/tokens/everyone/",
    ],
    "helpdesk_agent": [*PUBLIC_PAGES, *SIGNED_IN_PAGES, "matchmaking/", "matchmaking/cases/{case}/"],
    "focal_point": [
        *PUBLIC_PAGES,
        *SIGNED_IN_PAGES,
        *RECORD_KEEPER_PAGES,
        "review/",
        "needs/new/need/",
        "needs/new/request/",
        "support/offers/new/",
        "national/mine/",
        "national/KE/targets/",
        "national/KE/reports/",
    ],
    "other_focal_point": [
        *PUBLIC_PAGES,
        *SIGNED_IN_PAGES,
        *RECORD_KEEPER_PAGES,
        "review/",
        "national/TZ/targets/",
    ],
    "authorised_user": [
        *PUBLIC_PAGES,
        *SIGNED_IN_PAGES,
        *RECORD_KEEPER_PAGES,
        "needs/new/need/",
        "needs/new/assessment/",
        "needs/new/request/",
        "support/offers/import/",
        "national/KE/targets/",
    ],
    "partner_editor": [
        *PUBLIC_PAGES,
        *SIGNED_IN_PAGES,
        *RECORD_KEEPER_PAGES,
        "matchmaking/matches/{match}/",
        "support/offers/new/",
    ],
    "iplc_representative": [*PUBLIC_PAGES, *SIGNED_IN_PAGES, *RECORD_KEEPER_PAGES, "needs/new/need/"],
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str, base: str) -> Iterator[str]:
    parser = _Links()
    parser.feed(html)
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme in {"", "http"} and parts.netloc in {"", "testserver"}:
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def _pattern(path: str) -> str | None:
    """The URL pattern an address belongs to, or None for links never followed."""
    if path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return "unresolved"  # followed, so that its 404 is reported
    if match.view_name in SKIPPED_NAMES:
        return None
    # A support list or form per record type is another page, not another record.
    kinds = [str(match.kwargs[name]) for name in ("slug", "form_name", "step") if name in match.kwargs]
    return "|".join([match.route, *kinds])


def _crawl(client: Client, language: str, starts: list[str]) -> tuple[set[str], list[str]]:
    """Follow every same-site link in ``language`` from ``starts``; return the paths reached
    (without query) and the problems met."""
    prefix = f"/{language}/"
    queue: deque[tuple[str, str]] = deque((start, "(start)") for start in starts)
    seen: set[str] = set(starts)
    per_pattern: dict[str, int] = {}
    reached: set[str] = set()
    problems: list[str] = []
    while queue:
        path, found_on = queue.popleft()
        response = client.get(path)
        if response.status_code >= 400:
            problems.append(f"{path} answered {response.status_code} (linked from {found_on})")
            continue
        reached.add(path.split("?")[0])
        if response.status_code in {301, 302, 303, 307, 308}:
            targets = [response["Location"]]
        elif response.get("Content-Type", "").startswith("text/html"):
            targets = list(_links(response.content.decode(), path))
        else:
            continue
        for target in targets:
            if target in seen or not target.startswith(prefix):
                continue
            pattern = _pattern(target)
            if pattern is None or per_pattern.get(pattern, 0) >= PER_PATTERN:
                continue
            per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            seen.add(target)
            queue.append((target, path))
    return reached, problems


def _sign_in(client: Client, person: User, password: str) -> str:
    """Sign in as a person does, with the authenticator code when their role needs one; return
    the address they land on."""
    response = client.post("/en/accounts/login/", {"login": person.email, "password": password})
    assert response.status_code == 302, person.email
    if "/accounts/2fa/authenticate/" in response["Location"]:
        response = client.post(response["Location"], {"code": totp_code(person)})
        assert response.status_code == 302, person.email
    return str(response["Location"])


# What it checks (links, refusals, missing pages) does not depend on the database, and it is long.
@pytest.mark.single_run
@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_role_reaches_its_pages_by_links_and_meets_no_dead_end(
    role: str, busy_world: World, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    world = busy_world
    started = time.monotonic()
    language = "en"
    starts = ["/en/"]
    if role != "public":
        person: User = getattr(world, role)
        assert mfa_policy.has_second_factor(person) or not mfa_policy.requires_second_factor(person)
        landing = _sign_in(client, person, f"{person.username}-passphrase-2026")
        language = landing.strip("/").split("/")[0]
        assert landing == f"/{language}/work/", f"{role} lands on {landing}, not their dashboard"
        starts = [landing, f"/{language}/"]
    reached, problems = _crawl(client, language, starts)
    wanted = {
        f"/{language}/" + page.format(case=world.case.pk, match=world.match.pk)  # type: ignore[attr-defined]
        for page in ROLE_PAGES[role]
    }
    problems += [f"never reached {page} by links" for page in sorted(wanted - reached)]
    with capsys.disabled():
        print(f"\n{role}: {len(reached)} pages crawled ({time.monotonic() - started:.0f} s)")  # noqa: T201  # reported
    assert not problems, "\n".join(problems)
