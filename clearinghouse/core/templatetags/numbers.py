"""Amounts of money and currencies as the reader's locale writes them."""

from __future__ import annotations

from decimal import Decimal

from django import template

from clearinghouse.core import money as amounts

register = template.Library()


@register.simple_tag
def money(amount: Decimal | int | None, currency: str) -> str:
    """``{% money item.amount item.currency %}``; an empty amount shows as nothing."""
    if amount is None or amount == "":
        return ""
    return amounts.money(amount, currency)


@register.filter
def currency_name(code: str) -> str:
    """``{{ item.currency|currency_name }}``: "US Dollar (USD)" in the reader's language."""
    return amounts.currency_name(code) if code else ""
