from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand

from fpa.families import coverage
from fpa.families.models import Festival
from fpa.kernel.scope import Actor
from fpa.orgs.models import Kind, Level, Org


class Command(BaseCommand):
    help = "Recompute the province's and cities' coverage snapshots (run nightly from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = datetime.date.today()
        end = coverage.quarter(today)[1]
        festival = Festival.objects.filter(window_start__lte=today).order_by("-date").first()
        orgs = Org.unscoped_objects.filter(
            kind=Kind.TERRITORIAL, level__in=[Level.PROVINCE, Level.CITY]
        ).live()
        for org in orgs:
            actor = Actor.system(org)
            for f in (None, festival):
                coverage.compute_snapshot(actor, org, end, f)
        self.stdout.write(f"已统计 {orgs.count()} 个单位的关怀覆盖情况（截至 {end}）")
