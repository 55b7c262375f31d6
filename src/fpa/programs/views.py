"""Application pages: filing, the application page and its decisions, lists, the worklist.

Program setup and the dashboard are in `program_views.py`, payments in `payment_views.py`."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core import uploads
from fpa.core.errors import DomainError
from fpa.core.forms import add_domain_error, error_text, posted_text
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, get_in_reach_or_404, in_reach_or_404
from fpa.people.models import Person

from . import approval_chain, filing, services
from .forms import (
    DECISIONS,
    ApplicationFilter,
    ApplicationForm,
    ClaimForm,
    DecisionForm,
    DetailsForm,
)
from .models import (
    Application,
    ApplicationAttachment,
    InsurancePolicy,
    Program,
)
from .rules import rule_for

PAGE_SIZE = 50
ID = re.compile(r"[0-9]{1,12}")  # ASCII digits only: "²".isdigit() is True


def _program(request: HttpRequest, program_id: int, perm: str) -> tuple[Actor, Program]:
    return in_reach_or_404(request, Program.objects, perm, pk=program_id)


@permission("programs.add", writes=True)
def apply(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.add")
    person = None
    if request.GET.get("person"):
        person = get_in_reach_or_404(Person.objects, actor, pk=request.GET["person"])
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        program=program,
        actor=actor,
        fixed_person=person is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = filing.file_from_page(
                program, form.cleaned_data, form.details(), actor=actor, person=person
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已提交申请 {application.number}，等待审核")
            return redirect("programs:application", application_id=application.pk)
    return render(
        request, "programs/apply.html", {"form": form, "program": program, "person": person}
    )


def _application(request: HttpRequest, application_id: int, perm: str) -> tuple[Actor, Application]:
    return in_reach_or_404(request, Application.objects, perm, pk=application_id)


@permission("programs.view")
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    actor, application = _application(request, application_id, "programs.view")
    chain = approval_chain.chain_with_orgs(application)
    acting = None
    if application.status == "pending":
        acting = next(
            (s for s, org in chain if s.order == application.step and org.pk == actor.org.pk),
            None,
        )
    labels = {f.name: f.label for f in rule_for(application.program.kind).fields}
    context = {
        "application": application,
        "details": [(labels.get(k, k), v) for k, v in application.details.items()],
        "chain": [
            {
                "step": s,
                "org": org,
                "current": application.status == "pending" and s.order == application.step,
            }
            for s, org in chain
        ],
        "decisions": application.decisions.select_related("org", "user"),
        "entitlements": application.entitlements.prefetch_related("lines__batch"),
        "attachments": application.attachments.all(),
        "can_decide": acting is not None and actor.can("programs.approve"),
        "can_change": actor.can("programs.change")
        and application.status in ("pending", "returned"),
        "policies": InsurancePolicy.objects.filter(
            entitlement__application=application
        ).prefetch_related("claims"),
        "claim_form": ClaimForm(prefix="claim"),
        "details_form": DetailsForm(
            initial=application.details, program=application.program, prefix="fix"
        )
        if application.status == "returned"
        else None,
    }
    return render(request, "programs/application.html", context)


@permission("programs.approve", writes=True, methods=("POST",))
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    actor, application = _application(request, application_id, "programs.approve")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    try:
        services.decide(
            application.pk,
            data["action"],
            actor=actor,
            reason=data["reason"],
            version=data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"申请 {application.number}：{DECISIONS[data['action']]}",
        )
    return redirect("programs:application", application_id=application.pk)


@permission("programs.change", writes=True, methods=("POST",))
def record_claim(request: HttpRequest, application_id: int, policy_id: int) -> HttpResponse:
    actor, application = _application(request, application_id, "programs.change")
    try:
        policy = InsurancePolicy.objects.get(pk=policy_id, entitlement__application=application)
    except InsurancePolicy.DoesNotExist as exc:
        raise Http404 from exc
    form = ClaimForm(request.POST, prefix="claim")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_claim(
                policy, data["claimed_on"], data["amount"], actor=actor, note=data["note"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已登记理赔")
    else:
        messages.error(request, "请填写理赔日期和赔付金额：" + error_text(form))
    return redirect("programs:application", application_id=application.pk)


@permission("programs.change", writes=True, methods=("POST",))
def application_resubmit(request: HttpRequest, application_id: int) -> HttpResponse:
    actor, application = _application(request, application_id, "programs.change")
    form = DetailsForm(request.POST, program=application.program, prefix="fix")
    if form.is_valid():
        try:
            services.resubmit(application.pk, form.details(), actor=actor)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已重新提交，从第一个环节重新审核")
    else:
        messages.error(request, "请完整填写：" + error_text(form))
    return redirect("programs:application", application_id=application.pk)


@permission("programs.change", writes=True, methods=("POST",))
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    actor, application = _application(request, application_id, "programs.change")
    try:
        reason = posted_text(request.POST, "reason", 200, multiline=True)
        services.withdraw(application.pk, actor=actor, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "申请已撤回")
    return redirect("programs:application", application_id=application.pk)


@permission("programs.view")
def attachment(request: HttpRequest, application_id: int, attachment_id: int) -> FileResponse:
    _, application = _application(request, application_id, "programs.view")
    try:
        item = application.attachments.get(pk=attachment_id)
    except ApplicationAttachment.DoesNotExist as exc:
        raise Http404 from exc
    return uploads.attachment_response(item.file)


def _filtered(actor: Actor, request: HttpRequest) -> tuple[ApplicationFilter, Any]:
    form = ApplicationFilter(request.GET or None, actor=actor)
    qs = Application.objects.for_actor(actor)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("program"):
            qs = qs.filter(program=data["program"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("number"):
            qs = qs.filter(number=data["number"].strip())
    return form, qs


@permission("programs.view")
def application_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.view")
    form, qs = _filtered(actor, request)
    page = page_of(
        qs.select_related("program", "org", "person", "household__head").order_by("-id"),
        request.GET,
        PAGE_SIZE,
    )
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "programs/applications.html",
        {
            "form": form,
            "page": page,
            "extra": "&" + urlencode(query) if query else "",
            "query": urlencode(query),
        },
    )


@permission("programs.approve")
def worklist(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.approve")
    qs = services.worklist(actor).select_related("program", "org", "person", "household__head")
    page = page_of(qs.order_by("filed_at", "id"), request.GET, PAGE_SIZE)
    return render(request, "programs/worklist.html", {"page": page})


@permission("programs.approve", writes=True, methods=("POST",))
def worklist_decide(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.approve")
    ids = [int(i) for i in request.POST.getlist("ids") if ID.fullmatch(i)]
    action = request.POST.get("action")
    if action not in ("approve", "return", "reject"):
        raise Http404
    if not ids:
        messages.error(request, "请先勾选申请")
        return redirect("programs:worklist")
    try:
        reason = posted_text(request.POST, "reason", 200, multiline=True)
        result = services.bulk_decide(ids, action, actor=actor, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("programs:worklist")
    messages.success(request, f"已处理 {result['done']} 份")
    for refused in result["refused"][:20]:
        messages.error(request, f"申请 {refused['id']} 未处理：{refused['reason']}")
    return redirect("programs:worklist")
