"""Every background job that touches the database is a db_task: huey's Django wrapper
(``close_db``) then closes the worker's stale connections before and after the job, so a
long-running worker never holds a connection the database has dropped or keeps one per thread."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.utils.module_loading import autodiscover_modules
from huey.contrib import djhuey

import clearinghouse

# Jobs that never touch the database, with arguments to prove it by running them.
PURE_JOBS: dict[str, Callable[[], tuple[Any, ...]]] = {
    "clearinghouse.core.tasks.deliver_email": lambda: (
        EmailMessage("Subject", "Body", "from@example.org", ["to@example.org"]),
    ),
}
_SKIPPED = (".tests", ".migrations", ".__main__", ".wsgi")


def _our_jobs() -> dict[str, type[Any]]:
    """Every job of ours the worker can run, by the name huey registers it under."""
    # What the worker does at start, plus every other module, so a job declared outside a
    # tasks.py is found too.
    autodiscover_modules("tasks")
    for module in pkgutil.walk_packages(clearinghouse.__path__, "clearinghouse."):
        if not any(part in module.name for part in _SKIPPED):
            importlib.import_module(module.name)
    registry: dict[str, type[Any]] = djhuey.HUEY._registry._registry
    return {name: task for name, task in registry.items() if name.startswith("clearinghouse.")}


def _job_function(task_class: type[Any]) -> Callable[..., Any]:
    """The function huey runs for a job: what its task decorator was given."""
    execute = task_class.execute
    cells = dict(zip(execute.__code__.co_freevars, execute.__closure__ or (), strict=True))
    function: Callable[..., Any] = cells["func"].cell_contents
    return function


def _releases_connections(function: Callable[..., Any]) -> bool:
    # db_task and db_periodic_task hand huey the job wrapped in close_db.
    return function.__code__ is djhuey.close_db(len).__code__


def test_the_worker_finds_the_jobs_of_every_area() -> None:
    names = set(_our_jobs())
    assert {
        "clearinghouse.core.tasks.deliver_email",
        "clearinghouse.search.tasks.index_documents",
        "clearinghouse.support.tasks.close_opportunities",
        "clearinghouse.matching.tasks.refresh_records",
    } <= names


def test_every_job_is_a_db_task_unless_it_never_touches_the_database() -> None:
    plain = {name for name, task in _our_jobs().items() if not _releases_connections(_job_function(task))}
    assert plain <= set(PURE_JOBS), (
        f"{sorted(plain - set(PURE_JOBS))}: use huey.contrib.djhuey's db_task or db_periodic_task"
    )


def test_a_db_task_is_recognised_as_one() -> None:
    # The check above would pass vacuously if it could not tell the two kinds apart.
    jobs = _our_jobs()
    assert _releases_connections(_job_function(jobs["clearinghouse.search.tasks.index_documents"]))
    assert not _releases_connections(_job_function(jobs["clearinghouse.core.tasks.deliver_email"]))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PURE_JOBS))
def test_the_jobs_left_plain_make_no_query(name: str, django_assert_num_queries: Any) -> None:
    job = _job_function(_our_jobs()[name])
    with django_assert_num_queries(0):
        job(*PURE_JOBS[name]())
