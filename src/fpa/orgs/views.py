"""Pages of the association tree: views parse input, call one service, render."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fpa.core import menu, todos
from fpa.core.errors import DomainError
from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.core.requests import AuthedRequest
from fpa.kernel.scope import Actor, actor_for, get_in_reach_or_404, in_reach, in_reach_or_404

from . import services, stats, tree
from .forms import ChildForm, MergeForm, ProfileForm, SiteForm, YearForm
from .models import Org, OrgYear, ServiceSite

PAGE_SIZE = 50


def _org(request: HttpRequest, org_id: int, perm: str = "orgs.view") -> tuple[Actor, Org]:
    return in_reach_or_404(request, Org.objects, perm, pk=org_id)


@permission(None, reason="首页：按角色转到其职责的页面，无业务角色为 403 页")
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    if not actor.can("orgs.view"):
        # Auditors, account administrators and a roster officer start on the page of their
        # duty: the first the menu offers them.
        offered = menu.place(actor.perms, "").groups
        if offered:
            return redirect(offered[0][1][0].href)
        return render(request, "orgs/no_role.html", status=403)
    year = timezone.localdate().year
    context = {
        "org": actor.org,
        "year": year,
        "todos": todos.waiting(actor),
        "headlines": stats.headlines(actor.org, year),
        **stats.dashboard(actor.org),
    }
    return render(request, "orgs/dashboard.html", context)


@permission("orgs.view")
def tree_page(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/tree.html", {"root": actor_for(request, "orgs.view").org})


@permission("orgs.view")
def children(request: HttpRequest, org_id: int) -> HttpResponse:
    """The children of one tree node, loaded lazily when the node is opened."""
    _, org = _org(request, org_id)
    kids = list(org.children.order_by("path"))
    tree.mark_parents(kids)
    return render(request, "orgs/_children.html", {"kids": kids})


@permission("orgs.view")
def search(request: AuthedRequest) -> HttpResponse:
    actor = actor_for(request, "orgs.view")
    q = request.GET.get("q", "").strip()
    page = None
    if q:
        match = Q(name__contains=q) | Q(initials__startswith=q.lower())
        if q.isascii() and q.isdigit():  # a code's start ("²".isdigit() is true)
            match = Q(code__startswith=q)
        results = Org.objects.for_actor(actor).filter(match).order_by("depth", "path")
        page = page_of(results, request.GET, PAGE_SIZE, total=results.count())
        tree.attach_trails(list(page.object_list))
    template = "orgs/_search_results.html" if request.htmx else "orgs/search.html"
    extra = "&" + urlencode({"q": q})
    return render(request, template, {"q": q, "page": page, "extra": extra})


@permission("orgs.view")
def detail(request: HttpRequest, org_id: int) -> HttpResponse:
    actor, org = _org(request, org_id)
    counts = stats.child_counts(org)
    page = page_of(org.children.order_by("path"), request.GET, PAGE_SIZE, org.children.count())
    for kid in page.object_list:
        kid.counts = counts[kid.pk]
    year = timezone.localdate().year
    trail = org.ancestors()
    for above in trail:
        # Names above the user's own org are shown, but not offered as links that would 404.
        above.in_reach = in_reach(above, actor)
    context: dict[str, Any] = {
        "org": org,
        "trail": trail,
        "page": page,
        "sites": ServiceSite.objects.for_actor(actor).filter(org=org),
        "years": OrgYear.objects.for_actor(actor).filter(org=org).order_by("-year")[:5],
        "year": year,
        "successor": org.successor,
    }
    return render(request, "orgs/detail.html", context)


def _form_page(
    request: HttpRequest,
    form: Any,
    org: Org,
    title: str,
    save: Any,
    success: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, success)
            return redirect("orgs:detail", org_id=org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": title})


@permission("orgs.change", writes=True)
def edit_profile(request: HttpRequest, org_id: int) -> HttpResponse:
    actor, org = _org(request, org_id, "orgs.change")
    # The form validates a copy; only the service changes the org itself.
    form = ProfileForm(request.POST or None, instance=copy.copy(org))
    if org.is_territorial:
        del form.fields["name"]  # it follows the division code table
    return _form_page(
        request,
        form,
        org,
        "编辑概况",
        lambda data: services.update_profile(org, data, actor=actor),
        "概况已保存",
    )


@permission("orgs.change", writes=True)
def edit_year(request: HttpRequest, org_id: int, year: int) -> HttpResponse:
    actor, org = _org(request, org_id, "orgs.change")
    facts = OrgYear.objects.for_actor(actor).filter(org=org, year=year).first()
    form = YearForm(request.POST or None, instance=facts or OrgYear(org=org, year=year))
    return _form_page(
        request,
        form,
        org,
        f"{year} 年度概况",
        lambda data: services.save_year(org, year, data, actor=actor),
        f"{year} 年度概况已保存",
    )


@permission("orgs.change", writes=True)
def edit_site(request: HttpRequest, org_id: int, site_id: int | None = None) -> HttpResponse:
    actor, org = _org(request, org_id, "orgs.change")
    site = None
    if site_id is not None:
        site = get_in_reach_or_404(ServiceSite.objects, actor, pk=site_id, org=org)
    form = SiteForm(request.POST or None, instance=site)
    return _form_page(
        request,
        form,
        org,
        "编辑阵地" if site else "新增阵地",
        lambda data: services.save_site(org, data, actor=actor, site=site),
        "阵地已保存",
    )


@permission("orgs.add", writes=True)
def add_child(request: HttpRequest, org_id: int) -> HttpResponse:
    actor, org = _org(request, org_id, "orgs.add")
    form = ChildForm(request.POST or None)
    return _form_page(
        request,
        form,
        org,
        "添加非区划计生协",
        lambda data: services.add_child(org, data, actor=actor),
        "已添加下级计生协",
    )


@permission("orgs.change", writes=True)
def merge(request: HttpRequest, org_id: int) -> HttpResponse:
    """Name the successor of an abolished org; a confirmation step shows what will move."""
    actor, org = _org(request, org_id, "orgs.change")
    form = MergeForm(request.POST or None, actor=actor)
    successor = None
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["successor_code"]
        if request.POST.get("confirm") == "yes":
            try:
                moved = services.merge_org(org, successor, actor=actor)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    f"{org.name} 已并入 {successor.name}：迁移下级 {moved['children']} 个、"
                    f"阵地 {moved['sites']} 个、账号 {moved['users']} 个",
                )
                return redirect("orgs:detail", org_id=successor.pk)
    return render(request, "orgs/merge.html", {"form": form, "org": org, "successor": successor})


@permission("orgs.export", writes=True, methods=("POST",))
def export(request: HttpRequest, org_id: int) -> HttpResponse:
    actor, org = _org(request, org_id, "orgs.export")
    fmt = "csv" if request.POST.get("format") == "csv" else "xlsx"
    job = start_job(
        "orgs.export",
        actor=actor,
        title=f"导出 {org.name} 下级单位",
        params={"org_id": org.pk, "format": fmt},
    )
    return redirect("core:job", job_id=job.pk)
