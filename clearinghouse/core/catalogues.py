"""The platform's translation catalogues: update, check and compile them.

    python -m clearinghouse.core.catalogues update   # extract new strings into the six .po files
    python -m clearinghouse.core.catalogues check    # fail on untranslated or fuzzy entries
    python -m clearinghouse.core.catalogues compile  # build the .mo files (Babel: no gettext needed)

English is the source language: its catalogue carries each string as its own translation, so
that "untranslated" means the same thing in all six catalogues.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
# Locale directory names (Django's to_locale form) of the six UN languages.
LOCALES = ("ar", "zh_Hans", "en", "fr", "ru", "es")


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
    """Untranslated and fuzzy entries, and missing catalogues, in all six languages."""
    problems: list[Problem] = []
    for locale in LOCALES:
        path = catalogue_path(locale)
        if not path.exists():
            problems.append(Problem(path, "", "catalogue missing"))
            continue
        catalogue = polib.pofile(str(path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if entry.fuzzy:
                problems.append(Problem(path, entry.msgid, "fuzzy"))
            elif not entry.translated():
                problems.append(Problem(path, entry.msgid, "untranslated"))
    return problems


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


def update() -> None:
    """Extract strings with Django's makemessages, then mirror English source strings."""
    _makemessages(PACKAGE_DIR, LOCALE_DIR, list(LOCALES))
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
