from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse

from fpa.core.todos import Todo
from fpa.kernel.scope import Actor

from . import coverage
from .models import Festival


def todos(actor: Actor) -> list[Todo]:
    if not actor.can("families.view"):
        return []
    url = reverse("families:worklist")
    if coverage.snapshot_wanted(actor, actor.org):
        # A city or the province counts its families through the coverage job, not per page.
        return [Todo("有待办事项的特殊家庭", None, url, "按下级查看覆盖情况")]
    today = datetime.date.today()
    festival = Festival.objects.filter(window_start__lte=today, window_end__gte=today).first()
    keys = [k for k in coverage.gap_keys(festival) if k != "gap_contact"]
    due = reduce(
        or_, [Q(**{k: True}) for k in keys], Q(has_cadre=False) | Q(has_health_worker=False)
    )
    count = coverage.annotate_gaps(coverage.families_at(actor, today), today, festival)
    return [Todo("有待办事项的特殊家庭", count.filter(due).count(), url, "户")]
