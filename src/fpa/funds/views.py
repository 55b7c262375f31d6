"""The funds pages: an org's funds for a year, a budget line (versions, transfers, revise, pass
down), a new line, and the transfer register."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fpa.core.errors import DomainError
from fpa.core.exporters import file_format
from fpa.core.forms import add_domain_error, error_text
from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, in_reach_or_404

from . import exports, ledger, selectors
from .forms import FundsFilter, LineForm, ReviseForm, SpendForm, TransferFilter, TransferForm
from .models import BudgetLine

PAGE_SIZE = 50


def _org_year(request: HttpRequest, actor: Actor) -> tuple[FundsFilter, Any, int]:
    form = FundsFilter(
        request.GET or None,
        actor=actor,
        initial={"org": actor.org, "year": timezone.localdate().year},
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    return form, chosen.get("org") or actor.org, chosen.get("year") or timezone.localdate().year


@permission("funds.view")
def home(request: HttpRequest) -> HttpResponse:
    """An org's funds for a year: its lines by purpose and by source, with budget, passed down,
    committed, spent and what is left; what went to each child; last year beside it."""
    actor = actor_for(request, "funds.view")
    form, org, year = _org_year(request, actor)
    lines = selectors.lines_of(org, year)
    purposes, sources = selectors.grouped(lines)
    total = selectors.Totals()
    for line in lines:
        total.add(line)
    last = selectors.totals(org, year - 1)
    children = selectors.passed_to_children(org, year)
    return render(
        request,
        "funds/home.html",
        {
            "form": form,
            "org": org,
            "year": year,
            "lines": lines,
            "purposes": purposes,
            "sources": sources,
            "total": total,
            "last": last,
            "growth": total.budget - last.budget,
            "children": children,
            "can_add": actor.can("funds.add"),
            "query": urlencode({"org": org.pk, "year": year}),
            "chart": {
                "names": [c.name for c, _ in children],
                "series": [{"name": "下拨", "data": [float(a) for _, a in children]}],
                "unit": "元",
            },
        },
    )


@permission("funds.export", writes=True, methods=("POST",))
def home_export(request: HttpRequest) -> HttpResponse:
    """The funds page's lines as a file at once (a few dozen rows), audited."""
    actor = actor_for(request, "funds.export")
    params = {k: request.POST.get(k, "") for k in ("org", "year")}
    form = FundsFilter(params, actor=actor)
    if not form.is_valid():
        # Never a file of another org or year than the one asked for.
        messages.error(request, "导出条件有误：" + error_text(form))
        return redirect("funds:home")
    return exports.FundsLines().response(actor, params, file_format(request.POST.dict()))


@permission("funds.add", methods=("GET", "POST"), writes=True)
def line_add(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.add")
    form = LineForm(request.POST or None, actor=actor, initial={"org": actor.org})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line = ledger.open_line(
                data["org"],
                data["year"],
                data["source"],
                data["purpose"],
                data["amount"],
                doc_number=data["doc_number"],
                reason=data["reason"],
                on=data["on"],
                program=data["program"],
                project_id=data["project"].pk if data["project"] else None,
                actor=actor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新增预算科目：{line}")
            return redirect("funds:line", line_id=line.pk)
    return render(request, "funds/line_form.html", {"form": form})


def _line(request: HttpRequest, line_id: int, perm: str) -> tuple[Actor, BudgetLine]:
    return in_reach_or_404(request, BudgetLine.objects, perm, pk=line_id)


@permission("funds.view")
def line_page(request: HttpRequest, line_id: int) -> HttpResponse:
    actor, line = _line(request, line_id, "funds.view")
    return _line_page(request, actor, line, ReviseForm(), TransferForm(actor=actor))


def _line_page(
    request: HttpRequest,
    actor: Actor,
    line: BudgetLine,
    revise: ReviseForm,
    transfer: TransferForm,
    spend: SpendForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "funds/line.html",
        {
            "line": line,
            "versions": line.versions.select_related("recorded_by").order_by("-recorded_at"),
            "out": line.transfers_out.select_related("org").order_by("-on", "-pk")[:200],
            "into": line.transfers_in.select_related("sender").order_by("-on", "-pk")[:200],
            "revise": revise,
            "transfer": transfer,
            "spend": spend or SpendForm(prefix="s"),
            "expenditures": line.expenditures.order_by("-on", "-pk")[:200],
            "can_change": actor.can("funds.change"),
        },
    )


@permission("funds.change", writes=True, methods=("POST",))
def line_revise(request: HttpRequest, line_id: int) -> HttpResponse:
    actor, line = _line(request, line_id, "funds.change")
    form = ReviseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ledger.revise(
                line,
                data["amount"],
                reason=data["reason"],
                doc_number=data["doc_number"],
                on=data["on"],
                actor=actor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已调整预算，原版本保留在调整记录中")
            return redirect("funds:line", line_id=line.pk)
    return _line_page(request, actor, line, form, TransferForm(actor=actor))


@permission("funds.change", writes=True, methods=("POST",))
def line_transfer(request: HttpRequest, line_id: int) -> HttpResponse:
    actor, line = _line(request, line_id, "funds.change")
    form = TransferForm(request.POST, actor=actor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = ledger.transfer(
                line,
                data["to_org"],
                data["amount"],
                doc_number=data["doc_number"],
                on=data["on"],
                note=data["note"],
                actor=actor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"已下拨 {made.amount} 元给{made.org.name}（{made.doc_number}）"
            )
            return redirect("funds:line", line_id=line.pk)
    return _line_page(request, actor, line, ReviseForm(), form)


@permission("funds.view")
def transfer_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.view")
    form = TransferFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(selectors.transfers_of(actor, filters), request.GET, PAGE_SIZE)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "funds/transfers.html",
        {"form": form, "page": page, "extra": "&" + urlencode(query) if query else ""},
    )


@permission("funds.export", writes=True, methods=("POST",))
def transfer_export(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.export")
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
    job = start_job("funds.export.transfers", actor=actor, title="导出转移支付登记", params=params)
    return redirect("core:job", job_id=job.pk)


@permission("funds.change", writes=True, methods=("POST",))
def line_spend(request: HttpRequest, line_id: int) -> HttpResponse:
    actor, line = _line(request, line_id, "funds.change")
    form = SpendForm(request.POST, prefix="s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = ledger.spend(
                line,
                data["amount"],
                on=data["on"],
                voucher=data["voucher"],
                payee=data["payee"],
                note=data["note"],
                actor=actor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记支出 {made.amount} 元（凭证号 {made.voucher}）")
            return redirect("funds:line", line_id=line.pk)
    return _line_page(request, actor, line, ReviseForm(), TransferForm(actor=actor), form)
