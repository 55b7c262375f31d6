from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor

from . import selectors
from .forms import LogFilterForm

PAGE_SIZE = 50


@permission("audit.view")
def log(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    actor.require("audit.view")
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(selectors.entries(actor, filters), request.GET.get("page"), PAGE_SIZE)
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
    form = LogFilterForm(request.POST)
    params = {}
    if form.is_valid():
        params = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in form.cleaned_data.items()
            if v
        }
    job = start_job("audit.export", actor=actor, title="导出审计日志", params=params)
    return redirect("core:job", job_id=job.pk)
