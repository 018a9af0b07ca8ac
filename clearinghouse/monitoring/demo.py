"""Demo monitoring for `clearinghouse loaddemo`: the catalogue of indicators, targets for the
biennium 2025-2026, values entered by hand (two approved, one waiting for review) and the
computations the statistics pages read. Idempotent; runs after every other area's demo, whose
records it counts.

Needs the plan imported (`clearinghouse importplan`) and the demo people (accounts.demo). The
targets and values entered by hand are illustrative; the evidence links point to real pages of
the Convention.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.monitoring import catalogue, compute
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Indicator, ManualValue, Target

SECRETARIAT_EMAIL = "secretariat@demo.clearinghouse.example"
FOCAL_POINT_EMAIL = "focalpoint.ke@demo.clearinghouse.example"

# What the Secretariat aims at for the biennium, for a few computed indicators.
TARGETS = {
    "1.1": 30.0,  # Parties registering their needs
    "1.3": 20.0,  # needs matched with support
    "2.1b": 120.0,  # resources shared
    "3.2b": 150.0,  # people completing courses
    "4.1": 25.0,  # Parties assisted by the help desk
    "5.2b": 500000.0,  # co-financing mobilised, USD
}

# The years and bienniums the statistics pages show.
PERIODS = [
    Period.years(2024),
    Period.years(2025),
    Period.years(2026),
    Period.years(2023, 2024),
    Period.years(2025, 2026),
]


@dataclass(frozen=True)
class Entered:
    code: str
    first: int
    last: int
    value: float
    language: str
    evidence: str
    url: str
    approved: bool
    by: str = SECRETARIAT_EMAIL


ENTERED = [
    Entered(
        "89.1",
        2023,
        2024,
        4,
        "en",
        "Ratifications of and accessions to the Nagoya Protocol recorded by the depositary in 2023 "
        "and 2024, by countries whose officials took part in the access and benefit-sharing "
        "workshops of the plan.",
        "https://www.cbd.int/abs/nagoya-protocol/signatories/",
        approved=True,
    ),
    Entered(
        "73.3",
        2025,
        2025,
        196,
        "fr",
        "Nombre de correspondants nationaux de la Convention désignés par les Parties au 31 "
        "décembre 2025, d'après la liste tenue par le Secrétariat.",
        "https://www.cbd.int/information/nfp.shtml",
        approved=True,
    ),
    Entered(
        "16.1",
        2025,
        2026,
        14,
        "en",
        "Countries whose seventh national reports describe biodiversity mainstreamed into national "
        "development plans or sectoral policies (first reading by the Kenyan focal point of the "
        "reports submitted so far).",
        "https://www.cbd.int/reports/",
        approved=False,
        by=FOCAL_POINT_EMAIL,
    ),
]


def _person(email: str) -> User:
    person = User.objects.filter(email=email).first()
    if person is None:
        raise CommandError(f"The demo person {email} is missing: load the accounts' demo first.")
    return person


def load() -> list[str]:
    """Load the catalogue, the demo targets and values, and compute the demo periods once."""
    try:
        catalogue.load()
    except catalogue.CatalogueError as error:
        raise CommandError(f"The catalogue of indicators does not load:\n{error}") from error
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for code, value in TARGETS.items():
        Target.objects.get_or_create(
            indicator=indicators[code], period_start=2025, period_end=2026, defaults={"value": value}
        )
    secretariat = _person(SECRETARIAT_EMAIL)
    for entered in ENTERED:
        indicator = indicators[entered.code]
        if ManualValue.objects.filter(
            indicator=indicator, period_start=entered.first, period_end=entered.last
        ).exists():
            continue
        reviewed = {"reviewed_by": secretariat, "reviewed_at": timezone.now()} if entered.approved else {}
        ManualValue.objects.create(
            indicator=indicator,
            period_start=entered.first,
            period_end=entered.last,
            value=entered.value,
            evidence=entered.evidence,
            evidence_url=entered.url,
            language=entered.language,
            state=ManualValue.State.APPROVED if entered.approved else ManualValue.State.SUBMITTED,
            submitted_by=_person(entered.by),
            **reviewed,
        )
    computed = [period for period in PERIODS if compute.current(period) is None]
    for period in computed:
        compute.compute(period, by=secretariat)
    periods = ", ".join(map(str, PERIODS))
    return [f"{'Monitoring':32} {len(indicators)} indicators, computed for {periods}"]
