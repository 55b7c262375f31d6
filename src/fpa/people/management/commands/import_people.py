from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa.core.imports import run_import_command
from fpa.core.scope import Actor
from fpa.orgs.models import Org
from fpa.people.imports import PersonSchema, commit, make_context


class Command(BaseCommand):
    help = "Import people from .xlsx/.csv into an org's subtree (the same engine as the page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="the importing org's division code")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--strict", action="store_true", help="write nothing if a row is bad")
        parser.add_argument("--existing", choices=["skip", "update"], default="skip")
        parser.add_argument("--errors", type=Path, help="where to write the error report")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Org.unscoped_objects.filter(code=options["org"]).exclude(status="abolished").first()
        if org is None:
            raise CommandError(f"找不到区划代码为 {options['org']} 的单位")
        actor = Actor.system(org)
        code = run_import_command(
            self.stdout,
            PersonSchema(),
            options["file"],
            make_context(actor),
            dry_run=options["dry_run"],
            strict=options["strict"],
            existing=options["existing"],
            errors_out=options["errors"],
            commit=lambda rows: sum(
                commit(rows, actor=actor, filename=options["file"].name).values()
            ),
        )
        sys.exit(code)
