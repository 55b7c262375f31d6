"""Special-family pages: list, family page (audited), arrangements, care, batch, coverage."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core import uploads
from fpa.core.errors import DomainError
from fpa.core.forms import add_domain_error, ascii_int, posted_text
from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, in_reach_or_404, subtree_q
from fpa.orgs import picker

from . import coverage, exports, services
from .forms import (
    BatchForm,
    CareForm,
    ContactForm,
    CoverageForm,
    DoctorForm,
    EndForm,
    FamilyActorForm,
    FamilyFilter,
    GreenChannelForm,
    RecognizeForm,
)
from .models import CareAttachment, Festival, SpecialFamily

PAGE_SIZE = 50


def _family(request: HttpRequest, family_id: int, perm: str) -> tuple[Actor, SpecialFamily]:
    return in_reach_or_404(request, SpecialFamily.objects, perm, pk=family_id)


@permission("families.view")
def family_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "families.view")
    form = FamilyFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    today = datetime.date.today()
    qs = coverage.annotate_gaps(coverage.families_at(actor, today), today, None)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    gap = filters.get("gap")
    if gap == "gap_contact":
        qs = qs.exclude(has_cadre=True, has_health_worker=True)
    elif gap:
        qs = qs.filter(**{gap: True})
    page = page_of(
        qs.select_related("org", *SpecialFamily.NAME_RELATED).order_by("org__path", "id"),
        request.GET,
        PAGE_SIZE,
    )
    for f in page.object_list:
        f.gap_contact = not (f.has_cadre and f.has_health_worker)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "families/list.html",
        {
            "form": form,
            "page": page,
            "extra": "&" + urlencode(query) if query else "",
            "can_add": actor.can("families.add"),
        },
    )


@permission("families.export", writes=True, methods=("POST",))
def export(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "families.export")
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
    job = start_job("families.export", actor=actor, title="导出特殊家庭名单", params=params)
    return redirect("core:job", job_id=job.pk)


@permission("families.add", writes=True, methods=("POST",))
def attach(request: HttpRequest, family_id: int, record_id: int) -> HttpResponse:
    """A photo or a signed receipt for one care record."""
    actor, family = _family(request, family_id, "families.add")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError("请选择文件")
        label = posted_text(request.POST, "label", 50)
        services.attach(family, record_id, upload, label, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "附件已上传")
    return redirect("families:family", family_id=family.pk)


@permission("families.view")
def attachment(request: HttpRequest, family_id: int, attachment_id: int) -> FileResponse:
    _, family = _family(request, family_id, "families.view")
    item = CareAttachment.objects.filter(pk=attachment_id, record__family=family).first()
    if item is None:
        raise Http404
    return uploads.attachment_response(item.file)


@permission("families.add", writes=True)
def recognize(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "families.add")
    form = RecognizeForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["parents"] = [p for p in (data.pop("parent1"), data.pop("parent2")) if p]
        try:
            family = services.recognize(data, actor=actor)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已登记特殊家庭")
            return redirect("families:family", family_id=family.pk)
    return render(request, "families/form.html", {"form": form, "title": "登记特殊家庭"})


@permission("families.view")
def family_page(request: HttpRequest, family_id: int) -> HttpResponse:
    actor, family = _family(request, family_id, "families.view")
    services.record_view(family, actor=actor)
    today = datetime.date.today()
    context = {
        "family": family,
        "parents": family.parents.select_related("person").order_by("since"),
        "contacts": family.contacts.select_related("person").order_by("role", "-since"),
        "cards": family.cards.order_by("-issued_on"),
        "doctors": family.doctors.order_by("-signed_on"),
        "care": family.care.select_related("festival")
        .prefetch_related("attachments")
        .order_by("-on", "-id")[:200],
        "events": family.events.select_related("org"),
        "can_change": actor.can("families.change"),
        "care_form": CareForm(
            initial={"festival": coverage.current_festival(today)}, prefix="care"
        ),
        "contact_form": ContactForm(actor=actor, prefix="contact"),
        "green_form": GreenChannelForm(prefix="green"),
        "doctor_form": DoctorForm(prefix="doctor"),
        "end_form": EndForm(actor=actor, prefix="end"),
    }
    return render(request, "families/family.html", context)


def _post(
    request: HttpRequest,
    family_id: int,
    form_class: Any,
    perm: str,
    save: Any,
    success: str,
    prefix: str,
) -> HttpResponse:
    """One small form of the family page: validate, call the service, say what happened."""
    actor, family = _family(request, family_id, perm)
    extra = {"actor": actor} if issubclass(form_class, FamilyActorForm) else {}
    form = form_class(request.POST, prefix=prefix, **extra)
    if form.is_valid():
        try:
            save(family, form.cleaned_data, actor)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[k].label if k in form.fields else ''}：{e}"
                for k, errs in form.errors.items()
                for e in errs
            ),
        )
    return redirect("families:family", family_id=family.pk)


@permission("families.add", writes=True, methods=("POST",))
def add_care(request: HttpRequest, family_id: int) -> HttpResponse:
    return _post(
        request,
        family_id,
        CareForm,
        "families.add",
        lambda f, d, a: services.record_care(f, d, actor=a),
        "已记录",
        "care",
    )


@permission("families.change", writes=True, methods=("POST",))
def set_contact(request: HttpRequest, family_id: int) -> HttpResponse:
    return _post(
        request,
        family_id,
        ContactForm,
        "families.change",
        lambda f, d, a: services.set_contact(f, d["role"], d["person"], d["since"], actor=a),
        "联系人已更新",
        "contact",
    )


@permission("families.change", writes=True, methods=("POST",))
def set_green(request: HttpRequest, family_id: int) -> HttpResponse:
    return _post(
        request,
        family_id,
        GreenChannelForm,
        "families.change",
        lambda f, d, a: services.set_green_channel(f, d, actor=a),
        "已登记绿色通道",
        "green",
    )


@permission("families.change", writes=True, methods=("POST",))
def set_doctor(request: HttpRequest, family_id: int) -> HttpResponse:
    return _post(
        request,
        family_id,
        DoctorForm,
        "families.change",
        lambda f, d, a: services.set_doctor(f, d, actor=a),
        "已登记家庭医生签约",
        "doctor",
    )


@permission("families.change", writes=True, methods=("POST",))
def end(request: HttpRequest, family_id: int) -> HttpResponse:
    return _post(
        request,
        family_id,
        EndForm,
        "families.change",
        lambda f, d, a: services.end_family(
            f, d["on"], d["reason"], d["action"], actor=a, to_org=d.get("to_org")
        ),
        "已保存变动",
        "end",
    )


@permission("families.add", writes=True)
def batch(request: HttpRequest) -> HttpResponse:
    """A festival visit campaign: the families still owed this festival's visit, ticked at once."""
    actor = actor_for(request, "families.add")
    today = datetime.date.today()
    form = BatchForm(request.POST or None, initial={"festival": coverage.current_festival(today)})
    raw = request.POST.get("festival") or request.GET.get("festival")
    festival_id = ascii_int(raw)
    if not raw:
        festival = coverage.current_festival(today)
    else:  # a festival that is not a number names none
        festival = Festival.objects.filter(pk=festival_id).first() if festival_id else None
    if request.method == "POST" and form.is_valid():
        ids = [i for i in map(ascii_int, request.POST.getlist("families")) if i is not None]
        families = list(SpecialFamily.objects.for_actor(actor).filter(pk__in=ids))
        try:
            rows = services.record_batch(families, form.cleaned_data, actor=actor)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已为 {len(rows)} 户记录{form.cleaned_data['festival']}慰问")
            return redirect(f"{request.path}?festival={form.cleaned_data['festival'].pk}")
    owed = []
    if festival is not None:
        qs = coverage.annotate_gaps(coverage.families_at(actor, today), today, festival)
        owed = list(
            qs.filter(gap_festival=True)
            .select_related("org", *SpecialFamily.NAME_RELATED)
            .order_by("org__path")[:500]
        )
    return render(
        request, "families/batch.html", {"form": form, "festival": festival, "owed": owed}
    )


@permission("families.view")
def coverage_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "families.view")
    if request.GET.get("format") == "xlsx":
        return exports.CoverageReport().response(actor, request.GET.dict())
    form = CoverageForm(request.GET or None, actor=actor)
    report = coverage.report(actor, form.cleaned_data if form.is_valid() else {})
    base = {k: v for k, v in request.GET.items() if k != "org" and v}
    named = {c.org.pk: c.label for c in picker.labels(r["org"] for r in report.rows)}
    for r in report.rows:
        r["link"] = "?" + urlencode({**base, "org": named[r["org"].pk]})
        r["cells"] = [r.get(k, 0) for k, _ in report.keys]
    return render(
        request,
        "families/coverage.html",
        {
            "form": form,
            "rows": report.rows,
            "totals": report.totals,
            "keys": report.keys,
            "org": report.org,
            "end": report.end,
            "total_cells": [report.totals.get(k, 0) for k, _ in report.keys],
            "export_query": urlencode({**request.GET.dict(), "format": "xlsx"}),
            "festival": report.festival,
            "snapshot": report.snapshot,
            "snapshot_wanted": report.snapshot_wanted,
        },
    )


@permission("families.view", writes=True, methods=("POST",))
def coverage_refresh(request: HttpRequest) -> HttpResponse:
    """Compute a province's or city's coverage in the background."""
    actor = actor_for(request, "families.view")
    form = CoverageForm(request.POST, actor=actor)
    if not form.is_valid():
        messages.error(request, "参数有误")
        return redirect("families:coverage")
    data = form.cleaned_data
    org = data.get("org") or actor.org
    end = data.get("end") or coverage.quarter(datetime.date.today())[1]
    festival = data.get("festival")
    job = start_job(
        "families.coverage",
        actor=actor,
        title=f"计算 {org.name} 关怀覆盖情况",
        params={
            "org": org.pk,
            "end": end.isoformat(),
            "festival": festival.pk if festival else None,
        },
    )
    return redirect("core:job", job_id=job.pk)


@permission("families.view")
def worklist(request: HttpRequest) -> HttpResponse:
    """The clerk's families that are due something now."""
    actor = actor_for(request, "families.view")
    if request.method == "POST" and request.POST.get("format") == "xlsx":
        # a POST with its CSRF token: the export is audited, and no link may write that entry
        return exports.Worklist().response(actor, {})
    rows, festival = coverage.worklist(actor, datetime.date.today())
    return render(request, "families/worklist.html", {"rows": rows, "festival": festival})
