"""Numbers are grouped in the reader's language (USE_THOUSAND_SEPARATOR): a primary key printed
as it is becomes "2,725" once there are a thousand rows, and the form, link or anchor that carries
it stops working. Every key a template prints goes through `unlocalize` (or `{% url %}`)."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent / "clearinghouse"
# {{ something.pk }}, {{ something_id }}, {{ something.id }} with no filter: localised output.
BARE_KEY = re.compile(r"\{\{ ?[a-z_.]*(?:\.pk|_pk|_id|\.id) ?\}\}")
# Not keys: element ids made of text, and allauth's form attributes.
NOT_KEYS = ("attrs.id", "auto_id", "table_id", "form_id", "datalist_id")


def test_no_template_prints_a_key_through_number_formatting() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted(ROOT.rglob("templates/**/*"))
        if path.suffix in {".html", ".txt"}
        for match in BARE_KEY.finditer(path.read_text(encoding="utf-8"))
        if not any(name in match.group(0) for name in NOT_KEYS)
    ]
    assert found == []


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_a_key_above_a_thousand_stays_a_number_in_every_language() -> None:
    template = Template("{% load l10n %}{{ n }}|{{ n|unlocalize }}")
    # Languages whose formats group thousands (Django's Arabic formats do not).
    for language in ("en", "fr", "ru", "es"):
        with translation.override(language):
            grouped, plain = template.render(Context({"n": 2725})).split("|")
        # Grouped for reading (a comma, a space or another separator), plain for machines.
        assert grouped != "2725" and plain == "2725", language
