"""What merging an abolished org into its successor does with every table that holds its rows
(DESIGN §4 rule 8: the kernel finds them through the app registry; nothing registers by hand).

Each model whose rows an org holds says so on the model itself, in `on_merge`: `Moves` names the
open registry records that go to the successor (and the counters they carry with them), `Stays`
says why the rows stay with the org they were recorded in (history). `move_rows` reads the
declarations of every installed model, so a new app's table is merged by declaring its rule,
and tests/orgs/test_merge_rules.py fails for an org-owned table that declares none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Model, Q

from . import counters
from .owned import ANCESTOR_FIELDS

if TYPE_CHECKING:
    from fpa.orgs.models import Org


@dataclass(frozen=True)
class Moves:
    """The rows that move to the successor: open registry records."""

    #: the key of the merge's summary ("moved" in the audit entry), e.g. "persons"
    label: str
    #: which of the abolished org's rows are open (the rest stay with it); all when empty
    where: Q = field(default_factory=Q)
    #: counter key → which moving rows it counts; those counts move with the rows
    counts: dict[str, Q] = field(default_factory=dict)


@dataclass(frozen=True)
class Stays:
    """The rows stay with the abolished org, for the reason given."""

    reason: str


def declared() -> list[tuple[type[Model], Moves | Stays]]:
    """Every installed model that declares what a merge does with its rows, with its rule."""
    rules = ((model, getattr(model, "on_merge", None)) for model in apps.get_models())
    return [(model, rule) for model, rule in rules if isinstance(rule, Moves | Stays)]


def move_rows(old: Org, successor: Org) -> dict[str, int]:
    """Move the open rows `old` holds to `successor`, with the counters they carry; return how
    many rows of each kind moved."""
    moved = {}
    for model, rule in declared():
        if isinstance(rule, Stays):
            continue
        rows = model._default_manager.filter(rule.where, org=old)
        for key, counted in rule.counts.items():
            # Counted before the rows move: the org's own share of its subtree's total.
            n = rows.filter(counted).count()
            if n:
                counters.bump_many({old.pk: -n, successor.pk: n}, key)
        names = {f.name for f in model._meta.concrete_fields}
        # The accounts hold an org without copying its ancestors; org-owned tables copy them.
        copies = {f"{n}_id": getattr(successor, f"{n}_id") for n in ANCESTOR_FIELDS if n in names}
        moved[rule.label] = rows.update(org=successor, **copies)
    return moved
