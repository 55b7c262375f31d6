"""`manage.py figures --org CODE --year YYYY [--json]`: every figure of an org and year."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa import figures
from fpa.orgs.models import Org, Status

#: how many zeros complete a short division code (county 6 digits, township 9) to 12
SHORT_CODES = {6: "000000", 9: "000", 12: ""}


def org_by_code(code: str) -> Org:
    """The live org of a 12-digit division code or its 6- or 9-digit short form."""
    code = code.strip()
    if not code.isdigit() or len(code) not in SHORT_CODES:
        raise CommandError(f"区划代码应为 12 位，或县级 6 位、乡级 9 位数字：{code}")
    full = code + SHORT_CODES[len(code)]
    org = Org.unscoped_objects.filter(code=full).exclude(status=Status.ABOLISHED).first()
    if org is None:
        raise CommandError(f"没有区划代码为 {full} 的计生协")
    return org


def as_json(value: figures.Value) -> int | str:
    # Money stays exact: a Decimal is written as its text ("1300.00"), never a float.
    return str(value) if isinstance(value, Decimal) else value


class Command(BaseCommand):
    help = "Print every figure of an org's subtree for a year (label, value, unit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="division code: 12 digits, or 6 / 9")
        parser.add_argument("--year", required=True, type=int, help="the calendar year")
        parser.add_argument("--json", action="store_true", help="one JSON object by figure name")

    def handle(self, *args: Any, **options: Any) -> None:
        org = org_by_code(options["org"])
        year = options["year"]
        if not 1949 <= year <= 9999:
            raise CommandError(f"年度不正确：{year}")
        values = figures.figures(org, year)
        if options["json"]:
            out = {
                "org": {"code": org.code, "name": org.name},
                "year": year,
                "figures": {
                    fig.name: {"label": fig.label, "value": as_json(v), "unit": fig.unit}
                    for fig, v in values
                },
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{org.name}（{org.code}） {year} 年")
        for fig, v in values:
            kind = "" if fig.additive else "（不重复计数）"
            self.stdout.write(f"  {fig.label}{kind}：{v} {fig.unit}")
