"""The programs' figures: applications, what was granted, what was paid, and to how many.

Each takes an optional `program=` filter (the program dashboard reads one program, over all its
years, with `year=None`). Money is a flow: granted by the entitlement's year (计入年度), paid by the
day it reached the payee (到账日期). People reached count each beneficiary once however many
payments and orgs they appear in, so that figure is distinct. Budgets are not figures: an
budget line is a limit an org is given, not a sum of records, and the dashboard reads it as such.
"""

from __future__ import annotations

from functools import partial

from django.db.models import Count, Q, QuerySet, Sum

from fpa.figures.registry import Figure, Period

from .models import Application, Entitlement, LineStatus, PaymentLine, Program, ProgramKind

PENDING = ("pending", "returned")


def _program(qs: QuerySet, program: Program | None, lookup: str = "program") -> QuerySet:
    return qs if program is None else qs.filter(**{lookup: program})


def applications(period: Period, program: Program | None = None) -> QuerySet:
    qs = _program(Application.unscoped_objects.all(), program)
    if period.year is None:
        return qs
    return qs.filter(filed_at__date__gte=period.start, filed_at__date__lte=period.end)


def pending(period: Period, program: Program | None = None) -> QuerySet:
    qs = _program(Application.unscoped_objects.filter(status__in=PENDING), program)
    return qs if period.year is None else qs.filter(filed_at__date__lte=period.day)


def granted(period: Period, program: Program | None = None) -> QuerySet:
    qs = _program(Entitlement.unscoped_objects.all(), program)
    return qs if period.year is None else qs.filter(year=period.year)


def paid(period: Period, program: Program | None = None) -> QuerySet:
    qs = _program(
        PaymentLine.objects.filter(status=LineStatus.PAID), program, "entitlement__program"
    )
    if period.year is None:
        return qs
    return qs.filter(settled_on__gte=period.start, settled_on__lte=period.end)


PARAMS = ("program",)

FIGURES = [
    Figure("programs.applications", "项目申请", "次", applications, stock=False, params=PARAMS),
    Figure("programs.pending", "待审核的项目申请", "次", pending, params=PARAMS),
    Figure(
        "programs.granted",
        "项目资金已批准",
        "元",
        granted,
        stock=False,
        measure=lambda: Sum("amount"),
        params=PARAMS,
    ),
    Figure(
        "programs.paid",
        "项目资金已发放",
        "元",
        paid,
        stock=False,
        measure=lambda: Sum("amount"),
        via="entitlement__",
        params=PARAMS,
    ),
    Figure(
        "programs.reached",
        "项目惠及人数",
        "人",
        paid,
        additive=False,
        stock=False,
        measure=lambda: Count("entitlement__beneficiary", distinct=True),
        via="entitlement__",
        params=PARAMS,
    ),
    *(
        fig
        for kind, label in ProgramKind.choices
        for fig in (
            Figure(
                f"programs.paid.{kind}",
                f"{label}已发放",
                "元",
                paid,
                stock=False,
                measure=partial(Sum, "amount", filter=Q(entitlement__program__kind=kind)),
                via="entitlement__",
                params=PARAMS,
            ),
            Figure(
                f"programs.reached.{kind}",
                f"{label}惠及人数",
                "人",
                paid,
                additive=False,
                stock=False,
                measure=partial(
                    Count,
                    "entitlement__beneficiary",
                    distinct=True,
                    filter=Q(entitlement__program__kind=kind),
                ),
                via="entitlement__",
                params=PARAMS,
            ),
        )
    ),
]
