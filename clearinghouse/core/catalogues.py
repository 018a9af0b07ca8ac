"""The platform's translation catalogues: update, check and compile them.

    python -m clearinghouse.core.catalogues update   # extract new strings into the six .po files
    python -m clearinghouse.core.catalogues check    # fail on untranslated or fuzzy entries
    python -m clearinghouse.core.catalogues compile  # build the .mo files (Babel: no gettext needed)

English is the source language: its catalogue carries each string as its own translation, so
that "untranslated" means the same thing in all six catalogues.

Each catalogue declares its language and the CLDR plural rule of that language for whole
numbers. `update` writes both headers (extraction would otherwise keep whatever an earlier tool
wrote) and `check` fails when a header differs or a counted string lacks one of its forms.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
# Locale directory names (Django's to_locale form) of the six UN languages.
LOCALES = ("ar", "zh_Hans", "en", "fr", "ru", "es")


# The CLDR plural categories of whole numbers, in gettext's notation, one index per category in
# CLDR's order (zero, one, two, few, many, other). French and Spanish also have a CLDR "many"
# category, but only for millions written in words ("un million de"); counts here are digits.
PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 && n%100<=99 ? 4 : 5);",
    "zh_Hans": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 "
    "&& (n%100<12 || n%100>14) ? 1 : 2);",
    "es": "nplurals=2; plural=(n != 1);",
}


def plural_count(plural_forms: str) -> int:
    """The `nplurals` of a Plural-Forms header."""
    return int(plural_forms.split("nplurals=")[1].split(";")[0])


def plural_rule(plural_forms: str) -> Callable[[int], int]:
    """The form index a Plural-Forms header chooses for a number."""
    return gettext.c2py(plural_forms.split("plural=", 1)[1].rstrip().rstrip(";"))


def catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


@dataclass(frozen=True)
class Problem:
    path: Path
    msgid: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(PACKAGE_DIR.parent)}: {self.reason}: {self.msgid!r}"


def find_problems() -> list[Problem]:
    """Untranslated and fuzzy entries, wrong headers, counted strings lacking a form, and
    missing catalogues, in all six languages."""
    problems: list[Problem] = []
    for locale in LOCALES:
        path = catalogue_path(locale)
        if not path.exists():
            problems.append(Problem(path, "", "catalogue missing"))
            continue
        catalogue = polib.pofile(str(path))
        problems += _header_problems(path, locale, catalogue)
        forms = plural_count(PLURAL_FORMS[locale])
        for entry in catalogue:
            if entry.obsolete:
                continue
            if entry.fuzzy:
                problems.append(Problem(path, entry.msgid, "fuzzy"))
            elif entry.msgid_plural and _plural_gaps(entry, forms):
                gaps = ", ".join(f"msgstr[{index}]" for index in _plural_gaps(entry, forms))
                problems.append(Problem(path, entry.msgid, f"plural forms missing or extra ({gaps})"))
            elif not entry.translated():
                problems.append(Problem(path, entry.msgid, "untranslated"))
    return problems


def _header_problems(path: Path, locale: str, catalogue: polib.POFile) -> list[Problem]:
    problems = []
    language = catalogue.metadata.get("Language", "")
    if language != locale:
        # Babel compiles a catalogue without a Language header as if it had no plural rule.
        problems.append(Problem(path, "", f"Language header is {language!r}, expected {locale!r}"))
    declared = " ".join(catalogue.metadata.get("Plural-Forms", "").split())
    if declared != PLURAL_FORMS[locale]:
        problems.append(
            Problem(path, "", f"Plural-Forms header is {declared!r}, expected {PLURAL_FORMS[locale]!r}")
        )
    return problems


def _plural_gaps(entry: polib.POEntry, forms: int) -> list[int]:
    """Indices of forms a counted string lacks (empty) or has beyond the language's count."""
    missing = [index for index in range(forms) if not entry.msgstr_plural.get(index)]
    extra = sorted(index for index in entry.msgstr_plural if index >= forms)
    return missing + extra


def msgfmt_check() -> list[str]:
    """Run `msgfmt -c` on every catalogue; return its complaints."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return ["msgfmt not found: install gettext to check the catalogues' format"]
    complaints = []
    for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        result = subprocess.run(  # noqa: S603  # nosec B603  # fixed program, paths from our own tree
            [msgfmt, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            complaints.append(result.stderr.strip())
    return complaints


def compile_all() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo_path = path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= path.stat().st_mtime:
            continue
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=path.parent.parent.name)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalogue)


def _makemessages(source_dir: Path, locale_dir: Path, locales: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    import django
    from django.core.management import call_command
    from django.core.management.commands import makemessages
    from django.test.utils import override_settings

    class MakeMessages(makemessages.Command):
        # No fuzzy guesses from similar strings: a new string is untranslated until translated.
        msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    django.setup()
    cwd = Path.cwd()
    os.chdir(source_dir)
    try:
        with override_settings(LOCALE_PATHS=[locale_dir]):
            call_command(MakeMessages(), locale=locales, no_obsolete=True, add_location="file", verbosity=0)
    finally:
        os.chdir(cwd)


def missing_strings() -> set[str]:
    """Marked strings in the code that the catalogues do not have yet (run `update`)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        # makemessages writes beside the sources it reads, so it reads a copy.
        source_dir = Path(scratch) / "src"
        shutil.copytree(
            PACKAGE_DIR, source_dir, ignore=shutil.ignore_patterns("locale", "__pycache__", "static")
        )
        locale_dir = Path(scratch) / "locale"
        (locale_dir / "en" / "LC_MESSAGES").mkdir(parents=True)
        _makemessages(source_dir, locale_dir, ["en"])
        extracted = {entry.msgid for entry in polib.pofile(str(locale_dir / "en/LC_MESSAGES/django.po"))}
    known = {entry.msgid for entry in polib.pofile(str(catalogue_path("en")))}
    return extracted - known


def enforce_plural_forms(locale: str) -> None:
    """Write the language's headers into its catalogue and give every counted string exactly
    the forms the rule has.

    A counted string written under another rule has each form carried over from the old form
    that the same number chose, so translations survive a change of rule (Russian's fourth
    form for fractions is dropped; a form the old rule lacked stays empty for a translator)."""
    path = catalogue_path(locale)
    catalogue = polib.pofile(str(path))
    before = str(catalogue)
    expected = PLURAL_FORMS[locale]
    rules = _known_rules(locale, catalogue.metadata.get("Plural-Forms", ""))
    new_rule = plural_rule(expected)
    forms = plural_count(expected)
    # The smallest whole number that chooses each form of the new rule.
    samples = {new_rule(number): number for number in reversed(range(1000))}
    for entry in catalogue:
        if not entry.msgid_plural:
            continue
        old = dict(entry.msgstr_plural)
        old_rule = rules.get(len(old), new_rule)
        entry.msgstr_plural = {index: old.get(old_rule(samples[index]), "") for index in range(forms)}
    catalogue.metadata["Language"] = locale
    catalogue.metadata["Plural-Forms"] = expected
    if str(catalogue) != before:
        catalogue.save()
        if locale != "en":  # update() saves the English catalogue with polib's layout anyway
            _rewrap(path)


def _known_rules(locale: str, declared: str) -> dict[int, Callable[[int], int]]:
    """The rules a counted string of this catalogue may have been written under, by number of
    forms: the language's own, Django's catalogue's (which the catalogues were first created
    with, and which translations made before a change of header follow), the declared one."""
    import django

    rules = {plural_count(PLURAL_FORMS[locale]): plural_rule(PLURAL_FORMS[locale])}
    djangos = Path(django.__file__).parent / "conf" / "locale" / locale / "LC_MESSAGES" / "django.po"
    if djangos.exists():
        header = polib.pofile(str(djangos)).metadata.get("Plural-Forms", "")
        if "plural=" in header:
            rules[plural_count(header)] = plural_rule(header)
    if "plural=" in declared:
        rules[plural_count(declared)] = plural_rule(declared)
    return rules


def _rewrap(path: Path) -> None:
    """Wrap lines as makemessages does (polib wraps differently), so that diffs show only
    what changed."""
    msgcat = shutil.which("msgcat")
    if msgcat is not None:
        subprocess.run(  # noqa: S603  # nosec B603  # fixed program, a path from our own tree
            [msgcat, "-o", str(path), str(path)], check=True
        )


def update() -> None:
    """Extract strings with Django's makemessages, enforce each language's plural rule, then
    mirror English source strings."""
    _makemessages(PACKAGE_DIR, LOCALE_DIR, list(LOCALES))
    for locale in LOCALES:
        enforce_plural_forms(locale)
    english = polib.pofile(str(catalogue_path("en")))
    for entry in english:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    english.save()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "compile":
        compile_all()
        return 0
    if command == "update":
        update()
        return 0
    if command == "check":
        complaints = [str(problem) for problem in find_problems()] + msgfmt_check()
        complaints += [
            f"not in the catalogues (run `update`): {msgid!r}" for msgid in sorted(missing_strings())
        ]
        for complaint in complaints:
            print(complaint, file=sys.stderr)  # noqa: T201 - a command-line report
        if not complaints:
            print(f"catalogues: {len(LOCALES)} languages, every entry translated, msgfmt -c clean")  # noqa: T201
        return 1 if complaints else 0
    print(__doc__, file=sys.stderr)  # noqa: T201
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
