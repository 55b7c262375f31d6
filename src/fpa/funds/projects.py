"""The project library's rules: applying, the states with their explicit transitions, targets,
milestones, evidence, and the performance evaluation graded by the bands kept as data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from fpa.audit.services import record
from fpa.core import uploads
from fpa.core.dates import check_span
from fpa.core.errors import DomainError
from fpa.core.money import to_fen
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Org

from .models import (
    GradeBand,
    Milestone,
    PerformanceTarget,
    Project,
    ProjectEvidence,
    ProjectState,
    ProjectStep,
)

S = ProjectState
#: 申报 → 入库 → 立项 → 实施 → 验收 → 绩效评价; the evaluation itself makes the last move
TRANSITIONS: dict[str, str] = {
    S.APPLIED: S.LISTED,
    S.LISTED: S.APPROVED,
    S.APPROVED: S.RUNNING,
    S.RUNNING: S.ACCEPTED,
}
#: what a move needs before it may happen
NEEDS_TARGETS = {S.APPROVED}


def _name(actor: Actor) -> str:
    user = actor.user
    if user is None or not user.pk:
        return "系统"
    return user.get_full_name() or user.get_username()


def _own(project: Project, actor: Actor, perm: str) -> Project:
    actor.require(perm)
    if not in_reach(project.org, actor):
        raise DomainError("只能办理本单位及下级的项目")
    return Project.unscoped_objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def apply(org: Org, data: dict[str, Any], *, actor: Actor) -> Project:
    """申报: a project applied for by `org`, entered in the library as applied."""
    actor.require("funds.add")
    if not in_reach(org, actor):
        raise DomainError("只能为本单位及下级申报项目", field="org")
    if not 2000 <= data["year"] <= 2100:
        raise DomainError("年度应在 2000 至 2100 之间", field="year")
    project = Project(
        code=data["code"].strip(),
        name=data["name"].strip(),
        kind=data["kind"],
        year=data["year"],
        budget=to_fen(data.get("budget") or Decimal("0")),
        description=data.get("description", ""),
    )
    if not project.code or not project.name:
        raise DomainError("请填写项目编号和名称", field="code")
    project.place_in(org)
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as exc:
        raise DomainError(f"项目编号 {project.code} 已存在", field="code") from exc
    record(actor, "fpa.project.applied", project, {"budget": str(project.budget)})
    return project


@transaction.atomic
def advance(project: Project, to_state: str, *, note: str = "", actor: Actor) -> Project:
    """Move a project one state on; any other move is refused with the state it is in."""
    project = _own(project, actor, "funds.change")
    current = ProjectState(project.state)
    wanted = ProjectState(to_state) if to_state in ProjectState.values else None
    if wanted is None or TRANSITIONS.get(current) != wanted:
        target = f"“{wanted.label}”" if wanted else "该状态"
        nxt = TRANSITIONS.get(current)
        hint = f"，下一步只能是“{ProjectState(nxt).label}”" if nxt else ""
        if current == S.ACCEPTED:
            hint = "，下一步请填写绩效评价"
        raise DomainError(f"项目当前为“{current.label}”，不能转为{target}{hint}")
    if wanted in NEEDS_TARGETS and not project.targets.exists():
        raise DomainError("立项前请先设置绩效目标（产出、效益、满意度指标）")
    ProjectStep.objects.create(
        project=project, from_state=current, to_state=wanted, note=note[:200], by=_name(actor)
    )
    project.state = wanted
    project.save(update_fields=["state"])
    record(actor, "fpa.project.advanced", project, {"state": [current.value, wanted.value]})
    return project


@transaction.atomic
def add_target(project: Project, data: dict[str, Any], *, actor: Actor) -> PerformanceTarget:
    """A performance target, set before the project is evaluated."""
    project = _own(project, actor, "funds.change")
    if project.state == S.EVALUATED:
        raise DomainError("项目已完成绩效评价，不能再增加指标")
    weight = Decimal(data["weight"])
    used = sum((t.weight for t in project.targets.all()), Decimal("0"))
    if not 0 < weight <= 100 or used + weight > 100:
        raise DomainError(f"各指标分值合计不能超过 100 分（已设 {used} 分）", field="weight")
    target = PerformanceTarget.objects.create(
        project=project,
        kind=data["kind"],
        name=data["name"].strip(),
        target=data["target"],
        unit=data["unit"].strip(),
        weight=weight,
    )
    record(actor, "fpa.project.target_added", project, {"name": target.name})
    return target


@transaction.atomic
def add_milestone(project: Project, name: str, due_on: datetime.date, *, actor: Actor) -> Milestone:
    project = _own(project, actor, "funds.change")
    check_span(due_on, "计划完成日期", "due_on")
    milestone = Milestone.objects.create(project=project, name=name.strip(), due_on=due_on)
    record(actor, "fpa.project.milestone_added", project, {"name": milestone.name})
    return milestone


@transaction.atomic
def complete_milestone(
    project: Project, milestone_id: int, done_on: datetime.date, *, actor: Actor
) -> Milestone:
    project = _own(project, actor, "funds.change")
    check_span(done_on, "实际完成日期", "done_on")
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise DomainError("找不到该项目节点")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    record(actor, "fpa.project.milestone_done", project, {"name": milestone.name})
    return milestone


@transaction.atomic
def attach(project: Project, upload: Any, label: str, *, actor: Actor) -> ProjectEvidence:
    """佐证材料: a PDF or photo by its bytes (`fpa.core.uploads`); a refused file writes nothing."""
    project = _own(project, actor, "funds.change")
    stored = uploads.accept_attachment(upload)
    item = ProjectEvidence.objects.create(project=project, file=stored, label=label[:50])
    record(actor, "fpa.project.attached", project, {"file": item.file.name})
    return item


def grade_for(score: Decimal) -> str:
    band = GradeBand.objects.filter(min_score__lte=score).order_by("-min_score").first()
    if band is None:
        raise DomainError("尚未设置评价等级分档，请联系系统管理员")
    return band.grade


@transaction.atomic
def evaluate(
    project: Project,
    results: dict[int, tuple[Decimal, Decimal]],
    *,
    evaluator: str,
    on: datetime.date,
    actor: Actor,
) -> Project:
    """绩效评价 of an accepted project: each target's actual value and score (within its
    weight); the total score's band gives the grade; the project moves to 绩效评价."""
    project = _own(project, actor, "funds.change")
    if project.state != S.ACCEPTED:
        state = ProjectState(project.state).label
        raise DomainError(f"项目当前为“{state}”，验收后才能进行绩效评价")
    evaluator = evaluator.strip()
    if not evaluator:
        raise DomainError("请填写评价人", field="evaluator")
    check_span(on, "评价日期", "on")
    targets = list(project.targets.all())
    if not targets:
        raise DomainError("该项目没有绩效目标，无法评价")
    missing = [t.name for t in targets if t.pk not in results]
    if missing:
        raise DomainError(f"请填写每项指标的实际值和得分（缺：{'、'.join(missing)}）")
    for t in targets:
        actual, score = results[t.pk]
        if not 0 <= score <= t.weight:
            raise DomainError(f"“{t.name}”的得分应在 0 至 {t.weight} 分之间")
        t.actual, t.score = actual, score
    PerformanceTarget.objects.bulk_update(targets, ["actual", "score"])
    total = sum((t.score or Decimal("0") for t in targets), Decimal("0"))
    project.score, project.grade = total, grade_for(total)
    project.evaluator, project.evaluated_on = evaluator, on
    ProjectStep.objects.create(
        project=project,
        from_state=S.ACCEPTED,
        to_state=S.EVALUATED,
        note=f"得分 {total}，{project.grade}",
        by=_name(actor),
    )
    project.state = S.EVALUATED
    project.save(update_fields=["score", "grade", "evaluator", "evaluated_on", "state"])
    record(
        actor,
        "fpa.project.evaluated",
        project,
        {"score": str(total), "grade": project.grade, "evaluator": evaluator},
    )
    return project
