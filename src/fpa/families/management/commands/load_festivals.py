from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fpa.core.errors import DomainError
from fpa.families.festivals import load
from fpa.families.models import Festival


class Command(BaseCommand):
    help = "Load or refresh the festival table from data/festivals/festivals.csv."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = load(Festival)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"节日表：{count} 条")
