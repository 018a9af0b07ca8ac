"""Currencies and amounts in the reader's language and locale (CLDR via Babel)."""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency
from django.utils.translation import get_language, to_locale


def _locale() -> str:
    return to_locale(get_language() or "en")


def currency_name(code: str) -> str:
    """An ISO 4217 code with the currency's name in the reader's language: "US Dollar (USD)"."""
    name = Locale.parse(_locale()).currencies.get(code.upper())
    return f"{name} ({code})" if name else code


def money(amount: Decimal | int, currency: str) -> str:
    """An amount as the reader's locale writes it: "12 000,00 $US" in French, "US$12,000.00"."""
    return format_currency(Decimal(amount), currency.upper(), locale=_locale())
