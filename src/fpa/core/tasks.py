from __future__ import annotations

from django_tasks import task

from .models import Job


@task()
def run_job(job_id: str) -> None:
    from . import jobs

    jobs.execute(Job.unscoped_objects.select_related("user__org").get(pk=job_id))
