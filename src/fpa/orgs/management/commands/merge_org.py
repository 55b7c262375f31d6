from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor
from fpa.orgs.models import Org
from fpa.orgs.services import merge_org


class Command(BaseCommand):
    help = "Merge an abolished org (by division code) into its successor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, help="abolished org's code")
        parser.add_argument("--into", dest="target", required=True, help="successor's code")

    def handle(self, *args: Any, **options: Any) -> None:
        source = self._find(options["source"])
        target = self._find(options["target"])
        root = Org.unscoped_objects.get(path=source.path[:5])
        try:
            moved = merge_org(source, target, actor=Actor.system(root))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{source.name} 已并入 {target.name}：{moved}")

    def _find(self, code: str) -> Org:
        org = Org.unscoped_objects.filter(code=code).order_by("-updated_at").first()
        if org is None:
            raise CommandError(f"找不到区划代码为 {code} 的单位")
        return org
