"""The demo's harvest: the CBD Clearing-House Mechanism as a source of capacity-development
initiatives. ``make run`` has no network, so its answer is the bundled file shaped like the
CHM's search index answer, read through the same service a scheduled run uses; its records are
then "From the CBD Clearing-House Mechanism", in the six languages. Idempotent: a second load
finds every document unchanged."""

from __future__ import annotations

from pathlib import Path

from clearinghouse.harvest import services
from clearinghouse.harvest.models import Schedule, Source
from clearinghouse.organisations.models import Organisation, OrganisationType

SAMPLE = Path(__file__).resolve().parent / "data" / "chm-capacity-building-initiatives.json"
NAME = "CBD Clearing-House Mechanism"


def _secretariat() -> Organisation:
    found = Organisation.objects.filter(acronym="SCBD").first()
    if found is None:
        found = Organisation(
            name="Secretariat of the Convention on Biological Diversity",
            name_language="en",
            name_translations={
                "ar": "أمانة اتفاقية التنوع البيولوجي",
                "es": "Secretaría del Convenio sobre la Diversidad Biológica",
                "fr": "Secrétariat de la Convention sur la diversité biologique",
                "ru": "Секретариат Конвенции о биологическом разнообразии",
                "zh": "生物多样性公约秘书处",
            },
            acronym="SCBD",
            type=OrganisationType.INTERGOVERNMENTAL,
            website="https://www.cbd.int",
        )
        found.save()
    return found


def load() -> list[str]:
    source, _created = Source.objects.get_or_create(
        name=NAME,
        defaults={
            "url": "https://api.cbd.int/api/v2013/index/select?q=schema_s:capacityBuildingInitiative"
            "+AND+realm_ss:chm+AND+NOT+version_s:*&rows=500",
            "mapping": "chm-initiative",
            "owner_organisation": _secretariat(),
            # Harvested by hand in the demo: a scheduled run would need the network.
            "schedule": Schedule.MANUAL,
        },
    )
    run = services.harvest(source, body=SAMPLE.read_bytes())
    return [f"Harvest: {run.created} initiatives from {NAME} ({run.unchanged} unchanged)."]
