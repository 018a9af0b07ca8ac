from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each area's demo data, in dependency order. Every loader is idempotent and returns the lines
# to print (for instance how to sign in as a demo person).
LOADERS = [
    "clearinghouse.accounts.demo",
    "clearinghouse.organisations.demo",
    # A Party's national targets and reports before the needs that name them.
    "clearinghouse.national.demo",
    "clearinghouse.needs.demo",
    "clearinghouse.needs.demo_records",
    "clearinghouse.needs.demo_national",
    "clearinghouse.support.demo",
    "clearinghouse.support.demo_records",
    # Resources in languages other than the six (Quechua, Kiswahili), after the support demo's.
    "clearinghouse.support.demo_languages",
    "clearinghouse.matchmaking.demo",
    "clearinghouse.matchmaking.demo_stages",
    # Initiatives harvested from the CBD CHM (its answer bundled as a file), after the demo's
    # matches so these stay as they were chosen.
    "clearinghouse.harvest.demo",
    # Peers after the matches: Benin's need addressed, Egypt's exchanges proposed.
    "clearinghouse.peers.demo",
    "clearinghouse.events.demo",
    "clearinghouse.search.demo",
    "clearinghouse.plan.demo",
    # After the events' own demo: people register for the events it publishes.
    "clearinghouse.events.demo_registrations",
    # Courses after events (the learning area may tie cohorts to the events published above).
    "clearinghouse.learning.demo",
    # After the courses' demo: a SCORM module imported into a published course.
    "clearinghouse.learning.demo_scorm",
    # After the demo courses (learning.demo) and the events' registrations: learners enrol.
    "clearinghouse.learning.demo_learners",
    # The help desk last: its tickets link the needs, events and courses loaded above.
    "clearinghouse.helpdesk.demo",
    # Alumni after the events' check-ins and the learners' completions; the other community
    # demos after it (their members are these alumni).
    "clearinghouse.community.demo_alumni",
    # Communities of practice after the alumni: their members are demo people and alumni.
    "clearinghouse.community.demo_communities",
    # Mentoring after the alumni and the communities: mentors are consenting alumni or experts
    # with an account (the support demo's).
    "clearinghouse.community.demo_mentoring",
    # The follow-up last of the community's: its alumni are asked, and one answer asks the help desk.
    "clearinghouse.community.demo_follow_up",
    # Quality after the events, courses, materials, matches and alumni it assesses: the standards
    # first (the checklists and reviews apply those in force), the ratings last (their raters
    # are the people checked in, enrolled, reading and cooperating above).
    "clearinghouse.quality.demo_standards",
    "clearinghouse.quality.demo_checklists",
    "clearinghouse.quality.demo_reviews",
    "clearinghouse.quality.demo_ratings",
    # Knowledge products after the events, courses and the completed cooperation they link
    # (one is written from that cooperation's outcome).
    "clearinghouse.knowledge.demo",
    # Translation after every registry's records: readers ask for them in other languages.
    "clearinghouse.translation.demo",
    # The register of national CHMs after the needs (Egypt's request for support is one) and
    # before monitoring, which counts the functional ones (indicator 72.1).
    "clearinghouse.nodes.demo",
    # A course Kenya offers, for the course catalogue widget of a Kenyan website: after the
    # areas that pick demo courses (learners, quality, help desk), which keep theirs.
    "clearinghouse.widgets.demo",
    # Monitoring after every area: it loads the indicators and computes what the others loaded.
    "clearinghouse.monitoring.demo",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def production_signs() -> list[str]:
    """Why the settings look like a production site: DEBUG off, and HTTPS on or a host name
    other than the local ones (the defaults `make run` uses show neither)."""
    if settings.DEBUG:
        return []
    signs = []
    if settings.HTTPS:
        signs.append("HTTPS is on")
    public = sorted(set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS)
    if public:
        signs.append(f"ALLOWED_HOSTS names {', '.join(public)}")
    return signs


class Command(BaseCommand):
    help = "Load realistic demo records in the six languages (idempotent; for trying the platform)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo people and records even though the settings look like production.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        signs = production_signs()
        if signs and not options["allow_production"]:
            # Demo people have published passwords: never create them on a real site by mistake.
            raise CommandError(
                f"These settings look like a production site ({'; '.join(signs)}). The demo "
                "creates people with published passwords; add --allow-production if you really "
                "mean to load it here."
            )
        lines: list[str] = []
        with transaction.atomic():
            for module_name in LOADERS:
                load: Callable[[], list[str]] = import_module(module_name).load
                lines.extend(load())
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with:"))
        for line in lines:
            self.stdout.write(f"  {line}")
