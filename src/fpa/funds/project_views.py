"""The project library's pages: the list with filters, the board by state, a project's page with
its targets, money, milestones, evidence and history, and the evaluation report."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core import uploads
from fpa.core.errors import DomainError
from fpa.core.exporters import file_format
from fpa.core.forms import add_domain_error, error_text, posted_text
from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, in_reach_or_404

from . import exports, projects, selectors
from .forms import (
    EvaluationForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProjectFilter,
    ProjectForm,
    TargetForm,
)
from .models import Project, ProjectState
from .selectors import Totals

PAGE_SIZE = 50


def _project(request: HttpRequest, project_id: int, perm: str) -> tuple[Actor, Project]:
    return in_reach_or_404(request, Project.objects, perm, pk=project_id)


@permission("funds.view")
def project_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.view")
    form = ProjectFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(selectors.projects_of(actor, filters), request.GET, PAGE_SIZE)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "funds/projects.html",
        {
            "form": form,
            "page": page,
            "extra": "&" + urlencode(query) if query else "",
            "can_add": actor.can("funds.add"),
        },
    )


@permission("funds.view")
def project_board(request: HttpRequest) -> HttpResponse:
    """The library by state: how many in each column and the latest ten of each."""
    actor = actor_for(request, "funds.view")
    form = ProjectFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "funds/board.html",
        {
            "form": form,
            "columns": selectors.board(actor, filters),
            "can_add": actor.can("funds.add"),
        },
    )


@permission("funds.export", writes=True, methods=("POST",))
def project_export(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.export")
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
    job = start_job("funds.export.projects", actor=actor, title="导出项目库", params=params)
    return redirect("core:job", job_id=job.pk)


@permission("funds.add", methods=("GET", "POST"), writes=True)
def project_add(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.add")
    form = ProjectForm(request.POST or None, actor=actor, initial={"org": actor.org})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = projects.apply(data["org"], data, actor=actor)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已申报项目：{project.name}。下一步请设置绩效目标")
            return redirect("funds:project", project_id=project.pk)
    return render(request, "funds/project_form.html", {"form": form})


@permission("funds.view")
def project_page(request: HttpRequest, project_id: int) -> HttpResponse:
    actor, project = _project(request, project_id, "funds.view")
    return _page(request, actor, project)


def _page(request: HttpRequest, actor: Actor, project: Project, **forms: Any) -> HttpResponse:
    targets = list(project.targets.all())
    lines = list(project.budget_lines.select_related("org").order_by("org__path"))
    money = Totals()
    for line in lines:
        money.add(line)
    nxt = projects.TRANSITIONS.get(project.state)
    return render(
        request,
        "funds/project.html",
        {
            "project": project,
            "targets": targets,
            "weight": sum(t.weight for t in targets),
            "lines": lines,
            "money": money,
            "milestones": project.milestones.all(),
            "evidence": project.evidence.order_by("-uploaded_at"),
            "steps": project.steps.all(),
            "next_state": ProjectState(nxt) if nxt else None,
            "can_change": actor.can("funds.change"),
            "target_form": forms.get("target_form") or TargetForm(prefix="t"),
            "milestone_form": forms.get("milestone_form") or MilestoneForm(prefix="m"),
            "evaluation_form": forms.get("evaluation_form")
            or (
                EvaluationForm(targets=targets, prefix="e") if project.state == "accepted" else None
            ),
        },
    )


def _done(request: HttpRequest, project: Project, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("funds:project", project_id=project.pk)


@permission("funds.change", writes=True, methods=("POST",))
def project_advance(request: HttpRequest, project_id: int) -> HttpResponse:
    actor, project = _project(request, project_id, "funds.change")
    try:
        note = posted_text(request.POST, "note", 200)
        project = projects.advance(project, request.POST.get("to", ""), note=note, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("funds:project", project_id=project.pk)
    return _done(request, project, f"项目已转为“{project.get_state_display()}”")


@permission("funds.change", writes=True, methods=("POST",))
def project_target(request: HttpRequest, project_id: int) -> HttpResponse:
    actor, project = _project(request, project_id, "funds.change")
    form = TargetForm(request.POST, prefix="t")
    if form.is_valid():
        try:
            projects.add_target(project, form.cleaned_data, actor=actor)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, project, "已增加绩效目标")
    return _page(request, actor, project, target_form=form)


@permission("funds.change", writes=True, methods=("POST",))
def project_milestone(request: HttpRequest, project_id: int) -> HttpResponse:
    actor, project = _project(request, project_id, "funds.change")
    form = MilestoneForm(request.POST, prefix="m")
    if form.is_valid():
        try:
            projects.add_milestone(
                project, form.cleaned_data["name"], form.cleaned_data["due_on"], actor=actor
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, project, "已增加项目节点")
    return _page(request, actor, project, milestone_form=form)


@permission("funds.change", writes=True, methods=("POST",))
def project_milestone_done(
    request: HttpRequest, project_id: int, milestone_id: int
) -> HttpResponse:
    actor, project = _project(request, project_id, "funds.change")
    form = MilestoneDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写实际完成日期：" + error_text(form))
        return redirect("funds:project", project_id=project.pk)
    try:
        projects.complete_milestone(
            project, milestone_id, form.cleaned_data["done_on"], actor=actor
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记录节点完成")
    return redirect("funds:project", project_id=project.pk)


@permission("funds.change", writes=True, methods=("POST",))
def project_attach(request: HttpRequest, project_id: int) -> HttpResponse:
    actor, project = _project(request, project_id, "funds.change")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError("请选择文件")
        projects.attach(project, upload, posted_text(request.POST, "label", 50), actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已上传佐证材料")
    return redirect("funds:project", project_id=project.pk)


@permission("funds.view")
def project_evidence(request: HttpRequest, project_id: int, evidence_id: int) -> FileResponse:
    _actor, project = _project(request, project_id, "funds.view")
    item = project.evidence.filter(pk=evidence_id).first()
    if item is None:
        raise Http404
    return uploads.attachment_response(item.file)


@permission("funds.change", writes=True, methods=("POST",))
def project_evaluate(request: HttpRequest, project_id: int) -> HttpResponse:
    actor, project = _project(request, project_id, "funds.change")
    form = EvaluationForm(request.POST, targets=list(project.targets.all()), prefix="e")
    if form.is_valid():
        try:
            project = projects.evaluate(
                project,
                form.results(),
                evaluator=form.cleaned_data["evaluator"],
                on=form.cleaned_data["on"],
                actor=actor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, project, f"绩效评价完成：{project.score} 分，{project.grade}")
    else:
        messages.error(request, "请完整填写评价：" + error_text(form))
    return _page(request, actor, project, evaluation_form=form)


@permission("funds.export", writes=True, methods=("POST",))
def project_report(request: HttpRequest, project_id: int) -> HttpResponse:
    """The evaluation report of one project as an Excel file, at once, audited."""
    actor, project = _project(request, project_id, "funds.export")
    return exports.EvaluationReport().response(
        actor, {"project": str(project.pk)}, file_format(request.POST.dict())
    )
