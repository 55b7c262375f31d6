"""Family-register import pages: the shared upload, preview and commit flow."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core.imports import web
from fpa.core.jobs import start_job
from fpa.core.permissions import permission

from .imports import FamilySchema

PERM = "families.add"
KIND = "families.import.preview"


@permission("families.add", writes=True)
def upload(request: HttpRequest) -> HttpResponse:
    return web.upload_page(
        request, perm=PERM, job_kind=KIND, template_name="families/import_upload.html"
    )


@permission("families.add")
def download_template(request: HttpRequest) -> FileResponse:
    return web.template_download(
        request, perm=PERM, schema=FamilySchema(), filename="特殊家庭导入模板.xlsx"
    )


@permission("families.add")
def result(request: HttpRequest, job_id: str) -> HttpResponse:
    _, job = web.preview_job(request, job_id, perm=PERM, job_kind=KIND)
    return render(request, "families/import_result.html", {"job": job})


@permission("families.add", writes=True, methods=("POST",))
def commit(request: HttpRequest, job_id: str) -> HttpResponse:
    actor, job = web.preview_job(request, job_id, perm=PERM, job_kind=KIND)
    if not job.result.get("counts"):
        raise Http404
    done = start_job(
        "families.import.commit", actor=actor, title=f"导入 {job.params['name']}", params=job.params
    )
    return redirect("core:job", job_id=done.pk)
