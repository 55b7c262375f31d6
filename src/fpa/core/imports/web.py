"""The steps under the import pages (`flow.py`): the upload form, where files are kept, the
checked preview kept on the job, and the check again at commit."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from fpa.core import uploads
from fpa.core.exports import export_path
from fpa.core.forms import StyledForm
from fpa.core.jobs import Progress
from fpa.core.models import Job

from .engine import preview
from .errors import FileUnreadable
from .report import error_report
from .results import Preview
from .schema import Existing, RowSchema

SHOWN_ERRORS = 500


class UploadForm(StyledForm, forms.Form):
    # Empty files reach clean_file, whose message says more than Django's "文件为空".
    file = forms.FileField(
        label="Excel 或 CSV 文件",
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f".xlsx 最大 {uploads.size_text(uploads.max_bytes(uploads.XLSX))}，"
            f".csv 最大 {uploads.size_text(uploads.max_bytes(uploads.CSV))}"
        )

    def clean_file(self) -> object:
        """The file's bytes must be the type its name says, within its size (fpa.core.uploads);
        a workbook's declared unzipped size is checked here, its real one when it is read."""
        upload = self.cleaned_data["file"]
        try:
            uploads.check(upload, uploads.IMPORT)
        except uploads.UploadRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload: UploadedFile) -> Path:
    """Keep an uploaded file under a name of its own (the clerk's name goes on the job) for the
    preview job, and for the commit job that checks it again."""
    path = upload_dir() / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def run_preview(
    job: Job,
    progress: Progress,
    schema: RowSchema,
    context: Any,
    next_url: str,
    *,
    modes: tuple[Existing, ...] = ("skip",),
) -> Preview | None:
    """Check the stored file and keep on the job what the preview page shows.

    `modes` are the ways the page lets the clerk commit (skip or update existing records);
    `result["summary"][mode]` says, in words, what each would write (`Preview.summary`)."""

    def on_progress(done: int, total: int) -> None:
        # The engine counts each row twice (checked, then compared with the records): the
        # counter shows rows, one step after the other, never twice the file's rows.
        rows = total // 2
        if done <= rows:
            if progress.job.total != rows:
                progress.start(rows, "第 1 步：逐行检查")
            progress.advance(done)
        else:
            if not progress.job.message.startswith("第 2 步"):
                progress.start(rows, "第 2 步：与已有记录比对")
            progress.advance(done - rows)

    try:
        result = preview(
            Path(job.params["path"]),
            schema,
            context,
            filename=job.params["name"],
            progress=on_progress,
        )
    except FileUnreadable as exc:
        job.result, job.message = {"unreadable": exc.message}, exc.message
        return None
    if result.rejected:
        name = f"{job.pk}-errors.xlsx"
        error_report(result, export_path(name))
        job.result_file, job.result_name = f"exports/{name}", "导入错误报告.xlsx"
    job.result = {
        "counts": result.counts,
        "notices": result.notices,
        "errors": [vars(e) for e in result.errors[:SHOWN_ERRORS]],
        "more_errors": max(0, len(result.errors) - SHOWN_ERRORS),
        "summary": {mode: result.summary(mode) for mode in modes},
        "next_url": next_url,
        "next_label": "查看检查结果",
    }
    job.message = f"检查完成：{result.summary(modes[0])}"
    return result


def recheck(job: Job, schema: RowSchema, context: Any) -> Preview:
    """At commit the file is checked again: nothing may have changed since the preview."""
    return preview(Path(job.params["path"]), schema, context, filename=job.params["name"])
