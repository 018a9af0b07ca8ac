"""Every user-facing string is translated into the six languages."""

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
