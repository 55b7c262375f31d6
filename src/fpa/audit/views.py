from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor
from fpa.orgs.models import Org

from . import labels, selectors
from .forms import LogFilterForm

PAGE_SIZE = 50


@permission("audit.view")
def log(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    actor.require("audit.view")
    form = LogFilterForm(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(selectors.entries(actor, filters), request.GET, PAGE_SIZE)
    for entry in page.object_list:
        entry.action_label = labels.action_label(entry.action)
        entry.change_rows = labels.changes(entry.object_type, entry.changes)
    query = {k: v for k, v in request.GET.items() if k not in ("page", "csrfmiddlewaretoken") and v}
    context = {
        "form": form,
        "page": page,
        "extra": "&" + urlencode(query) if query else "",
        "query": urlencode(query),
        "can_export": actor.can("audit.export"),
    }
    return render(request, "audit/log.html", context)


@permission("audit.export", writes=True, methods=("POST",))
def export(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    actor.require("audit.export")
    form = LogFilterForm(request.POST, actor=actor)
    params = {}
    if form.is_valid():
        params = {k: _param(v) for k, v in form.cleaned_data.items() if v}
    job = start_job("audit.export", actor=actor, title="导出审计日志", params=params)
    return redirect("core:job", job_id=job.pk)


def _param(value: Any) -> Any:
    """A filter as a job's parameters keep it (JSON): a date as ISO text, an org by its id."""
    if isinstance(value, Org):
        return value.pk
    return value.isoformat() if hasattr(value, "isoformat") else value
