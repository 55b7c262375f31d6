"""The programs' allocations become budget lines and transfers (one ledger, issue 14).

An allocation at the funding org is the program's own line; an allocation below it was passed
down from the nearest allocation above and becomes a received line with the transfer that
carried it. The old allocations each counted what was approved in their whole subtree; a line
counts what was charged to itself, so each keeps its committed amount less its children's.
Entitlements name the line that paid them (its org and source); what was paid is spent.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import migrations

SOURCE = {
    "central": "transfer",
    "province": "local",
    "city": "local",
    "county": "local",
    "lottery": "other",
    "donation": "donation",
    "other": "other",
}
ZERO = Decimal("0.00")


def forward(apps, schema_editor):
    Allocation = apps.get_model("programs", "Allocation")
    Entitlement = apps.get_model("programs", "Entitlement")
    BudgetLine = apps.get_model("funds", "BudgetLine")
    BudgetVersion = apps.get_model("funds", "BudgetVersion")
    Transfer = apps.get_model("funds", "Transfer")
    by_program = defaultdict(list)
    for a in Allocation._default_manager.select_related("org", "program").order_by("org__path"):
        by_program[a.program_id].append(a)
    for allocations in by_program.values():
        program = allocations[0].program
        source = SOURCE.get(program.funding_source, "other")
        paths = {a.org.path: a for a in allocations}
        lines = {}
        parent_of = {}
        for a in allocations:
            above = next(
                (
                    paths[a.org.path[:end]]
                    for end in range(len(a.org.path) - 5, 0, -5)
                    if a.org.path[:end] in paths
                ),
                None,
            )
            parent_of[a.pk] = above
            root = above is None
            line = BudgetLine._default_manager.create(
                org=a.org,
                city_id=a.org.city_id,
                county_id=a.org.county_id,
                township_id=a.org.township_id,
                year=program.year,
                source=source if root else "transfer",
                purpose="program",
                program=program,
                planned=a.amount if root else ZERO,
                received=ZERO if root else a.amount,
                committed=a.committed,
            )
            lines[a.pk] = line
            if root:
                BudgetVersion._default_manager.create(
                    line=line, amount=a.amount, effective_on=program.opens_on, reason="设立项目"
                )
        for a in allocations:
            above = parent_of[a.pk]
            if above is None:
                continue
            line, parent = lines[a.pk], lines[above.pk]
            parent.transferred += a.amount
            parent.committed -= a.committed
            Transfer._default_manager.create(
                org=a.org,
                city_id=a.org.city_id,
                county_id=a.org.county_id,
                township_id=a.org.township_id,
                sender=above.org,
                from_line=parent,
                to_line=line,
                year=program.year,
                amount=a.amount,
                doc_number=f"{program.code} 预算分配",
                on=program.opens_on,
                note="由原预算分配转入",
            )
        for line in lines.values():
            line.save()
        # Each entitlement was charged to the deepest allocation on its org's path.
        by_path = {line.org.path: line for line in lines.values()}
        for e in Entitlement._default_manager.filter(program=program).select_related("org"):
            path = e.org.path
            line = next(
                (by_path[path[:end]] for end in range(len(path), 0, -5) if path[:end] in by_path),
                None,
            )
            if line is None:
                continue
            Entitlement._default_manager.filter(pk=e.pk).update(
                funding_org_id=line.org_id, funding_source=line.source
            )
            if e.status == "paid":
                line.committed -= e.amount
                line.spent += e.amount
                line.save()


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0001_initial"),
        ("programs", "0003_date_span"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
