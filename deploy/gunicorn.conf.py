"""gunicorn's settings for the platform (`make run` and the reference deployment); options given
on the command line or in GUNICORN_CMD_ARGS override these."""

import os

from prometheus_client import multiprocess

# Each worker process counts its own requests in PROMETHEUS_MULTIPROC_DIR, and /metrics sums
# them: a worker that ends leaves its counts, which stay in the sums, and its live gauges, which
# must be dropped.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):

    def child_exit(server: object, worker: object) -> None:
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


wsgi_app = "clearinghouse.wsgi"
# The proxy in front gives the request's id and the client's address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
