from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from fpa.kernel.scope import Actor, get_in_reach_or_404

from .jobs import download_permission
from .models import Job
from .paging import page_of
from .permissions import permission
from .requests import AuthedRequest


@permission(None, public=True, reason="负载均衡的健康检查，不登录")
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Answers 200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@permission(None, reason="本人启动的任务（他人的任务为 404）")
def job_detail(request: AuthedRequest, job_id: str) -> HttpResponse:
    job = get_in_reach_or_404(Job.objects, Actor.from_request(request), pk=job_id)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@permission(None, reason="本人启动的任务（只列本人的）")
def job_list(request: AuthedRequest) -> HttpResponse:
    """The user's own jobs, newest first: imports, exports and reports started by them."""
    jobs = Job.objects.for_actor(Actor.from_request(request)).order_by("-created_at")
    return render(request, "core/job_list.html", {"page": page_of(jobs, request.GET, 20)})


@permission(None, reason="本人任务的文件；另按任务种类要求导出权限")
def job_download(request: HttpRequest, job_id: str) -> FileResponse:
    """A job's file, to the user who started the job (another's is 404) while they still hold
    their module's export permission."""
    actor = Actor.from_request(request)
    job = get_in_reach_or_404(Job.objects, actor, pk=job_id)
    actor.require(download_permission(job.kind))
    path = Path(settings.MEDIA_ROOT) / job.result_file
    if not job.result_file or not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=job.result_name)
