"""People import pages: the shared upload, preview and commit flow with the people schema."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core.imports import web
from fpa.core.jobs import start_job
from fpa.core.permissions import permission

from .imports import PersonSchema

PERM = "people.add"
KIND = "people.import.preview"
MODES = [("skip", "已登记的人员：跳过，不修改"), ("update", "已登记的人员：用表中内容更新")]


@permission("people.add", writes=True)
def upload(request: HttpRequest) -> HttpResponse:
    return web.upload_page(
        request, perm=PERM, job_kind=KIND, template_name="people/import_upload.html"
    )


@permission("people.add")
def download_template(request: HttpRequest) -> FileResponse:
    return web.template_download(
        request, perm=PERM, schema=PersonSchema(), filename="人员导入模板.xlsx"
    )


@permission("people.add")
def result(request: HttpRequest, job_id: str) -> HttpResponse:
    _, job = web.preview_job(request, job_id, perm=PERM, job_kind=KIND)
    return render(request, "people/import_result.html", {"job": job, "modes": MODES})


@permission("people.add", writes=True, methods=("POST",))
def commit(request: HttpRequest, job_id: str) -> HttpResponse:
    actor, job = web.preview_job(request, job_id, perm=PERM, job_kind=KIND)
    mode = request.POST.get("mode")
    if mode not in dict(MODES) or not job.result.get("counts"):
        raise Http404
    done = start_job(
        "people.import.commit",
        actor=actor,
        title=f"导入 {job.params['name']}",
        params={**job.params, "mode": mode},
    )
    return redirect("core:job", job_id=done.pk)
