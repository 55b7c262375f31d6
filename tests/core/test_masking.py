from __future__ import annotations

import pytest
from django.template import Context, Template

from fpa.core.masking import mask_bank_account, mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("430102199001011234", "430102********1234"),
        ("43010219900101123x", "430102********123X"),
        (" 4301 0219 9001 0112 34 ", "430102********1234"),
        ("４３０１０２１９９００１０１１２３４", "430102********1234"),  # full-width digits
        ("430102900101123", "430102******123"),  # first generation, 15 digits
        ("E12345678", "*****5678"),  # passport: a tail only
        ("12", "*2"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0731-84123456", "0731-****3456"),
        ("073184123456", "0731-****3456"),
        ("010-84123456", "010-****3456"),
        ("(0731)84123456", "0731-****3456"),
        ("84123456", "****3456"),
        ("95566", "***66"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("6222021234567890123", "****0123"),
        ("6222 0212 3456 7890 123", "****0123"),
        ("0123", "****23"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_bank_account(value, masked):
    assert mask_bank_account(value) == masked


@pytest.mark.parametrize(
    ("value", "plain"),
    [("430102199001011234", "199001011"), ("13812345678", "1234"), ("6222021234567890", "1234567")],
)
def test_masks_never_reveal_more_than_ten_characters(value, plain):
    for mask in (mask_id_number, mask_phone, mask_bank_account):
        shown = mask(value)
        assert len(shown.replace("*", "").replace("-", "")) <= 10
    assert plain not in mask_id_number(value) + mask_phone(value) + mask_bank_account(value)


def test_template_filters_mask_like_the_helpers():
    template = Template("{% load fpa %}{{ i|mask_id }} {{ p|mask_phone }} {{ a|mask_account }}|")
    rendered = template.render(
        Context({"i": "430102199001011234", "p": "0731-84123456", "a": None})
    )
    assert rendered == "430102********1234 0731-****3456 |"
