import datetime

import pytest
from django.template import engines
from django.utils import translation


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1,234,567.5"),
        ("fr", "1\xa0234\xa0567,5"),
        ("ru", "1\xa0234\xa0567,5"),
        ("es", "1\xa0234\xa0567,5"),
    ],
)
def test_numbers_are_formatted_for_the_reader(language: str, expected: str) -> None:
    with translation.override(language):
        assert render("{{ n }}", n=1234567.5) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Dec. 17, 2016"),
        ("fr", "17 décembre 2016"),
        ("ar", "17 ديسمبر، 2016"),
        ("zh-hans", "2016年12月17日"),
    ],
)
def test_dates_are_formatted_for_the_reader(language: str, expected: str) -> None:
    with translation.override(language):
        assert render("{{ d|date }}", d=datetime.date(2016, 12, 17)) == expected
