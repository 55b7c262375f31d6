"""``{% load fpa %}``: the masking filters every template uses for personal data, and money as a
finance office writes it."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fpa.core.masking import mask_bank_account, mask_id_number, mask_phone
from fpa.core.money import wan_text, yuan_text

register = template.Library()

# The filters are the masking functions themselves, so a page, an export and the API mask alike.
register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_account", mask_bank_account)

# Amounts in tables: yuan with thousands separators, to the fen.
register.filter("yuan", yuan_text)


@register.filter
def wan(amount: Decimal | int | str | None) -> SafeString | str:
    """A summary figure in 万元, the exact yuan on hover (exports keep the exact yuan)."""
    if amount is None or amount == "":
        return ""
    return format_html(
        '<span title="{} 元" data-yuan="{}">{} 万元</span>',
        yuan_text(amount),
        yuan_text(amount),
        wan_text(amount),
    )
