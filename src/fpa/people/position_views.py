"""Pages for the positions besides membership, and the officers/staff panel of an org page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core.errors import DomainError
from fpa.core.forms import add_domain_error
from fpa.core.jobs import start_job
from fpa.core.models import JobStatus
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, get_in_reach_or_404
from fpa.orgs.models import Org

from . import positions_services, selectors
from .forms import POSITION_FORMS, PositionFilter
from .models import MemberGroup, Person
from .positions import GroupMember

PAGE_SIZE = 50


@permission("people.change", writes=True)
def add(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    if kind not in positions_services.KINDS:
        raise Http404
    actor = Actor.from_request(request)
    person = get_in_reach_or_404(Person.objects, actor, pk=person_id)
    actor.require("people.change")
    form = POSITION_FORMS[kind](request.POST or None, actor=actor, initial={"org": person.org.code})
    if request.method == "POST" and form.is_valid():
        try:
            positions_services.add_position(kind, person, form.cleaned_data, actor=actor)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记为{positions_services.LABELS[kind]}")
            return redirect("people:person", person_id=person.pk)
    context = {
        "form": form,
        "title": f"{person.name}：登记为{positions_services.LABELS[kind]}",
        "person": person,
    }
    return render(request, "people/person_form.html", context)


@permission("people.view")
def position_list(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in positions_services.KINDS:
        raise Http404
    actor = Actor.from_request(request)
    actor.require("people.view")
    form = PositionFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(selectors.positions(actor, kind, filters), request.GET, PAGE_SIZE)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "form": form,
        "page": page,
        "kind": kind,
        "label": positions_services.LABELS[kind],
        "kinds": positions_services.LABELS,
        "extra": "&" + urlencode(query) if query else "",
        "can_export": actor.can("people.export"),
    }
    return render(request, "people/position_list.html", context)


@permission("people.view")
def org_panel(request: HttpRequest, org_id: int) -> HttpResponse:
    """Officers, the election their terms imply, and the staff count of one org (HTMX part)."""
    actor = Actor.from_request(request)
    org = get_in_reach_or_404(Org.objects, actor, pk=org_id)
    actor.require("people.view")
    context = {
        "org": org,
        "officers": positions_services.officers_of(org),
        "staff": positions_services.staff_counts(org),
        "election": positions_services.election_from_terms(org),
        "groups": MemberGroup.objects.for_actor(actor)
        .filter(org=org)
        .annotate(n=Count("members", filter=Q(members__status="active"))),
        "group_members": GroupMember.objects.for_actor(actor).filter(org=org),
        "can_add": actor.can("people.add"),
    }
    return render(request, "people/_org_panel.html", context)


@permission("people.view")
def duplicates(request: HttpRequest) -> HttpResponse:
    """The likely duplicates in reach: found on the spot for a county or below, by a background
    search (started here, shown here when done) for a city or the province."""
    from . import duplicates as found

    actor = Actor.from_request(request)
    actor.require("people.view")
    context: dict[str, object] = {"can_change": actor.can("people.change")}
    if not found.in_background(actor):
        context["groups"] = found.likely_duplicates(actor)
        return render(request, "people/duplicates.html", context)
    if request.method == "POST":
        job = start_job("people.duplicates", actor=actor, title="查找疑似重复人员", params={})
        return redirect("core:job", job_id=job.pk)
    search = found.last_search(actor)
    done = search is not None and search.status == JobStatus.DONE
    context.update(
        search=search,
        groups=found.with_persons(search.result.get("groups", []), actor)
        if done and search is not None
        else None,
    )
    return render(request, "people/duplicates.html", context)


@permission("people.change", writes=True)
def merge(request: HttpRequest) -> HttpResponse:
    """Confirm, then fold one record into another (POST with confirm=yes)."""
    from .duplicates import merge_persons

    actor = Actor.from_request(request)
    data = request.POST if request.method == "POST" else request.GET
    try:
        keep = get_in_reach_or_404(Person.objects, actor, pk=int(data.get("keep", "")))
        drop = get_in_reach_or_404(Person.objects, actor, pk=int(data.get("drop", "")))
    except ValueError as exc:
        raise Http404 from exc
    actor.require("people.change")
    if request.method == "POST" and data.get("confirm") == "yes":
        try:
            merge_persons(keep, drop, actor=actor)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已将记录 {drop.pk} 合并到 {keep.name}（{keep.pk}）")
            return redirect("people:person", person_id=keep.pk)
    return render(request, "people/merge.html", {"keep": keep, "drop": drop})
