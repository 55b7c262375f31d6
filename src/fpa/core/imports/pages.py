"""The four import pages, made from an `ImportFlow` (flow.py): upload, template, preview, commit.

Each is declared with the flow's permission (the access matrix reads it); an owner the URL names
outside the actor's reach, or a job that is not the user's finished preview of this flow for
this owner, is not found (404).
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from fpa.core.jobs import start_job
from fpa.core.models import Job, JobStatus
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, get_in_reach_or_404

from . import web
from .template import template as write_template

if TYPE_CHECKING:
    from .flow import ImportFlow

View = Callable[..., HttpResponse]


def upload(flow: ImportFlow) -> View:
    @permission(flow.perm, writes=True)
    def upload_page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The upload form; a valid file is kept and its preview job started."""
        actor = Actor.from_request(request)
        owner = flow.owner_in(actor, kwargs)
        form = web.UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            params = {"path": str(web.store(file)), "name": file.name}
            if flow.owner is not None:
                params[flow.owner.param] = owner.pk
            job = start_job(
                flow.preview_kind, actor=actor, title=f"检查 {file.name}", params=params
            )
            return redirect("core:job", job_id=job.pk)
        context = {
            "flow": flow,
            "owner": owner,
            "form": form,
            "template_url": flow.url("template", owner),
            "after_url": flow.after_url(owner),
        }
        return render(request, flow.upload_template, context)

    return upload_page


def template(flow: ImportFlow) -> View:
    @permission(flow.perm)
    def template_download(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        """The .xlsx template of the flow's schema (for the owner, where the schema depends on
        it); written aside and sent from memory, so downloads never share a file."""
        owner = flow.owner_in(Actor.from_request(request), kwargs)
        with TemporaryDirectory() as folder:
            data = write_template(flow.schema(owner), Path(folder) / "t.xlsx").read_bytes()
        name = f"{owner if owner is not None else ''}{flow.title}导入模板.xlsx"
        return FileResponse(BytesIO(data), as_attachment=True, filename=name)

    return template_download


def _preview_job(
    flow: ImportFlow, request: HttpRequest, job_id: str, kwargs: dict[str, Any]
) -> tuple[Actor, Any, Job]:
    """The owner the URL names and the user's finished preview job of this flow started for it
    (a job of another flow, or for another program or batch, is not found)."""
    actor = Actor.from_request(request)
    owner = flow.owner_in(actor, kwargs)
    job = get_in_reach_or_404(Job.objects, actor, pk=job_id)
    if job.kind != flow.preview_kind or job.status != JobStatus.DONE:
        raise Http404
    if flow.owner is not None and job.params.get(flow.owner.param) != owner.pk:
        raise Http404
    return actor, owner, job


def summary(flow: ImportFlow, job: Job) -> list[str]:
    """What a commit would write, in words: one sentence, or one per mode where they differ."""
    said = job.result.get("summary") or {}
    lines = [(mode.when, said[mode.existing]) for mode in flow.modes if mode.existing in said]
    if len({sentence for _, sentence in lines}) <= 1:
        return [sentence for _, sentence in lines[:1]]
    return [f"{when}：{sentence}" for when, sentence in lines]


def result(flow: ImportFlow) -> View:
    @permission(flow.perm)
    def preview_page(request: HttpRequest, job_id: str, **kwargs: Any) -> HttpResponse:
        """The checked file: what a commit writes, the counts, notices and every row error."""
        _, owner, job = _preview_job(flow, request, job_id, kwargs)
        modes = [(mode, flow.writes(job.result, mode.existing)) for mode in flow.modes]
        context = {
            "flow": flow,
            "owner": owner,
            "job": job,
            "summary": summary(flow, job),
            # a mode that would write nothing is shown but not offered; the first that writes
            # is chosen
            "modes": modes,
            "chosen": next((mode.existing for mode, count in modes if count), None),
            "upload_url": flow.url("", owner),
            "commit_url": flow.url("commit", owner, job_id=job.pk),
            "after_url": flow.after_url(owner),
        }
        return render(request, flow.result_template, context)

    return preview_page


def commit(flow: ImportFlow) -> View:
    @permission(flow.perm, writes=True, methods=("POST",))
    def commit_page(request: HttpRequest, job_id: str, **kwargs: Any) -> HttpResponse:
        """Start the commit job of a checked file in the chosen mode; a mode the flow does not
        offer, or one that would write nothing, is not a commit there is (404)."""
        actor, _, job = _preview_job(flow, request, job_id, kwargs)
        chosen = request.POST.get("mode") if len(flow.modes) > 1 else flow.modes[0].existing
        if chosen not in {mode.existing for mode in flow.modes}:
            raise Http404
        if not flow.writes(job.result, chosen):
            raise Http404
        done = start_job(
            flow.commit_kind,
            actor=actor,
            title=f"导入{flow.title} {job.params['name']}",
            params={**job.params, "mode": chosen},
        )
        return redirect("core:job", job_id=done.pk)

    return commit_page
