"""Every user-facing string is translated into the six languages."""

from pathlib import Path

import polib
import pytest

from clearinghouse.core import catalogues


def test_no_catalogue_has_an_untranslated_or_fuzzy_entry() -> None:
    problems = catalogues.find_problems()
    assert not problems, "\n".join(str(problem) for problem in problems[:50])


def test_every_marked_string_is_in_the_catalogues() -> None:
    missing = catalogues.missing_strings()
    assert not missing, f"run `make catalogues` and translate: {sorted(missing)[:20]}"


def test_catalogues_pass_msgfmt_check() -> None:
    complaints = catalogues.msgfmt_check()
    if complaints and complaints[0].startswith("msgfmt not found"):
        pytest.skip(complaints[0])
    assert not complaints, "\n".join(complaints)


def _write_catalogues(root: Path, plural_forms: dict[str, str], forms: dict[str, list[str]]) -> None:
    """Six one-entry catalogues: a counted string with the given forms under the given rule."""
    for locale in catalogues.LOCALES:
        catalogue = polib.POFile()
        catalogue.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": locale,
            "Plural-Forms": plural_forms.get(locale, catalogues.PLURAL_FORMS[locale]),
        }
        translations = forms.get(locale, ["%(counter)s need", "%(counter)s needs"])
        catalogue.append(
            polib.POEntry(
                msgid="%(counter)s need",
                msgid_plural="%(counter)s needs",
                msgstr_plural=dict(enumerate(translations)),
                flags=["python-format"],
            )
        )
        path = root / locale / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True)
        catalogue.save(str(path))


RUSSIAN_FORMS = ["%(counter)s потребность", "%(counter)s потребности", "%(counter)s потребностей"]
ARABIC_FORMS = [
    "لا احتياجات",
    "احتياج واحد",
    "احتياجان",
    "%(counter)s احتياجات",
    "%(counter)s احتياجًا",
    "%(counter)s احتياج",
]


def test_check_refuses_a_plural_rule_other_than_the_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    four_forms = "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);"
    _write_catalogues(
        tmp_path, {"ru": four_forms}, {"ru": [*RUSSIAN_FORMS, "x"], "ar": ARABIC_FORMS, "zh_Hans": ["x"]}
    )
    reasons = [problem.reason for problem in catalogues.find_problems()]
    assert any(reason.startswith("Plural-Forms header is") for reason in reasons)
    assert "plural forms missing or extra (msgstr[3])" in reasons


def test_check_refuses_a_counted_string_that_lacks_a_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    _write_catalogues(
        tmp_path, {}, {"ru": RUSSIAN_FORMS, "ar": [*ARABIC_FORMS[:4], "", ARABIC_FORMS[5]], "zh_Hans": ["x"]}
    )
    problems = catalogues.find_problems()
    assert [(problem.path.parent.parent.name, problem.reason) for problem in problems] == [
        ("ar", "plural forms missing or extra (msgstr[4])")
    ]


def test_check_refuses_a_catalogue_without_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    _write_catalogues(tmp_path, {}, {"ru": RUSSIAN_FORMS, "ar": ARABIC_FORMS, "zh_Hans": ["x"]})
    path = catalogues.catalogue_path("fr")
    catalogue = polib.pofile(str(path))
    catalogue.metadata["Language"] = ""
    catalogue.save()
    assert [problem.reason for problem in catalogues.find_problems()] == [
        "Language header is '', expected 'fr'"
    ]


def test_update_writes_the_rule_and_keeps_each_form_for_the_numbers_it_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    # Django's own Spanish rule (a form for millions) and Russian rule (a form for fractions).
    spanish_three = "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
    russian_four = (
        "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) "
        "? 1 : n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);"
    )
    _write_catalogues(
        tmp_path,
        {"es": spanish_three, "ru": russian_four, "zh_Hans": "nplurals=2; plural=(n != 1);"},
        {
            "es": ["%(counter)s necesidad", "%(counter)s de necesidades", "%(counter)s necesidades"],
            "ru": [*RUSSIAN_FORMS, "%(counter)s потребности"],
            "ar": ARABIC_FORMS,
            "zh_Hans": ["%(counter)s 项需求", "%(counter)s 项需求"],
        },
    )
    for locale in catalogues.LOCALES:
        catalogues.enforce_plural_forms(locale)
    assert catalogues.find_problems() == []

    def forms(locale: str) -> dict[int, str]:
        return polib.pofile(str(catalogues.catalogue_path(locale)))[0].msgstr_plural

    assert forms("es") == {0: "%(counter)s necesidad", 1: "%(counter)s necesidades"}
    assert forms("ru") == dict(enumerate(RUSSIAN_FORMS))
    assert forms("zh_Hans") == {0: "%(counter)s 项需求"}
    assert forms("ar") == dict(enumerate(ARABIC_FORMS))


def test_update_reads_forms_written_under_djangos_rule_after_the_header_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A branch that still followed Django's Spanish rule (three forms, the second for millions)
    # merged into catalogues that already declare the two-form rule.
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    _write_catalogues(
        tmp_path,
        {},
        {
            "es": ["%(counter)s necesidad", "%(counter)s de necesidades", "%(counter)s necesidades"],
            "ru": RUSSIAN_FORMS,
            "ar": ARABIC_FORMS,
            "zh_Hans": ["%(counter)s 项需求"],
        },
    )
    catalogues.enforce_plural_forms("es")
    entry = polib.pofile(str(catalogues.catalogue_path("es")))[0]
    assert entry.msgstr_plural == {0: "%(counter)s necesidad", 1: "%(counter)s necesidades"}
