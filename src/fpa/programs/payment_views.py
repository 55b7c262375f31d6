"""Payment pages: batches, the bank file, re-issue, the bank samples (the return and application
imports are import flows, `imports.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from fpa.core.errors import DomainError
from fpa.core.exports import export_path
from fpa.core.forms import add_domain_error
from fpa.core.imports import web
from fpa.core.money import yuan_text
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, in_reach_or_404

from . import banks, payees, payments
from .forms import AccountForm, BatchForm, ExportForm, ReissueForm
from .models import PaymentBatch

PAGE_SIZE = 100


def _batch(request: HttpRequest, batch_id: int, perm: str) -> tuple[Actor, PaymentBatch]:
    return in_reach_or_404(request, PaymentBatch.objects, perm, pk=batch_id)


@permission("programs.view", writes=True, post_perm="programs.pay")
def batch_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.view")
    form = BatchForm(request.POST or None, actor=actor)
    if request.method == "POST":
        actor.require("programs.pay")
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = payments.build_batch(
                    data["program"], data["county"], data["period"], data["bank"], actor=actor
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, f"已生成批次 {batch.number}：{batch.line_count} 笔，{batch.total} 元"
                )
                return redirect("programs:batch", batch_id=batch.pk)
    qs = (
        PaymentBatch.objects.for_actor(actor)
        .select_related("program", "org")
        .order_by("-created_at", "-id")
    )
    page = page_of(qs, request.GET, PAGE_SIZE)
    return render(
        request,
        "programs/batches.html",
        {"page": page, "form": form, "can_build": actor.can("programs.pay")},
    )


@permission("programs.view")
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    actor, batch = _batch(request, batch_id, "programs.view")
    lines = batch.lines.select_related(
        "payee", "entitlement__person", "entitlement__household__head"
    )
    page = page_of(lines.order_by("pk"), request.GET, PAGE_SIZE)
    failed = batch.lines.filter(status="failed", entitlement__status="unpaid").count()
    context = {
        "batch": batch,
        # the typed control totals are checked by the service; the dialog says what leaves
        "export_question": (
            f"导出后本批次 {batch.line_count} 笔、合计 {yuan_text(batch.total)} 元交银行代发，"
            "批次不能再改动；文件含完整银行账号，导出记入审计日志。确定导出吗？"
        ),
        "page": page,
        "bank": banks.FORMATS[batch.bank],
        "export_form": ExportForm(prefix="export"),
        "reissue_form": ReissueForm(prefix="reissue"),
        "failed": failed,
        "returns": batch.returns.order_by("-applied_at"),
        "can_change": actor.can("programs.change"),
        "can_export": actor.can("programs.export"),
        "can_pay": actor.can("programs.pay"),
    }
    return render(request, "programs/batch.html", context)


@permission("programs.pay", writes=True, methods=("POST",))
def batch_export(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    actor, batch = _batch(request, batch_id, "programs.pay")
    form = ExportForm(request.POST, prefix="export")
    if not form.is_valid():
        messages.error(request, "请填写核对笔数和合计金额")
        return redirect("programs:batch", batch_id=batch.pk)
    name = f"{batch.number}.xlsx"
    try:
        payments.export_batch(
            batch,
            export_path(name),
            actor=actor,
            control_total=form.cleaned_data["control_total"],
            control_count=form.cleaned_data["control_count"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("programs:batch", batch_id=batch.pk)
    return FileResponse(open(export_path(name), "rb"), as_attachment=True, filename=name)


@permission("programs.pay")
def batch_file(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    actor, batch = _batch(request, batch_id, "programs.pay")
    try:
        path = payments.bank_file(batch, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("programs:batch", batch_id=batch.pk)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)


@permission("programs.change", writes=True, methods=("POST",))
def payee_account(request: HttpRequest, batch_id: int, payee_id: int) -> HttpResponse:
    """Correct the account of a payee whose line in this batch failed."""
    actor, batch = _batch(request, batch_id, "programs.change")
    line = batch.lines.filter(payee_id=payee_id, status="failed").select_related("payee").first()
    if line is None:
        raise Http404
    form = AccountForm(request.POST, prefix=f"account{payee_id}")
    if not form.is_valid():
        messages.error(request, "请填写开户行和银行账号")
        return redirect("programs:batch", batch_id=batch.pk)
    try:
        payees.change_account(
            line.payee, form.cleaned_data["bank_name"], form.cleaned_data["account"], actor=actor
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已更正 {line.payee.name} 的收款账号，可重新发放")
    return redirect("programs:batch", batch_id=batch.pk)


@permission("programs.pay", writes=True, methods=("POST",))
def batch_reissue(request: HttpRequest, batch_id: int) -> HttpResponse:
    actor, batch = _batch(request, batch_id, "programs.pay")
    form = ReissueForm(request.POST, prefix="reissue")
    if not form.is_valid():
        messages.error(request, "请填写重新发放期间")
        return redirect("programs:batch", batch_id=batch.pk)
    try:
        again = payments.reissue(batch, form.cleaned_data["period"], actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("programs:batch", batch_id=batch.pk)
    messages.success(request, f"已生成重新发放批次 {again.number}：{again.line_count} 笔")
    return redirect("programs:batch", batch_id=again.pk)


@permission("programs.export")
def bank_sample(request: HttpRequest, code: str) -> FileResponse:
    actor_for(request, "programs.export")
    if code == "return":
        path, name = web.upload_dir() / "return-sample.xlsx", "银行回盘样例.xlsx"
        banks.sample_return(path)
    elif code in banks.FORMATS:
        path, name = (
            web.upload_dir() / f"{code}-sample.xlsx",
            f"{banks.FORMATS[code].name}样例.xlsx",
        )
        banks.sample(code, path)
    else:
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name)
