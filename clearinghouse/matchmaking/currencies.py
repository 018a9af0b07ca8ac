"""Currency codes of contributions: ISO 4217, as pycountry knows them."""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def is_currency(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and pycountry.currencies.get(alpha_3=code.upper()) is not None


def validate_currency(code: str) -> None:
    if not is_currency(code or ""):
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code (for example USD, EUR, KES).") % {"code": code},
            code="currency",
        )
