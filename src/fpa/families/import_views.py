"""Family-register import pages: the same upload, preview and commit flow as the people import."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fpa.core.imports import template
from fpa.core.jobs import start_job
from fpa.core.models import Job, JobStatus
from fpa.core.scope import Actor, get_for_actor_or_404
from fpa.people.import_views import UploadForm
from fpa.people.imports import upload_dir

from .imports import FamilySchema


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.from_request(request)
    actor.require("families.add")
    return actor


def upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        path = upload_dir() / f"{uuid.uuid4().hex}{Path(f.name).suffix.lower()}"
        with open(path, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        job = start_job(
            "families.import.preview",
            actor=actor,
            title=f"检查 {f.name}",
            params={"path": str(path), "name": f.name},
        )
        return redirect("core:job", job_id=job.pk)
    return render(request, "families/import_upload.html", {"form": form})


def download_template(request: HttpRequest) -> FileResponse:
    _actor(request)
    path = upload_dir() / "特殊家庭导入模板.xlsx"
    template(FamilySchema(), path)
    return FileResponse(open(path, "rb"), as_attachment=True, filename="特殊家庭导入模板.xlsx")


def _job(request: HttpRequest, job_id: str) -> tuple[Actor, Job]:
    actor = _actor(request)
    job = get_for_actor_or_404(Job.objects, actor, pk=job_id)
    if job.kind != "families.import.preview" or job.status != JobStatus.DONE:
        raise Http404
    return actor, job


def result(request: HttpRequest, job_id: str) -> HttpResponse:
    _, job = _job(request, job_id)
    return render(request, "families/import_result.html", {"job": job})


@require_POST
def commit(request: HttpRequest, job_id: str) -> HttpResponse:
    actor, job = _job(request, job_id)
    if not job.result.get("counts"):
        raise Http404
    done = start_job(
        "families.import.commit", actor=actor, title=f"导入 {job.params['name']}", params=job.params
    )
    return redirect("core:job", job_id=done.pk)
