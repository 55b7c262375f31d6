"""Import pages: upload, the checked preview, commit; and the template download."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fpa.core.forms import StyledForm
from fpa.core.imports import template
from fpa.core.jobs import start_job
from fpa.core.models import Job, JobStatus
from fpa.core.scope import Actor, get_for_actor_or_404

from .imports import PersonSchema, upload_dir

MAX_BYTES = 50 * 1024 * 1024
MODES = [("skip", "已登记的人员：跳过，不修改"), ("update", "已登记的人员：用表中内容更新")]


class UploadForm(StyledForm, forms.Form):
    file = forms.FileField(label="Excel 或 CSV 文件", help_text=".xlsx 或 .csv，最大 50 MB")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
            raise forms.ValidationError("只能导入 .xlsx 或 .csv 文件（.xls 请先另存为 .xlsx）")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("文件超过 50 MB，请分成几个文件导入")
        return upload


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.from_request(request)
    actor.require("people.add")
    return actor


def upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        path = upload_dir() / f"{uuid.uuid4().hex}{Path(upload_file.name).suffix.lower()}"
        with open(path, "wb") as out:
            for chunk in upload_file.chunks():
                out.write(chunk)
        job = start_job(
            "people.import.preview",
            actor=actor,
            title=f"检查 {upload_file.name}",
            params={"path": str(path), "name": upload_file.name},
        )
        return redirect("core:job", job_id=job.pk)
    return render(request, "people/import_upload.html", {"form": form})


def download_template(request: HttpRequest) -> FileResponse:
    _actor(request)
    path = upload_dir() / "人员导入模板.xlsx"
    template(PersonSchema(), path)
    return FileResponse(open(path, "rb"), as_attachment=True, filename="人员导入模板.xlsx")


def _preview_job(request: HttpRequest, job_id: str) -> tuple[Actor, Job]:
    actor = _actor(request)
    job = get_for_actor_or_404(Job.objects, actor, pk=job_id)
    if job.kind != "people.import.preview" or job.status != JobStatus.DONE:
        raise Http404
    return actor, job


def result(request: HttpRequest, job_id: str) -> HttpResponse:
    _, job = _preview_job(request, job_id)
    return render(request, "people/import_result.html", {"job": job, "modes": MODES})


@require_POST
def commit(request: HttpRequest, job_id: str) -> HttpResponse:
    actor, job = _preview_job(request, job_id)
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
