"""The help desk under a realistic load: a desk queue of 2,000 tickets (500 of them still
active) and a ticket of 40 messages, each page requested whole through Django's test client
(middleware, view, service levels, templates) by a signed-in agent, in English and in Arabic;
and mail taken in through the SMTP receiver `make run` serves, from the socket to the ticket.

    python -m bench.helpdesk --scale quick|full

Prints ``helpdesk-queue tickets=<n> active=<a> requests=<r> p50_ms=<x> p95_ms=<y> queries=<q>``,
``helpdesk-ticket messages=40 ... `` and ``helpdesk-smtp messages=<m> per_second=<s>
p95_ms=<y>`` (the last: each message timed from the client's connection to the ticket being
committed, acknowledgement queued), and writes bench/results/helpdesk.json (helpdesk-quick.json
for quick). Runs in a child process on a throw-away SQLite file under var/bench.
"""

from __future__ import annotations

import os
import smtplib
import socket
import statistics
import time
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from bench import child
from bench.child import fresh_sqlite, in_child, percentile, write_results

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "helpdesk.json"
SCALES = {"quick": 1, "full": 5}
TICKETS = 2000
ACTIVE = 500
MESSAGES = 40
WARM_UP = 10
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _timed(client: Any, paths: list[str], requests: int) -> tuple[list[float], Any]:
    for number in range(WARM_UP):
        warm = client.get(paths[number % len(paths)])
        if warm.status_code != 200:
            raise RuntimeError(f"{paths[number % len(paths)]}: {warm.status_code} {warm.content[:300]!r}")
    timings = []
    response = None
    for number in range(requests):
        begin = time.perf_counter()
        response = client.get(paths[number % len(paths)])
        timings.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
    return timings, response


def _queries(client: Any, path: str) -> int:
    from django.db import connection

    counted: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    return len(counted)


def _child(factor: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from clearinghouse.accounts import services as appointments
    from clearinghouse.accounts.models import Role
    from clearinghouse.core.testing import give_second_factor, make_user
    from clearinghouse.helpdesk import services, smtp
    from clearinghouse.helpdesk.models import Channel, Desk, ServiceLevel, Status, Ticket

    call_command("migrate", verbosity=0)
    call_command("loadreference", verbosity=0)
    setup_test_environment()
    agent = make_user("agent", "Lucía", "Fernández", "es")
    appointments.appoint(actor=None, user=agent, role=Role.HELPDESK_AGENT)
    # The role asks for a second factor before acting: the agent has one, as in production.
    give_second_factor(agent)
    desk = Desk.objects.create(
        code="central",
        name={"en": "Central desk"},
        is_central=True,
        languages=list(LANGUAGES),
        time_zone="America/Toronto",
        holiday_country="CA",
    )
    desk.agents.add(agent)
    ServiceLevel.objects.create(desk=desk, first_response_hours=8, resolution_hours=40)
    now = timezone.now()
    for number in range(TICKETS):
        language = LANGUAGES[number % len(LANGUAGES)]
        ticket = services.open_ticket(
            services.Question(
                subject=f"Question {number} on registering a national need",
                body="We cannot find where to register our needs assessment. " * 5,
                language=language,
                channel=Channel.EMAIL if number % 2 else Channel.WEB,
                requester_email=f"person{number}@example.org",
                requester_name=f"Person {number}",
            ),
            acknowledge=False,
        )
        # Spread over two years, the older ones closed, so the queue reads like a real desk's.
        opened = now - timedelta(hours=(TICKETS - number) * 8)
        closed = number < TICKETS - ACTIVE
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=opened,
            status=Status.CLOSED if closed else Status.OPEN,
            closed_at=opened + timedelta(days=2) if closed else None,
            first_response_at=opened + timedelta(hours=3),
        )
    busy = Ticket.objects.filter(status=Status.OPEN).order_by("pk").first()
    assert busy is not None
    for number in range(MESSAGES - 1):
        if number % 2:
            services.add_message(busy, body=f"More details, part {number}. " * 20, channel=Channel.EMAIL)
        else:
            services.note(busy, agent=agent, body=f"Checked with the focal point, step {number}.")

    client = Client()
    client.force_login(agent)
    queue = [f"/{code}/helpdesk/desks/central/" for code in ("en", "ar")]
    page = [f"/{code}/helpdesk/tickets/{busy.reference}/" for code in ("en", "ar")]
    requests = 100 * factor
    queue_timings, queue_response = _timed(client, queue, requests)
    ticket_timings, ticket_response = _timed(client, page, requests)

    # Mail through the real receiver, one connection per message as mail servers do.
    port = _free_port()
    controller = smtp.Receiver("127.0.0.1", port)
    controller.start()
    mails = 50 * factor
    mail_timings = []
    began = time.perf_counter()
    try:
        for number in range(mails):
            message = EmailMessage()
            message["From"] = f"Personne {number} <personne{number}@example.fr>"
            message["To"] = "helpdesk@clearinghouse.example"
            message["Subject"] = f"Question {number} sur l'évaluation des besoins"
            message.set_content("Bonjour, nous ne trouvons pas le formulaire des besoins nationaux. " * 8)
            start = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", port) as connection:
                connection.send_message(message)
            mail_timings.append((time.perf_counter() - start) * 1000)
    finally:
        controller.stop()
    elapsed = time.perf_counter() - began
    received = Ticket.objects.filter(channel=Channel.EMAIL, requester_email__endswith="@example.fr").count()
    assert received == mails, f"{received} tickets from {mails} messages"
    return {
        "tickets": TICKETS,
        "active": ACTIVE,
        "requests": requests,
        "queue_p50_ms": round(statistics.median(queue_timings), 2),
        "queue_p95_ms": round(percentile(queue_timings, 0.95), 2),
        "queue_queries": _queries(client, queue[0]),
        "queue_bytes": len(queue_response.content),
        "messages": MESSAGES,
        "ticket_p50_ms": round(statistics.median(ticket_timings), 2),
        "ticket_p95_ms": round(percentile(ticket_timings, 0.95), 2),
        "ticket_queries": _queries(client, page[0]),
        "ticket_bytes": len(ticket_response.content),
        "mails": mails,
        "mail_per_second": round(mails / elapsed, 1),
        "mail_p50_ms": round(statistics.median(mail_timings), 2),
        "mail_p95_ms": round(percentile(mail_timings, 0.95), 2),
    }


def run(scale: str) -> list[str]:
    database, environment = fresh_sqlite(WORK_DIR, "helpdesk")
    figures = in_child("bench.helpdesk", SCALES[scale], environment | {"JOBS_IMMEDIATE": "1"}, "help desk")
    figures |= {"cores": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2)}
    lines = [
        f"helpdesk-queue tickets={figures['tickets']} active={figures['active']} "
        f"requests={figures['requests']} p50_ms={figures['queue_p50_ms']:.1f} "
        f"p95_ms={figures['queue_p95_ms']:.1f} queries={figures['queue_queries']}",
        f"helpdesk-ticket messages={figures['messages']} requests={figures['requests']} "
        f"p50_ms={figures['ticket_p50_ms']:.1f} p95_ms={figures['ticket_p95_ms']:.1f} "
        f"queries={figures['ticket_queries']}",
        f"helpdesk-smtp messages={figures['mails']} per_second={figures['mail_per_second']:.1f} "
        f"p50_ms={figures['mail_p50_ms']:.1f} p95_ms={figures['mail_p95_ms']:.1f}",
    ]
    for line in lines:
        print(line, flush=True)
    write_results(
        RESULTS if scale == "full" else RESULTS.with_name(f"helpdesk-{scale}.json"), scale, [figures]
    )
    database.unlink(missing_ok=True)
    return lines


if __name__ == "__main__":
    child.main(__doc__ or "", SCALES, "quick", _child, run)
