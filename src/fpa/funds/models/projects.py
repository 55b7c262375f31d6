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
    # the performance evaluation (绩效评价): its total score, the grade its band gives, who, when
    score = models.DecimalField("评价得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("评价等级", max_length=2, blank=True)
    evaluator = models.CharField("评价人", max_length=50, blank=True)
    evaluated_on = models.DateField("评价日期", null=True, blank=True)

    class Meta(OrgOwned.Meta):
        verbose_name = "项目库项目"
        indexes = [
            models.Index(fields=["year", "state"], name="project_year_state"),
            models.Index(fields=["county", "year"], name="project_county_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_positive"),
            span_constraint("project", "year", "年度", year=True),
            span_constraint("project", "evaluated_on", "评价日期"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class TargetKind(models.TextChoices):
    OUTPUT = "output", "产出指标"
    EFFECT = "effect", "效益指标"
    SATISFACTION = "satisfaction", "满意度指标"


class PerformanceTarget(models.Model):
    """绩效目标: one indicator of a project with its target value and unit; the evaluation
    records the actual value and the indicator's score (out of `weight`)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="targets", verbose_name="项目"
    )
    kind = models.CharField("指标类别", max_length=12, choices=TargetKind.choices)
    name = models.CharField("指标名称", max_length=100)
    target = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    unit = models.CharField("计量单位", max_length=10)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=1)
    actual = models.DecimalField("实际值", max_digits=14, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = "绩效目标"
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100), name="target_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=models.F("weight")),
                name="target_score_within_weight",
                violation_error_message="得分不能超过该指标的分值",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.target}{self.unit}）"


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name="项目"
    )
    name = models.CharField("节点", max_length=100)
    due_on = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "项目节点"
        ordering = ["due_on", "pk"]
        constraints = [
            span_constraint("milestone", "due_on", "计划完成日期"),
            span_constraint("milestone", "done_on", "实际完成日期"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectEvidence(models.Model):
    """佐证材料: a file kept with a project (a photo, a signed acceptance, a report)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="evidence", verbose_name="项目"
    )
    file = models.FileField("附件", upload_to="projects/%Y/%m/")
    label = models.CharField("说明", max_length=50, blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "佐证材料"

    def __str__(self) -> str:
        return self.label or self.file.name


class ProjectStep(models.Model):
    """One move of a project from a state to the next: who, when, why (the project's history)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="steps", verbose_name="项目"
    )
    from_state = models.CharField("原状态", max_length=10, choices=ProjectState.choices)
    to_state = models.CharField("新状态", max_length=10, choices=ProjectState.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.CharField("办理人", max_length=50)
    at = models.DateTimeField("时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "项目状态变更"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class GradeBand(models.Model):
    """The grade a total score earns (优/良/中/差), kept as data: the finance department's bands
    change by notice, not by release."""

    grade = models.CharField("等级", max_length=2, unique=True)
    min_score = models.DecimalField("最低得分", max_digits=5, decimal_places=1, unique=True)

    class Meta:
        verbose_name = "评价等级"
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.grade}（{self.min_score} 分及以上）"
