# ruff: noqa: N999 - Django names the command after its module: lti-keys
"""``clearinghouse lti-keys [--rotate] [--retire-old]``: list the platform's LTI signing keys;
``--rotate`` makes a new one that signs launches from now on (the old ones stay published, so
tokens already issued still verify); ``--retire-old``, once tools have fetched the new key set,
stops publishing every key but the newest. See docs/learning.md, "LTI 1.3"."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from clearinghouse.learning import lti
from clearinghouse.learning.models import LtiKey


class Command(BaseCommand):
    help = "List, rotate and retire the LTI signing keys."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--rotate", action="store_true", help="Make a new signing key.")
        parser.add_argument("--retire-old", action="store_true", help="Publish only the newest key.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if options["rotate"]:
            lti.new_key()
        if options["retire_old"]:
            newest = lti.signing_key()
            LtiKey.objects.filter(retired_at__isnull=True).exclude(pk=newest.pk).update(
                retired_at=timezone.now()
            )
        for key in LtiKey.objects.all():
            state = f"retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "published"
            self.stdout.write(f"{key.kid} created {key.created_at:%Y-%m-%d} {state}")
