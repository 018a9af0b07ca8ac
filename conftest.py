"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags for a closed network: no background calls home, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Fixtures through which a test reaches the database (pytest lists a test's fixtures with the
# ones they depend on, so a test using ``world`` names ``db`` too).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "live_server"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that reach the database, and no browser or single_run test: the "
        "suite's second run, on another database, where the other tests would only repeat the first run.",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        reaches_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        once = item.get_closest_marker("browser") or item.get_closest_marker("single_run")
        (kept if reaches_database and once is None else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _one_request_at_a_time() -> None:
    """The live server shares SQLite's in-memory test database between its threads."""
    from clearinghouse.core.browser_testing import serve_one_request_at_a_time

    serve_one_request_at_a_time()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits (allauth) and other cached state must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English: a page in another language activates it for the thread, and
    it must not leak into the next test's messages."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _matching_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Publishing a record saves the matching catalogues: never into var/, and never into
    another test's (each test gets a directory of its own)."""
    from django.test import override_settings

    with override_settings(MATCHING_INDEX_DIR=str(tmp_path_factory.mktemp("matching"))):
        yield


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """pytest-django's test database setup, except that under xdist the first worker builds the
    database by running the migrations and the others copy it (clearinghouse/core/testing_db.py)."""
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from clearinghouse.core.testing_db import migrated_test_databases

    if not django_db_use_migrations:
        _disable_migrations()
    workerinput = getattr(request.config, "workerinput", None)
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        databases = migrated_test_databases(
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=django_db_keepdb and not django_db_createdb,
            verbosity=request.config.option.verbose,
            # Shared by the workers of this run only.
            share_in=None
            if workerinput is None or not django_db_use_migrations
            else (tmp_path_factory.getbasetemp().parent, workerinput["testrunuid"]),
        )
        next(databases)
    yield
    with django_db_blocker.unblock():
        next(databases, None)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: `make test` installs it (apt package chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def world(db: None) -> Any:
    """Named people in their roles, two Parties (Kenya, Tanzania) and their organisations."""
    from clearinghouse.core.testing import build_world

    return build_world()
