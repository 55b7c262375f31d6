from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fpa.core.money import split, to_fen, wan_text, yuan_text
from fpa.core.templatetags.fpa import wan


def test_to_fen_rounds_half_up():
    assert to_fen(Decimal("0.125")) == Decimal("0.13")
    assert to_fen(Decimal("0.124")) == Decimal("0.12")
    assert to_fen(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


def test_split_gives_left_over_fen_to_largest_remainders():
    assert split(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert split(Decimal("10.00"), [1, 2, 3]) == [Decimal("1.67"), Decimal("3.33"), Decimal("5.00")]


def test_split_of_zero_weights_is_even():
    assert split(Decimal("1.00"), [0, 0]) == [Decimal("0.50"), Decimal("0.50")]


def test_split_refuses_negative_weights():
    with pytest.raises(ValueError):
        split(Decimal("1"), [1, -1])


@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40),
)
def test_split_parts_always_add_up_to_the_whole(total, weights):
    parts = split(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 and p == p.quantize(Decimal("0.01")) for p in parts)


@pytest.mark.parametrize(
    "amount, yuan, wan_",
    [
        (Decimal("18160000"), "18,160,000.00", "1,816.00"),
        (Decimal("7520000.5"), "7,520,000.50", "752.00"),
        (Decimal("0.005"), "0.01", "0.00"),
        (Decimal("-1234.5"), "-1,234.50", "-0.12"),
        (150, "150.00", "0.02"),
        ("57500000", "57,500,000.00", "5,750.00"),
    ],
)
def test_amounts_read_as_a_finance_office_writes_them(amount, yuan, wan_):
    assert yuan_text(amount) == yuan
    assert wan_text(amount) == wan_


def test_a_summary_in_wan_keeps_the_exact_yuan_on_hover():
    html = str(wan(Decimal("18160000.37")))
    assert html == ('<span title="18,160,000.37 元" data-yuan="18,160,000.37">1,816.00 万元</span>')
    assert wan(None) == "" and yuan_text(None) == ""


def test_no_template_writes_the_unit_after_the_wan_filter():
    """`wan` writes 万元 itself (with the exact yuan on hover): a unit after it reads 万元 万元."""
    import re
    from pathlib import Path

    src = Path(__file__).parents[2] / "src" / "fpa"
    doubled = [
        f"{path.relative_to(src)}:{n}"
        for path in src.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\|wan\s*\}\}\s*万元", line)
    ]
    assert doubled == []
