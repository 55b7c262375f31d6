"""``{% load fpa %}``: the masking filters every template uses for personal data."""

from __future__ import annotations

from django import template

from fpa.core.masking import mask_bank_account, mask_id_number, mask_phone

register = template.Library()

# The filters are the masking functions themselves, so a page, an export and the API mask alike.
register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_account", mask_bank_account)
