from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa.core.errors import DomainError
from fpa.core.imports import run_import_command
from fpa.kernel.scope import Actor
from fpa.orgs.codes import org_by_code
from fpa.people.imports import PersonSchema, commit, make_context


class Command(BaseCommand):
    help = "Import people from .xlsx/.csv into an org's subtree (the same engine as the page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--org",
            required=True,
            help="the importing org's division code: 12 digits, or the 6- or 9-digit short form",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--strict", action="store_true", help="write nothing if a row is bad")
        parser.add_argument("--existing", choices=["skip", "update"], default="skip")
        parser.add_argument("--errors", type=Path, help="where to write the error report")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = org_by_code(options["org"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
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
