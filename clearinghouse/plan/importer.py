"""Importing the annex of decision XIII/23 into the database (``clearinghouse importplan``).

``import_plan`` parses the Arabic text with ``parser.py`` and makes the database match it:
activities are created or updated by number, their outputs and indicators by position, so that a
second run changes nothing. The annex's list of abbreviations becomes Organisation records (never
a second one for an acronym already registered), and each activity is linked to the organisations
its partners cell names. Aichi targets come from the theme headings; the GBF targets follow from
the Aichi vocabulary's mapping and are not stored.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from clearinghouse.core.languages import content_language
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan import search
from clearinghouse.plan.models import (
    AICHI_VOCABULARY,
    Activity,
    ActivityIndicator,
    ActivityItem,
    ActivityOutput,
    text_language,
)
from clearinghouse.plan.parser import Activity as ParsedActivity
from clearinghouse.plan.parser import ParseProblem, PartnerAbbreviation, parse_plan
from clearinghouse.plan.translations import (
    TranslationFileError,
    TranslationReport,
    apply_translations,
    read_folder,
)
from clearinghouse.vocabularies.models import Term

# Entries of the list of abbreviations that are not organisations: a plan and three bodies of the
# Convention itself. They are left out of the organisations registry.
NOT_ORGANISATIONS = {
    "NBSAP": "a national plan, not an organisation",
    "SBI": "a subsidiary body of the Convention",
    "SBSTTA": "a subsidiary body of the Convention",
    "WG8J": "a working group of the Convention",
}

# The names of the organisations of the list of abbreviations in the other five languages, as
# {acronym: {language: name}}: the official name where the body has one in that language.
ORGANISATION_NAMES_FILE = Path(__file__).resolve().parent / "data" / "organisation-names.json"
TRANSLATION_LANGUAGES = ("en", "fr", "es", "ru", "zh-hans")

# Other wordings the partners cells use for organisations of the list, checked by hand against
# the list's names (the Arabic sections C and D write names, not acronyms).
ALIASES: dict[str, tuple[str, ...]] = {
    "World Bank": ("WB",),
    "CSP": ("CSPB",),  # the Consortium of Scientific Partners on Biodiversity
    "UNDP-BIOFIN": ("UNDP", "BIOFIN"),
    "الفاو": ("FAO",),
    "منظمة الأغذية والزراعة": ("FAO",),
    "اليونيب": ("UNEP",),
    "الأونكتاد": ("UNCTAD",),
    "مبادرة الحصول وتقاسم المنافع": ("ABS",),
    "مركز رابطة أمم جنوب شرق آسيا للتنوع البيولوجي": ("ACB",),
    "برنامج البيئة الإقليمي للمحيط الهادئ": ("SPREP",),
}

# Organisation types, best effort from the acronym and the (Arabic) name:
# - un_body: an acronym part starting with "UN" (UNDP, IOC-UNESCO, UN-Stat, UNU-IAS), a name
#   naming the United Nations (الأمم المتحدة), or a body of the UN system whose name does not say so;
# - intergovernmental: a name naming a convention, treaty or intergovernmental body, or an
#   organisation of states whose name does not say so;
# - ngo: everything else (networks, partnerships, research centres, foundations).
# Without the article, so that "للأمم المتحدة" (of the United Nations) matches too.
UN_NAME_WORDS = ("لأمم المتحدة", "United Nations")
UN_SYSTEM = {"IMO", "WHO", "WB", "SCBD"}
INTERGOVERNMENTAL_NAME_WORDS = (
    "اتفاقية",
    "المعاهدة",
    "الحكومي الدولي",
    "الحكومية الدولية",
    "لاتحاد الأوروبي",
)
INTERGOVERNMENTAL = {
    "ACB",
    "AIIB",
    "EEA",
    "GBIF",
    "GEF",
    "IDLO",
    "ITTO",
    "OECD",
    "OIE",
    "SPC",
    "SPREP",
    "WTO",
}

# Between the organisations named in a partners item, only connectives and punctuation may remain
# for the item to count as fully matched.
CONNECTIVES = re.compile(r"\b(?:and|the)\b|[\s()/,،;؛\-&.]|(?<!\S)و(?=\s|$)")
# Arabic lists join names with و ("and") written on the next word.
WAW_JOIN = re.compile(r"\s+و(?=\S)")
# "Full Name (ACRONYM)": the bracket gives the acronym of the name before it.
NAME_WITH_ACRONYM = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<acronym>[^(),;]+)\)$")
TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)$")
validate_url = URLValidator()


@dataclass(frozen=True)
class PlanTotals:
    """What the database holds of the plan."""

    activities: int
    sections: dict[str, int]
    priority: int
    secretariat: int

    @classmethod
    def from_database(cls) -> PlanTotals:
        activities = Activity.objects.all()
        sections = Counter(activities.values_list("section", flat=True))
        return cls(
            activities=activities.count(),
            sections={letter: sections.get(letter, 0) for letter in "ABCD"},
            priority=activities.filter(priority=True).count(),
            secretariat=activities.filter(secretariat=True).count(),
        )


@dataclass
class ImportReport:
    """What an import did; ``summary`` is the last line `importplan` prints."""

    path: Path
    problems: list[ParseProblem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: list[str] = field(default_factory=list)
    organisations_found: list[str] = field(default_factory=list)
    abbreviations_skipped: list[str] = field(default_factory=list)
    bad_websites: list[str] = field(default_factory=list)
    organisation_names_translated: list[str] = field(default_factory=list)
    partner_links: int = 0
    other_partners: int = 0
    aichi_vocabulary_loaded: bool = True
    aichi_terms_missing: list[str] = field(default_factory=list)
    totals: PlanTotals | None = None
    translations: TranslationReport | None = None

    @property
    def summary(self) -> str:
        totals = self.totals or PlanTotals.from_database()
        sections = ",".join(f"{letter}:{count}" for letter, count in totals.sections.items())
        return (
            f"plan activities={totals.activities} sections={sections} priority={totals.priority} "
            f"secretariat={totals.secretariat} unparsed={len(self.problems)}"
        )

    def notes(self) -> list[str]:
        """What else a person running the import should know, one line each."""
        lines = [
            f"activities: {self.created} created, {self.updated} updated, {self.unchanged} unchanged",
            f"organisations from the list of abbreviations: {len(self.organisations_created)} created, "
            f"{len(self.organisations_found)} already registered, "
            f"{len(self.organisation_names_translated)} given names in other languages",
            f"partners: {self.partner_links} links to organisations, "
            f"{self.other_partners} names kept as text",
        ]
        lines += [
            f"abbreviation {entry} left out: {NOT_ORGANISATIONS[entry]}"
            for entry in self.abbreviations_skipped
        ]
        lines += [
            f"abbreviation {entry}: its web address is not valid and was left out"
            for entry in self.bad_websites
        ]
        if not self.aichi_vocabulary_loaded:
            lines.append(
                f"the {AICHI_VOCABULARY} vocabulary is not loaded: Aichi targets were left as they were "
                "(run `clearinghouse loadreference`, then import again)"
            )
        elif self.aichi_terms_missing:
            lines.append(f"Aichi target terms not found: {', '.join(self.aichi_terms_missing)}")
        if self.translations is not None:
            lines += self.translations.notes()
        return lines


def organisation_type(acronym: str, name: str) -> OrganisationType:
    """The type of an organisation of the list of abbreviations (see the rules above)."""
    parts = re.split(r"[-/ ]", acronym)
    if any(part.startswith("UN") for part in parts) or acronym in UN_SYSTEM:
        return OrganisationType.UN_BODY
    if any(word in name for word in UN_NAME_WORDS):
        return OrganisationType.UN_BODY
    if acronym in INTERGOVERNMENTAL or any(word in name for word in INTERGOVERNMENTAL_NAME_WORDS):
        return OrganisationType.INTERGOVERNMENTAL
    return OrganisationType.NGO


def website(address: str) -> str:
    """A full web address: the list writes some without a scheme ("www.fao.org")."""
    if not address:
        return ""
    url = address if re.match(r"^https?://", address) else f"https://{address}"
    validate_url(url)
    return url


def _organisations(abbreviations: list[PartnerAbbreviation], report: ImportReport) -> dict[str, Organisation]:
    """The organisation of each entry of the list of abbreviations, created when missing."""
    organisations: dict[str, Organisation] = {}
    # The first registered under each acronym, whatever its case: one query for the whole list.
    registered: dict[str, Organisation] = {}
    for organisation in Organisation.objects.exclude(acronym="").order_by("-pk"):
        registered[organisation.acronym.casefold()] = organisation
    for entry in abbreviations:
        if entry.acronym in NOT_ORGANISATIONS:
            report.abbreviations_skipped.append(entry.acronym)
            continue
        existing = registered.get(entry.acronym.casefold())
        if existing is not None:
            organisations[entry.acronym] = existing
            report.organisations_found.append(entry.acronym)
            continue
        try:
            address = website(entry.url)
        except ValidationError:
            address = ""
            report.bad_websites.append(entry.acronym)
        organisations[entry.acronym] = registered[entry.acronym.casefold()] = Organisation.objects.create(
            name=entry.name,
            name_language=text_language(entry.name),
            acronym=entry.acronym,
            type=organisation_type(entry.acronym, entry.name),
            website=address,
        )
        report.organisations_created.append(entry.acronym)
    return organisations


def organisation_names(path: Path) -> dict[str, dict[str, str]]:
    """The names of ``path`` (see ORGANISATION_NAMES_FILE), checked: a name in each language."""
    names: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    for acronym, by_language in names.items():
        if sorted(by_language) != sorted(TRANSLATION_LANGUAGES) or not all(
            isinstance(name, str) and name.strip() for name in by_language.values()
        ):
            languages = ", ".join(TRANSLATION_LANGUAGES)
            raise TranslationFileError(
                f"{path}: {acronym} needs a name in each of {languages} and nothing else"
            )
    return names


def _translate_organisation_names(
    abbreviations: list[PartnerAbbreviation], organisations: dict[str, Organisation], report: ImportReport
) -> None:
    """Give each organisation of the list its name in the languages it lacks.

    A name the organisation already has in a language is kept (an editor may have corrected it),
    so a second import changes nothing. An organisation registered before the import under another
    language also gets the list's own name.
    """
    names = organisation_names(ORGANISATION_NAMES_FILE)
    unknown = sorted(set(names) - set(organisations))
    if unknown:
        raise TranslationFileError(
            f"{ORGANISATION_NAMES_FILE}: not an organisation of the list of abbreviations: "
            + ", ".join(unknown)
        )
    listed = {entry.acronym: entry.name for entry in abbreviations}
    for acronym, organisation in organisations.items():
        wanted = {text_language(listed[acronym]): listed[acronym]}
        wanted |= {content_language(code): name for code, name in names.get(acronym, {}).items()}
        wanted.pop(organisation.name_language, None)
        merged = wanted | organisation.name_translations
        if merged != organisation.name_translations:
            organisation.name_translations = merged
            organisation.save(update_fields=["name_translations", "updated_at"])
            report.organisation_names_translated.append(acronym)


class PartnerMatcher:
    """Finds the registered organisations that an item of a partners cell names.

    An item names an organisation by its acronym ("IUCN", also inside "BBI partners" or
    "UNDP/ BES-Net"), by the full name the list of abbreviations gives it, or by one of ALIASES.
    Longer acronyms are matched first so that "UNEP-WCMC" is not read as UNEP.
    """

    def __init__(self, organisations: dict[str, Organisation], abbreviations: Iterable[PartnerAbbreviation]):
        # Every registered organisation with a Latin acronym counts, not only those of the list.
        registry = Organisation.objects.exclude(acronym="").order_by("-pk")
        self.by_acronym: dict[str, Organisation] = {org.acronym: org for org in registry}
        self.by_acronym.update(organisations)
        self.names: dict[str, tuple[str, ...]] = {}
        for entry in abbreviations:
            if entry.acronym in self.by_acronym:
                self.names.setdefault(entry.name, (entry.acronym,))
                self.names.setdefault(TRAILING_BRACKET.sub("", entry.name), (entry.acronym,))
        self.tokens: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
        latin: dict[str, tuple[str, ...]] = {
            acronym: (acronym,) for acronym in self.by_acronym if re.match(r"^[A-Za-z]", acronym)
        }
        for alias, acronyms in ALIASES.items():
            if text_language(alias) == "ar":
                self.names.setdefault(alias, acronyms)
            else:
                latin[alias] = acronyms
        for text in sorted(latin, key=len, reverse=True):
            pattern = re.compile(rf"(?<![A-Za-z0-9\-]){re.escape(text)}(?![A-Za-z0-9\-])")
            self.tokens.append((pattern, latin[text]))

    def match(self, item: str) -> tuple[list[Organisation], bool]:
        """The organisations an item names, and whether it names nothing else."""
        acronyms: dict[str, None] = {}  # in order of mention, once each
        rest = item
        for part in dict.fromkeys([item, *WAW_JOIN.split(item)]):
            if part in self.names and part in rest:
                acronyms.update(dict.fromkeys(self.names[part]))
                rest = rest.replace(part, " ")
        for pattern, named in self.tokens:
            if pattern.search(rest):
                acronyms.update(dict.fromkeys(named))
                rest = pattern.sub(" ", rest)
        organisations = [self.by_acronym[acronym] for acronym in acronyms if acronym in self.by_acronym]
        bracketed = NAME_WITH_ACRONYM.match(item)
        if bracketed and len(organisations) == 1 and bracketed["acronym"].strip() in acronyms:
            return organisations, True
        return organisations, bool(organisations) and not CONNECTIVES.sub("", rest)


def _aichi_terms() -> dict[int, Term] | None:
    """Aichi targets by number, or None when the vocabulary is not loaded."""
    terms = Term.objects.filter(vocabulary__name=AICHI_VOCABULARY, code__startswith="AICHI-T")
    found = {int(term.code.removeprefix("AICHI-T")): term for term in terms if term.code[7:].isdigit()}
    return found or None


def _sync_items(
    model: type[ActivityOutput] | type[ActivityIndicator],
    activities: dict[int, Activity],
    texts: dict[int, list[str]],
) -> set[int]:
    """Make each activity's outputs or indicators its texts, in order (``texts`` by activity
    number); the numbers of the activities where anything changed.

    A row keeps its translations while its text is unchanged; a changed text loses them, since they
    translated the old one. One query reads the rows and at most three write them, whatever the
    number of activities.
    """
    numbers = {activity.pk: number for number, activity in activities.items()}
    existing: dict[tuple[int, int], ActivityItem] = {
        (numbers[item.activity_id], item.position): item
        for item in model.objects.filter(activity_id__in=list(numbers))
    }
    created: list[ActivityItem] = []
    updated: list[ActivityItem] = []
    changed: set[int] = set()
    for number, wanted in texts.items():
        for position, text in enumerate(wanted, start=1):
            item = existing.pop((number, position), None)
            if item is None:
                created.append(model(activity=activities[number], position=position, text=text))
                changed.add(number)
            elif item.text != text:
                item.text, item.translations = text, {}
                updated.append(item)
                changed.add(number)
    # Rows past the new end of a cell go before the new rows take their places.
    leftover = [item for (number, _position), item in existing.items() if number in texts]
    if leftover:
        model.objects.filter(pk__in=[item.pk for item in leftover]).delete()
        changed.update(number for number, _position in existing if number in texts)
    model.objects.bulk_create(created)  # type: ignore[arg-type]
    model.objects.bulk_update(updated, ["text", "translations"])  # type: ignore[arg-type]
    return changed


def _sync_links(
    relation: Any, activities: dict[int, Activity], wanted: dict[int, set[int]], target: str
) -> set[int]:
    """Make each activity's links of a many-to-many ``relation`` (``Activity.partners`` or
    ``Activity.aichi_targets``) the primary keys of ``wanted``, by activity number; the numbers of
    the activities whose links changed."""
    through = relation.through
    column = f"{target}_id"
    numbers = {activity.pk: number for number, activity in activities.items()}
    linked: dict[int, dict[int, int]] = {number: {} for number in wanted}
    for pk, activity_id, target_id in through.objects.filter(activity_id__in=list(numbers)).values_list(
        "pk", "activity_id", column
    ):
        linked.setdefault(numbers[activity_id], {})[target_id] = pk
    removed: list[int] = []
    added = []
    changed: set[int] = set()
    for number, targets in wanted.items():
        links = linked[number]
        gone = [pk for target_id, pk in links.items() if target_id not in targets]
        new = [target_id for target_id in targets if target_id not in links]
        if gone or new:
            changed.add(number)
            removed += gone
            added += [through(activity_id=activities[number].pk, **{column: target_id}) for target_id in new]
    if removed:
        through.objects.filter(pk__in=removed).delete()
    through.objects.bulk_create(added)
    return changed


# The texts of an activity that carry their own translations.
OWN_TRANSLATIONS = {
    "text_original": "text_translations",
    "theme": "theme_translations",
    "partners_text": "partners_translations",
}


def _values(
    parsed: ParsedActivity, matcher: PartnerMatcher, report: ImportReport
) -> tuple[dict[str, Any], set[int]]:
    """An activity's fields as the annex gives them, and its partner organisations' keys."""
    partners: set[int] = set()
    other_partners: list[str] = []
    for item in parsed.partners:
        organisations, complete = matcher.match(item)
        partners.update(organisation.pk for organisation in organisations)
        if not complete:
            other_partners.append(item)
    report.partner_links += len(partners)
    report.other_partners += len(other_partners)
    values = {
        "section": parsed.section,
        "theme": parsed.theme,
        "text_original": parsed.text,
        "priority": parsed.priority,
        "secretariat": parsed.secretariat,
        "decisions": [decision.text for decision in parsed.decisions],
        "decisions_text": parsed.decisions_text,
        "timeframe_text": parsed.timeframe_text,
        "start_year": parsed.start_year,
        "end_year": parsed.end_year,
        "other_partners": other_partners,
        "partners_text": parsed.partners_text,
    }
    return values, partners


def _sync_activities(
    parsed_activities: list[ParsedActivity],
    matcher: PartnerMatcher,
    aichi: dict[int, Term] | None,
    report: ImportReport,
) -> None:
    """Make the activities, their outputs, indicators, partners and Aichi targets what the annex
    says, in a few queries for the whole plan rather than a dozen per activity."""
    # A number given twice (the parser reports it as a problem): the later row wins, as it would
    # row by row.
    parsed_activities = list({parsed.number: parsed for parsed in parsed_activities}.values())
    existing = Activity.objects.in_bulk([parsed.number for parsed in parsed_activities], field_name="number")
    new: list[Activity] = []
    updated: list[Activity] = []
    changed: set[int] = set()
    partners: dict[int, set[int]] = {}
    fields: set[str] = set()
    for parsed in parsed_activities:
        values, partners[parsed.number] = _values(parsed, matcher, report)
        activity = existing.get(parsed.number)
        if activity is None:
            new.append(Activity(number=parsed.number, **values))
            continue
        differing = [name for name, value in values.items() if getattr(activity, name) != value]
        if differing:
            # Translations of a text that changed translated the old text.
            for name in differing:
                if name in OWN_TRANSLATIONS:
                    setattr(activity, OWN_TRANSLATIONS[name], {})
                    fields.add(OWN_TRANSLATIONS[name])
                setattr(activity, name, values[name])
            fields.update(differing)
            updated.append(activity)
            changed.add(parsed.number)
    Activity.objects.bulk_create(new)
    if updated:
        Activity.objects.bulk_update(updated, sorted(fields))
    created = {activity.number for activity in new}
    activities = Activity.objects.in_bulk(
        [parsed.number for parsed in parsed_activities], field_name="number"
    )
    changed |= _sync_items(
        ActivityOutput, activities, {parsed.number: parsed.outputs for parsed in parsed_activities}
    )
    changed |= _sync_items(
        ActivityIndicator, activities, {parsed.number: parsed.indicators for parsed in parsed_activities}
    )
    changed |= _sync_links(Activity.partners, activities, partners, "organisation")
    if aichi is not None:
        targets: dict[int, set[int]] = {}
        for parsed in parsed_activities:
            targets[parsed.number] = {aichi[n].pk for n in parsed.aichi_targets if n in aichi}
            report.aichi_terms_missing += [f"AICHI-T{n}" for n in parsed.aichi_targets if n not in aichi]
        changed |= _sync_links(Activity.aichi_targets, activities, targets, "term")
    report.created += len(created)
    report.updated += len(changed - created)
    report.unchanged += len(parsed_activities) - len(created) - len(changed - created)


@transaction.atomic
def import_plan(path: Path | str, translations: Path | None = None) -> ImportReport:
    """Create or update the action plan from the Arabic text of decision XIII/23 (idempotent).

    Activities no longer in the text are left alone (their progress records matter more than
    the tidiness of the table); the parser reports any row it could not place. With
    ``translations``, a folder of translation files (``translations.py``), those are applied
    after the Arabic; a file that does not fit the plan raises TranslationFileError before
    anything is saved.
    """
    path = Path(path)
    plan = parse_plan(path.read_text(encoding="utf-8"))
    files = read_folder(translations, plan) if translations is not None else None
    report = ImportReport(path=path, problems=plan.problems)
    organisations = _organisations(plan.abbreviations, report)
    _translate_organisation_names(plan.abbreviations, organisations, report)
    matcher = PartnerMatcher(organisations, plan.abbreviations)
    aichi = _aichi_terms()
    report.aichi_vocabulary_loaded = aichi is not None
    _sync_activities(plan.activities, matcher, aichi, report)
    report.aichi_terms_missing = sorted(set(report.aichi_terms_missing))
    if files is not None:
        report.translations = apply_translations(plan, *files)
    report.totals = PlanTotals.from_database()
    search.reindex(Activity.objects.values_list("number", flat=True))
    return report
