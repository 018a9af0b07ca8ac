"""Reading the demo data files that each app keeps in its ``data/`` folder (YAML, shipped with
the package), for the apps' demo loaders."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml
from django.utils import timezone


def demo_data(package: str, name: str) -> Any:
    """The parsed content of ``data/<name>`` in ``package`` (for instance
    ``demo_data("clearinghouse.needs", "demo-needs.yaml")``)."""
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    # libyaml's safe loader when PyYAML has it: the same result, several times faster.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506  # nosec B506


def days_from_today(days: int) -> date:
    """A date relative to the day the demo is loaded, so that deadlines and periods stay ahead."""
    return timezone.localdate() + timedelta(days=days)
