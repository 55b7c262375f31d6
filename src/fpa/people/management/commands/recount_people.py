from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fpa.people.counting import recount_people


class Command(BaseCommand):
    help = "Rebuild the people registry's counters (persons, active members) from the records."

    def handle(self, *args: Any, **options: Any) -> None:
        totals = recount_people()
        self.stdout.write(f"人员 {totals['people.persons']}，会员 {totals['people.members']}")
