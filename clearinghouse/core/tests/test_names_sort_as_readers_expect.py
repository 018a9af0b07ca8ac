"""Names in pick lists sort with accents and case set aside, as readers look them up."""

from __future__ import annotations

from clearinghouse.core.text import sort_key


def test_accented_names_sort_with_their_letter() -> None:
    names = ["Zambie", "Égypte", "Équateur", "Espagne", "éthiopie", "Danemark"]
    assert sorted(names, key=sort_key) == ["Danemark", "Égypte", "Équateur", "Espagne", "éthiopie", "Zambie"]
