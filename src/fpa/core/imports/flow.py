"""One import flow for every importer: an `ImportFlow` declares what differs between them (schema,
context, commit service, permission, title, where the clerk goes after), and the four pages —
upload, template, preview, commit — and the two job runners are made from it, the same for people,
families, applications, bank returns and every importer to come.

    FLOW = ImportFlow(
        job="families.import", url_name="families:import", route="import/",
        perm="families.add", title="特殊家庭",
        schema=lambda owner: FamilySchema(), context=lambda actor, owner: FamilyContext(actor),
        commit=write_families, done="导入完成：新增 {created} 户",
        after="families:list", after_label="查看特殊家庭",
    )
    urlpatterns = [..., *FLOW.urls()]

See docs/imports.md, "Adding an importer".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path, reverse

from fpa.core.errors import DomainError
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel.scope import Actor, get_in_reach_or_404

from . import pages, web
from .engine import accepted
from .results import RowResult
from .schema import Existing, RowSchema

#: every declared flow by its job prefix: the pages, the runners and the test that walks every
#: importer (tests/core/imports/test_flows.py) read them from here
FLOWS: dict[str, ImportFlow] = {}


@dataclass(frozen=True)
class Mode:
    """A way to commit: "skip" leaves the records already stored as they are, "update" rewrites
    them from the file. Where a flow offers more than one, the clerk chooses on the preview page:
    `choice` labels the option and `when` leads that mode's sentence of the summary."""

    existing: Existing
    choice: str = ""
    when: str = ""


@dataclass(frozen=True)
class Owner:
    """The record a file is imported into, named by the URL (the program applications are filed
    under, the batch a bank return settles): `kwarg` in the URL, `param` on the jobs. It is found
    through the model's scoped manager, so one outside the actor's reach is not found (404)."""

    model: Any
    kwarg: str
    param: str


@dataclass(frozen=True)
class Commit:
    """What a flow's commit service gets: the rows the chosen mode writes, from the file checked
    again, the actor, the owner (None without one), the file's name as uploaded and where it is
    kept."""

    rows: list[RowResult]
    actor: Actor
    owner: Any
    name: str
    path: Path


@dataclass(frozen=True)
class ImportFlow:
    """An importer's declaration; making one registers its job runners and its place in `FLOWS`.

    `job` names the jobs (`<job>.preview`, `<job>.commit`; the part before the first dot is the
    module whose export permission reads the error report); `url_name` the pages (`<name>`,
    `<name>_template`, `<name>_result`, `<name>_commit`, under `route` in the app's urls);
    `perm` is the one permission of all four pages and both jobs. `schema(owner)` and
    `context(actor, owner)` build what the engine checks with, `commit` is the app's service
    (one transaction, one audit entry; a `DomainError` it raises becomes the job's message) and
    returns counts that fill `done`. `after` (a URL name, given the owner's kwarg) is where the
    clerk goes from the finished commit and from the pages.
    """

    job: str
    url_name: str
    route: str
    perm: str
    title: str
    schema: Callable[[Any], RowSchema]
    context: Callable[[Actor, Any], Any]
    commit: Callable[[Commit], dict[str, int]]
    done: str
    after: str
    after_label: str
    modes: tuple[Mode, ...] = (Mode("skip"),)
    owner: Owner | None = None
    #: where the template is downloaded, when not `<route>template/`; a route without the
    #: owner's kwarg serves one template for every owner (the bank return's)
    template_route: str = ""
    #: what the upload page says about the table, one line each
    hints: tuple[str, ...] = ()
    #: an app's page may extend the core one's blocks (`links`)
    upload_template: str = "core/import_upload.html"
    result_template: str = "core/import_result.html"

    def __post_init__(self) -> None:
        if self.job in FLOWS:
            raise ImproperlyConfigured(f"two import flows name the job {self.job}")
        FLOWS[self.job] = self
        runner(self.preview_kind)(self.run_preview)
        runner(self.commit_kind)(self.run_commit)

    @property
    def preview_kind(self) -> str:
        return f"{self.job}.preview"

    @property
    def commit_kind(self) -> str:
        return f"{self.job}.commit"

    @property
    def template_path(self) -> str:
        return self.template_route or f"{self.route}template/"

    @property
    def template_per_owner(self) -> bool:
        return self.owner is not None and f":{self.owner.kwarg}>" in self.template_path

    def urls(self) -> list[URLPattern]:
        """The four pages, for the app's urlpatterns."""
        name = self.url_name.split(":")[-1]
        return [
            path(self.route, pages.upload(self), name=name),
            path(self.template_path, pages.template(self), name=f"{name}_template"),
            path(f"{self.route}<uuid:job_id>/", pages.result(self), name=f"{name}_result"),
            path(f"{self.route}<uuid:job_id>/commit/", pages.commit(self), name=f"{name}_commit"),
        ]

    def url(self, step: str, owner: Any, **more: Any) -> str:
        """The address of a page: step "" (upload), "template", "result" or "commit"."""
        kwargs = dict(more)
        if owner is not None and (step != "template" or self.template_per_owner):
            kwargs.update(self.owner_kwargs(owner))
        return reverse(self.url_name + (f"_{step}" if step else ""), kwargs=kwargs)

    def after_url(self, owner: Any) -> str:
        return reverse(self.after, kwargs=self.owner_kwargs(owner))

    def owner_kwargs(self, owner: Any) -> dict[str, Any]:
        return {self.owner.kwarg: owner.pk} if self.owner and owner is not None else {}

    def owner_in(self, actor: Actor, kwargs: dict[str, Any]) -> Any:
        """The owner the URL names, in the actor's reach (else 404); None without one."""
        if self.owner is None or self.owner.kwarg not in kwargs:
            return None
        return get_in_reach_or_404(self.owner.model.objects, actor, pk=kwargs[self.owner.kwarg])

    def owner_of(self, job: Job, actor: Actor) -> Any:
        """The owner a job was started for, looked up again within the actor's reach."""
        if self.owner is None:
            return None
        return self.owner.model.objects.for_actor(actor).get(pk=job.params[self.owner.param])

    def writes(self, result: dict[str, Any], mode: str) -> int:
        """How many rows a commit in `mode` writes, by the counts a preview kept on its job."""
        counts: dict[str, int] = result.get("counts") or {}
        return counts.get("new", 0) + (counts.get("update", 0) if mode == "update" else 0)

    def run_preview(self, job: Job, actor: Actor, progress: Progress) -> None:
        """Check every row of the stored file and keep on the job what the preview page shows;
        no business row is written."""
        actor.require(self.perm)
        owner = self.owner_of(job, actor)
        web.run_preview(
            job,
            progress,
            self.schema(owner),
            self.context(actor, owner),
            self.url("result", owner, job_id=job.pk),
            modes=tuple(mode.existing for mode in self.modes),
        )

    def run_commit(self, job: Job, actor: Actor, progress: Progress) -> None:
        """Check the file again (nothing may have changed since the preview) and hand the rows
        the chosen mode writes to the app's service, which writes them all or none."""
        actor.require(self.perm)
        owner = self.owner_of(job, actor)
        checked = web.recheck(job, self.schema(owner), self.context(actor, owner))
        job.result = {"next_url": self.after_url(owner), "next_label": self.after_label}
        rows = accepted(checked, job.params["mode"])
        progress.start(len(rows), "正在写入（全部成功或全部不写入）")
        try:
            counts = self.commit(
                Commit(rows, actor, owner, job.params["name"], Path(job.params["path"]))
            )
        except DomainError as exc:
            job.message = exc.message
            return
        job.result.update(counts)
        job.message = self.done.format(**counts)
        progress.advance(len(rows))  # written in one transaction: all of them, now
