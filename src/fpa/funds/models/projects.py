"""The project library (项目工作库): projects an org applies for, through their states."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.core.dates import span_constraint
from fpa.kernel.merging import Stays
from fpa.kernel.owned import OrgOwned

from .budgets import money


class ProjectKind(models.TextChoices):
    CFPA_PILOT = "cfpa_pilot", "中国计生协试点项目"
    PRODUCTION = "production", "计生“三结合”"
    HAPPINESS = "happiness", "幸福工程"
    WARM_HOME = "warm_home", "暖心家园建设"
    PARENT_CHILD = "parent_child", "亲子小屋"
    YOUTH_HEALTH = "youth_health", "青春健康"
    OTHER = "other", "其他"


class ProjectState(models.TextChoices):
    """申报 → 入库 → 立项 → 实施 → 验收 → 绩效评价 (moves in `fpa.funds.projects`)."""

    APPLIED = "applied", "申报"
    LISTED = "listed", "入库"
    APPROVED = "approved", "立项"
    RUNNING = "running", "实施"
    ACCEPTED = "accepted", "验收"
    EVALUATED = "evaluated", "绩效评价"


class Project(OrgOwned):
    """A project of the library, held by the org that applied for it."""

    on_merge = Stays("a project applied for and run by the org that applied")

    code = models.CharField("项目编号", max_length=30, unique=True)
    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("项目类别", max_length=16, choices=ProjectKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField(
        "状态", max_length=10, choices=ProjectState.choices, default=ProjectState.APPLIED
    )
    budget = money("申报预算（元）", default=Decimal("0.00"))
    description = models.TextField("项目内容", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "项目库项目"
        indexes = [
            models.Index(fields=["year", "state"], name="project_year_state"),
            models.Index(fields=["county", "year"], name="project_county_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_positive"),
            span_constraint("project", "year", "年度", year=True),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"
