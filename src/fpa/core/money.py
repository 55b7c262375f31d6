"""Money is Decimal yuan to the fen (DESIGN §2): rounding and splitting, named once."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def to_fen(amount: Decimal | int | str) -> Decimal:
    """Round to the fen, half up (四舍五入), the rounding every rule names."""
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def split(total: Decimal, weights: Sequence[int | Decimal]) -> list[Decimal]:
    """Split `total` over `weights` by largest remainders, so the parts add up to the total.

    Each part first gets its share rounded down to the fen; the fen left over go one each to
    the parts with the largest remainders (the earlier part on a tie). All-zero weights split
    evenly.
    """
    if not weights:
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weights = list(weights) if sum(weights) else [1] * len(weights)
    whole = sum(Decimal(w) for w in weights)
    fen = int((Decimal(total) / FEN).to_integral_value(rounding=ROUND_HALF_UP))
    exact = [Decimal(fen) * Decimal(w) / whole for w in weights]
    parts = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    left = fen - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [Decimal(p) * FEN for p in parts]


def yuan_text(amount: Decimal | int | str | None) -> str:
    """An amount as a finance office writes it: thousands separated, to the fen
    (18160000 → "18,160,000.00"); nothing for no amount."""
    if amount is None or amount == "":
        return ""
    return f"{to_fen(amount):,.2f}"


def wan_text(amount: Decimal | int | str | None) -> str:
    """An amount in 万元 for summaries, to two places, half up (18160000 → "1,816.00")."""
    if amount is None or amount == "":
        return ""
    return f"{(Decimal(amount) / 10000).quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"
