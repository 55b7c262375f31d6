from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fpa.core.money import split, to_fen


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
