from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clearinghouse.geo.services import COUNTRIES_FILE, CountryDataError, load_countries
from clearinghouse.vocabularies.labels import missing_labels
from clearinghouse.vocabularies.models import Term, Vocabulary
from clearinghouse.vocabularies.services import DATA_DIR, VocabularyDataError, data_files, load_vocabularies
from clearinghouse.vocabularies.signals import loading_reference


class Command(BaseCommand):
    help = (
        "Load the reference data: M49 regions and countries (geo/data/countries.json) and every "
        "vocabulary (vocabularies/data/*.json). Idempotent; one transaction, so an error changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--countries", type=Path, default=COUNTRIES_FILE, help="the country file")
        parser.add_argument(
            "--vocabularies", type=Path, default=DATA_DIR, help="a directory of vocabulary files"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = data_files(options["vocabularies"])
        if not files:
            raise CommandError(f"{options['vocabularies']}: no vocabulary files (*.json)")
        try:
            with transaction.atomic():
                geo = load_countries(options["countries"])
                vocabularies = load_vocabularies(files)
                # Other apps' reference data (survey templates of events...), in the same transaction.
                others: list[tuple[str, int, int]] = [
                    cast("tuple[str, int, int]", result)
                    for _receiver, result in loading_reference.send(sender=self.__class__)
                    if result
                ]
                # Names edited since (admin, database) are checked too: each needs six labels.
                missing = missing_labels()
                if missing:
                    lines = "\n".join(str(item) for item in missing)
                    raise VocabularyDataError(f"labels missing in some languages:\n{lines}\n")
        except (CountryDataError, VocabularyDataError) as error:
            raise CommandError(f"{error} (nothing was changed)") from error
        # Totals from the database: files unchanged since their last load are skipped.
        terms = Term.objects.filter(is_active=True).count()
        changed = sum(result.changed for result in vocabularies)
        totals = "".join(f" {name}={total}" for name, total, _changed in others)
        changes = "".join(f" {name}={count}" for name, _total, count in others)
        self.stdout.write(
            f"reference countries={geo.countries} regions={geo.regions} "
            f"vocabularies={Vocabulary.objects.count()} terms={terms}{totals} "
            f"(changed: countries={geo.countries_changed} regions={geo.regions_changed} "
            f"vocabularies={changed}{changes})"
        )
