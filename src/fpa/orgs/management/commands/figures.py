"""`manage.py figures --org CODE --year YYYY [--json]`: every figure of an org and year."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa import figures
from fpa.core.errors import DomainError
from fpa.orgs.codes import org_by_code


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
        try:
            org = org_by_code(options["org"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
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
