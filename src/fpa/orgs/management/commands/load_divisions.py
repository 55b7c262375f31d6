from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa.orgs import divisions
from fpa.orgs.models import DivisionCode


class Command(BaseCommand):
    help = "Load a province's statistical division codes into the association tree (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default=settings.FPA_PROVINCE, help="2-digit code")
        parser.add_argument("--file", type=Path, help="a newer table (code,name,level,parent_code)")
        parser.add_argument("--table", default=divisions.DEFAULT_TABLE, help="table version")
        parser.add_argument(
            "--valid-from",
            type=datetime.date.fromisoformat,
            default=divisions.DEFAULT_VALID_FROM,
            help="date the table's codes took effect (YYYY-MM-DD)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the province is loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        province = options["province"]
        if len(province) != 2 or not (province.isascii() and province.isdigit()):
            raise CommandError("--province takes the 2-digit province code, e.g. 43")
        loaded = DivisionCode.objects.filter(code=province.ljust(12, "0")).exists()
        if options["if_empty"] and loaded:
            self.stdout.write(f"省份 {province} 的区划已加载，跳过。")
            return
        try:
            report = divisions.load(
                province,
                options["file"],
                table=options["table"],
                valid_from=options["valid_from"],
            )
        except divisions.DivisionFileError as exc:
            raise CommandError(f"{exc.message}；未加载任何数据。") from exc
        self.stdout.write(f"省份 {province}：{report.summary()}")
        self.stdout.write(f"变更报告：{report.report_file}")
