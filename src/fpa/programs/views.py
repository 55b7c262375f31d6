"""Program pages: programs and their setup, applications, worklists, dashboard."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fpa.core.errors import DomainError
from fpa.core.fields import lookup
from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.scope import Actor, actor_for, get_for_actor_or_404, in_reach_or_404
from fpa.orgs.models import Org
from fpa.people.models import Person

from . import approval, selectors, services, setup
from .forms import (
    ApplicationFilter,
    ApplicationForm,
    ClaimForm,
    DecisionForm,
    DetailsForm,
    KindForm,
    ProgramForm,
    RateForm,
    SplitForm,
)
from .models import (
    Allocation,
    Application,
    ApplicationAttachment,
    InsurancePolicy,
    PaymentBatch,
    Program,
    ProgramKind,
)
from .rules import rule_for

PAGE_SIZE = 50
ID = re.compile(r"[0-9]{1,12}")  # ASCII digits only: "²".isdigit() is True


def _error(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _program(request: HttpRequest, program_id: int, perm: str) -> tuple[Actor, Program]:
    return in_reach_or_404(request, Program.objects, perm, pk=program_id)


def program_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.view")
    qs = Program.objects.for_actor(actor).select_related("funding_org").order_by("-year", "code")
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "programs/list.html",
        {"page": page, "can_add": actor.can("programs.add"), "kinds": ProgramKind.choices},
    )


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
            _error(form, exc)
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
    return get_for_actor_or_404(
        Org.objects,
        actor,
        **({"pk": code} if code.isdigit() and len(code) < 12 else {"code": code}),
    )


def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.view")
    node = _node(request, actor)
    total, rows = selectors.dashboard(program, node)
    owner = program.funding_org.path.startswith(actor.org.path)
    allocated = Allocation.objects.for_actor(actor).filter(program=program).values("org")
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
                {"name": "已批准（元）", "data": [float(r.committed) for r in rows]},
                {"name": "已发放（元）", "data": [float(r.paid) for r in rows]},
            ],
        },
    }
    return render(request, "programs/detail.html", context)


@require_POST
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
        messages.error(request, "请完整填写标准：" + "；".join(_errors(form)))
    return redirect("programs:detail", program_id=program.pk)


def _errors(form: Any) -> list[str]:
    return [
        f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{e}"
        for k, es in form.errors.items()
        for e in es
    ]


@require_POST
def program_split(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.change")
    allocated = Allocation.objects.for_actor(actor).filter(program=program).values("org")
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
            messages.success(request, f"已分配到 {len(parts)} 个下级单位，合计与上级额度一致")
    else:
        messages.error(request, "请选择分配单位和依据")
    return redirect("programs:detail", program_id=program.pk)


@require_POST
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


def _applicant(actor: Actor, number: str) -> Person:
    try:
        return Person.objects.for_actor(actor).get(**lookup("id_number", number, "id_number"))
    except (Person.DoesNotExist, ValueError) as exc:
        raise DomainError(
            "本辖区人员库中没有该身份证号码，请先登记人员", field="id_number"
        ) from exc


def apply(request: HttpRequest, program_id: int) -> HttpResponse:
    actor, program = _program(request, program_id, "programs.add")
    person = None
    if request.GET.get("person"):
        person = get_for_actor_or_404(Person.objects, actor, pk=request.GET["person"])
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        program=program,
        actor=actor,
        fixed_person=person is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = _file(actor, program, person, form)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, f"已提交申请 {application.number}，等待审核")
            return redirect("programs:application", application_id=application.pk)
    return render(
        request, "programs/apply.html", {"form": form, "program": program, "person": person}
    )


@transaction.atomic  # a refused filing leaves no payee behind
def _file(
    actor: Actor, program: Program, person: Person | None, form: ApplicationForm
) -> Application:
    data = form.cleaned_data
    details = rule_for(program.kind).clean(form.details())  # the stay's errors before the account's
    person = person or _applicant(actor, data.get("id_number") or "")
    payee = data.get("payee") or services.payee_for_person(
        person, data.get("bank_name", ""), data.get("account", ""), actor=actor
    )
    household = None
    if program.for_households:
        household = person.household
        if household is None:
            raise DomainError(f"{person.name}尚未登记家庭户，请先在人员页面建立家庭户")
        person = None
    attachments = (
        [(data["attachment"], data.get("attachment_label") or "证明材料")]
        if data.get("attachment")
        else []
    )
    return services.file_application(
        program,
        actor=actor,
        person=person,
        household=household,
        payee=payee,
        details=details,
        attachments=attachments,
    )


def _application(request: HttpRequest, application_id: int, perm: str) -> tuple[Actor, Application]:
    return in_reach_or_404(request, Application.objects, perm, pk=application_id)


def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    actor, application = _application(request, application_id, "programs.view")
    chain = approval.chain_with_orgs(application)
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


@require_POST
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
            f"申请 {application.number}：{dict(form.fields['action'].choices)[data['action']]}",
        )
    return redirect("programs:application", application_id=application.pk)


@require_POST
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
        messages.error(request, "请填写理赔日期和赔付金额：" + "；".join(_errors(form)))
    return redirect("programs:application", application_id=application.pk)


@require_POST
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
        messages.error(request, "请完整填写：" + "；".join(_errors(form)))
    return redirect("programs:application", application_id=application.pk)


@require_POST
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    actor, application = _application(request, application_id, "programs.change")
    try:
        services.withdraw(application.pk, actor=actor, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "申请已撤回")
    return redirect("programs:application", application_id=application.pk)


def attachment(request: HttpRequest, application_id: int, attachment_id: int) -> FileResponse:
    _, application = _application(request, application_id, "programs.view")
    try:
        item = application.attachments.get(pk=attachment_id)
    except ApplicationAttachment.DoesNotExist as exc:
        raise Http404 from exc
    return FileResponse(item.file.open("rb"), filename=item.file.name.rsplit("/", 1)[-1])


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


def application_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.view")
    form, qs = _filtered(actor, request)
    page = page_of(
        qs.select_related("program", "org", "person", "household__head").order_by("-id"),
        request.GET.get("page"),
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


def worklist(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.approve")
    qs = services.worklist(actor).select_related("program", "org", "person", "household__head")
    page = page_of(qs.order_by("filed_at", "id"), request.GET.get("page"), PAGE_SIZE)
    return render(request, "programs/worklist.html", {"page": page})


@require_POST
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
        result = services.bulk_decide(
            ids, action, actor=actor, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("programs:worklist")
    messages.success(request, f"已处理 {result['done']} 份")
    for refused in result["refused"][:20]:
        messages.error(request, f"申请 {refused['id']} 未处理：{refused['reason']}")
    return redirect("programs:worklist")


def export(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "programs.export")
    keys = ("program", "status", "number", "format", "what", "batch", "org")
    params = {k: v for k, v in request.GET.items() if k in keys and v}
    needs = {"lines": "batch", "dashboard": "program"}.get(params.get("what", ""))
    if needs and not params.get(needs):
        raise Http404
    if params.get("batch"):
        get_for_actor_or_404(PaymentBatch.objects, actor, pk=params["batch"])
    if params.get("program"):
        get_for_actor_or_404(Program.objects, actor, pk=params["program"])
    if params.get("org"):
        get_for_actor_or_404(Org.objects, actor, pk=params["org"])
    job = start_job("programs.export", actor=actor, title="导出", params=params)
    return redirect("core:job", job_id=job.pk)
