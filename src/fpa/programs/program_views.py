"""Program pages: the list, setup (rates, budget split, status), the dashboard, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core.errors import DomainError
from fpa.core.forms import add_domain_error, ascii_int, error_text
from fpa.core.jobs import start_job
from fpa.core.money import yuan_text
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.funds.models import BudgetLine
from fpa.kernel.scope import Actor, actor_for, get_in_reach_or_404, in_reach, in_reach_or_404
from fpa.orgs.models import Org

from . import selectors, setup
from .forms import (
    KindForm,
    ProgramForm,
    RateForm,
    SplitForm,
)
from .models import (
    PaymentBatch,
    Program,
    ProgramKind,
)
from .rules import rule_for

PAGE_SIZE = 50


def _program(request: HttpRequest, program_id: int, perm: str) -> tuple[Actor, Program]:
    return in_reach_or_404(request, Program.objects, perm, pk=program_id)


@permission("programs.view")
def program_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.view")
    qs = Program.objects.for_actor(actor).select_related("funding_org").order_by("-year", "code")
    page = page_of(qs, request.GET, PAGE_SIZE)
    return render(
        request,
        "programs/list.html",
        {"page": page, "can_add": actor.can("programs.add"), "kinds": ProgramKind.choices},
    )


@permission("programs.add", writes=True)
def program_add(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.add")
    kind_form = KindForm(request.GET)
    if not kind_form.is_valid():
        return render(request, "programs/choose_kind.html", {"kinds": ProgramKind.choices})
    kind = kind_form.cleaned_data["kind"]
    form = ProgramForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k != "levels" and not k.startswith("rate_")
        }
        try:
            program = setup.create_program(
                {**data, "kind": kind}, form.rate(), form.steps(), actor=actor
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已创建项目“{program.name}”，请分配预算")
            return redirect("programs:detail", program_id=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "kind_label": ProgramKind(kind).label},
    )


def _node(request: HttpRequest, actor: Actor) -> Org:
    code = request.GET.get("org")
    if not code:
        return actor.org
    # an org's number (ASCII digits, shorter than a code) or its 12-digit code
    number = ascii_int(code, digits=11)
    lookup: dict[str, Any] = {"pk": number} if number is not None else {"code": code}
    return get_in_reach_or_404(Org.objects, actor, **lookup)


@permission("programs.view")
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.view")
    node = _node(request, actor)
    total, rows = selectors.dashboard(program, node)
    owner = in_reach(program.funding_org, actor)
    allocated = BudgetLine.objects.for_actor(actor).filter(program=program).values("org")
    context = {
        "program": program,
        "node": node,
        "total": total,
        "rows": rows,
        "rates": program.rates.all(),
        "steps": program.steps.all(),
        "params": rule_for(program.kind).params,
        "can_change": actor.can("programs.change") and owner,
        "can_split": actor.can("programs.change"),
        "can_apply": actor.can("programs.add"),
        "rate_form": RateForm(kind=program.kind, prefix="rate"),
        "split_form": SplitForm(
            orgs=Org.objects.for_actor(actor).filter(pk__in=allocated).order_by("path"),
            prefix="split",
        ),
        "chart": {
            "names": [r.org.name for r in rows],
            "series": [
                {"name": "已批准", "data": [float(r.committed) for r in rows]},
                {"name": "已发放", "data": [float(r.paid) for r in rows]},
            ],
            "unit": "元",
        },
    }
    return render(request, "programs/detail.html", context)


@permission("programs.change", writes=True, methods=("POST",))
def program_rate(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.change")
    form = RateForm(request.POST, kind=program.kind, prefix="rate")
    if form.is_valid():
        values = {f.name: form.cleaned_data[f.name] for f in rule_for(program.kind).params}
        try:
            setup.set_rate(program, form.cleaned_data["effective_from"], values, actor=actor)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已新增补贴标准版本")
    else:
        messages.error(request, "请完整填写标准：" + error_text(form))
    return redirect("programs:detail", program_id=program.pk)


@permission("programs.change", writes=True, methods=("POST",))
def program_split(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.change")
    allocated = BudgetLine.objects.for_actor(actor).filter(program=program).values("org")
    form = SplitForm(
        request.POST,
        orgs=Org.objects.for_actor(actor).filter(pk__in=allocated),
        prefix="split",
    )
    if form.is_valid():
        try:
            parts = setup.split_budget(
                program, form.cleaned_data["org"], form.cleaned_data["basis"], actor=actor
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"已下拨到 {len(parts)} 个下级单位，"
                f"合计 {yuan_text(sum(t.amount for t in parts))} 元，见转移支付登记",
            )
    else:
        messages.error(request, "请选择分配单位和依据")
    return redirect("programs:detail", program_id=program.pk)


@permission("programs.change", writes=True, methods=("POST",))
def program_status(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.change")
    status = request.POST.get("status")
    if status not in ("open", "closed", "draft"):
        raise Http404
    try:
        setup.set_status(program, status, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("programs:detail", program_id=program.pk)


@permission("programs.export", writes=True, methods=("POST",))
def export(request: HttpRequest) -> HttpResponse:
    """Start an export job: a POST with its CSRF token, so no link from elsewhere starts one.
    The list's filter comes in the form's action (the query string), the button's choice of
    what and which format in the form itself."""
    actor = actor_for(request, "programs.export")
    keys = ("program", "status", "number", "format", "what", "batch", "org")
    sent = {**request.GET.dict(), **request.POST.dict()}
    params = {k: v for k, v in sent.items() if k in keys and v}
    needs = {"lines": "batch", "dashboard": "program"}.get(params.get("what", ""))
    if needs and not params.get(needs):
        raise Http404
    if params.get("batch"):
        get_in_reach_or_404(PaymentBatch.objects, actor, pk=params["batch"])
    if params.get("program"):
        get_in_reach_or_404(Program.objects, actor, pk=params["program"])
    if params.get("org"):
        get_in_reach_or_404(Org.objects, actor, pk=params["org"])
    job = start_job("programs.export", actor=actor, title="导出", params=params)
    return redirect("core:job", job_id=job.pk)
