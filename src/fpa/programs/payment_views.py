"""Payment pages: batches, the bank file, the bank's return, re-issue; and the imports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from fpa.core.errors import DomainError
from fpa.core.exports import export_path
from fpa.core.forms import add_domain_error
from fpa.core.imports import web
from fpa.core.jobs import start_job
from fpa.core.models import Job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, in_reach_or_404

from . import banks, payments, services
from .forms import AccountForm, BatchForm, ExportForm, ReissueForm
from .imports import ApplicationSchema, ReturnSchema
from .models import PaymentBatch, Program

PAGE_SIZE = 100
RETURN_JOB = "programs.return.preview"
APPLICATIONS_JOB = "programs.applications.preview"


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
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
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
    page = page_of(lines.order_by("pk"), request.GET.get("page"), PAGE_SIZE)
    failed = batch.lines.filter(status="failed", entitlement__status="unpaid").count()
    context = {
        "batch": batch,
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
        services.change_account(
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


@permission("programs.pay", writes=True)
def return_upload(request: HttpRequest, batch_id: int) -> HttpResponse:
    _, batch = _batch(request, batch_id, "programs.pay")
    return web.upload_page(
        request,
        perm="programs.pay",
        job_kind=RETURN_JOB,
        template_name="programs/return_upload.html",
        params={"batch": batch.pk},
        context={"batch": batch},
    )


def _preview(
    request: HttpRequest, job_id: str, *, perm: str, kind: str, param: str, owner: Any
) -> tuple[Actor, Job]:
    """The user's finished preview job of this kind, started for the batch or program the URL
    names (a job of another one is not found)."""
    actor, job = web.preview_job(request, job_id, perm=perm, job_kind=kind)
    if job.params.get(param) != owner.pk:
        raise Http404
    return actor, job


def _commit(actor: Actor, job: Job, *, counted: str, kind: str, title: str) -> HttpResponse:
    """Start the commit job of a checked file that has rows to write."""
    if not job.result.get("counts", {}).get(counted):
        raise Http404
    done = start_job(kind, actor=actor, title=f"{title} {job.params['name']}", params=job.params)
    return redirect("core:job", job_id=done.pk)


def _return_job(request: HttpRequest, batch_id: int, job_id: str) -> tuple[Actor, Any, Job]:
    _, batch = _batch(request, batch_id, "programs.pay")
    actor, job = _preview(
        request, job_id, perm="programs.pay", kind=RETURN_JOB, param="batch", owner=batch
    )
    return actor, batch, job


@permission("programs.pay")
def return_result(request: HttpRequest, batch_id: int, job_id: str) -> HttpResponse:
    _, batch, job = _return_job(request, batch_id, job_id)
    return render(request, "programs/return_result.html", {"job": job, "batch": batch})


@permission("programs.pay", writes=True, methods=("POST",))
def return_commit(request: HttpRequest, batch_id: int, job_id: str) -> HttpResponse:
    actor, _, job = _return_job(request, batch_id, job_id)
    return _commit(actor, job, counted="update", kind="programs.return.commit", title="导入回盘")


def _program(request: HttpRequest, program_id: int) -> tuple[Actor, Program]:
    return in_reach_or_404(request, Program.objects, "programs.add", pk=program_id)


@permission("programs.add", writes=True)
def applications_upload(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = _program(request, program_id)
    return web.upload_page(
        request,
        perm="programs.add",
        job_kind=APPLICATIONS_JOB,
        template_name="programs/import_upload.html",
        params={"program": program.pk},
        context={"program": program},
    )


@permission("programs.add")
def applications_template(request: HttpRequest, program_id: int) -> FileResponse:
    _, program = _program(request, program_id)
    return web.template_download(
        request,
        perm="programs.add",
        schema=ApplicationSchema(program.kind),
        filename=f"{program.name}申请导入模板.xlsx",
    )


def _applications_job(
    request: HttpRequest, program_id: int, job_id: str
) -> tuple[Actor, Program, Job]:
    _, program = _program(request, program_id)
    actor, job = _preview(
        request, job_id, perm="programs.add", kind=APPLICATIONS_JOB, param="program", owner=program
    )
    return actor, program, job


@permission("programs.add")
def applications_result(request: HttpRequest, program_id: int, job_id: str) -> HttpResponse:
    _, program, job = _applications_job(request, program_id, job_id)
    return render(request, "programs/import_result.html", {"job": job, "program": program})


@permission("programs.add", writes=True, methods=("POST",))
def applications_commit(request: HttpRequest, program_id: int, job_id: str) -> HttpResponse:
    actor, _, job = _applications_job(request, program_id, job_id)
    return _commit(actor, job, counted="new", kind="programs.applications.commit", title="导入申请")


@permission("programs.pay")
def return_template(request: HttpRequest) -> FileResponse:
    return web.template_download(
        request, perm="programs.pay", schema=ReturnSchema(), filename="银行回盘模板.xlsx"
    )
