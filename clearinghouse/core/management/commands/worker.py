from huey.contrib.djhuey.management.commands.run_huey import Command as RunHueyCommand


class Command(RunHueyCommand):
    """``clearinghouse worker``: the huey consumer under the platform's own name."""

    help = "Run a background-job worker (e-mails, index updates, imports, report builds)."
