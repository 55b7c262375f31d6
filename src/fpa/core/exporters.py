"""One export contract: an export is declared once and served as a job, a page download and an
API response alike (pretix's list exporter is the idea: a header, a total, then rows).

An app declares each of its exports as a subclass of `Exporter`, registered with `@exporter`:

    @exporter
    class PersonList(Exporter):
        key = "people.export.persons"         # the job kind
        permission = "people.export"          # what running it and reading its file need
        audit_action = "fpa.people.exported"  # the entry every run writes (count included)

        def table(self, actor, params):       # title, header, rows, total, what is recorded
            ...

From that one declaration the exporter gets:
- a job runner (`start_job(key, ...)`): the rows streamed to .xlsx, or CSV when
  `params["format"] == "csv"`, the progress bar moved as they are written, the audit entry,
  and the job's file readable with `permission` (`fpa.core.jobs.download_permission`);
- `response(actor, params, fmt)`: the same file at once, for a page's small table or an API
  view.
Every cell goes through the one cell rule (`fpa.core.exports`), and the permission is checked
before a row is read, whoever serves the export.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from fpa.kernel.scope import Actor

from .exports import XLSX, export_path, plain_name, whole_scan, write_table
from .jobs import Progress, runner
from .models import Job

CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


@dataclass
class Table:
    """One run of an export: the sheet's title, the header, the rows (read once, streamed),
    how many they are (the progress bar's end and the audit entry's count), the file's name
    without its extension (the title when empty) and what the audit entry records besides
    the count (the filters, the kind of list)."""

    title: str
    header: list[str]
    rows: Iterable[list[Any]]
    total: int
    filename: str = ""
    recorded: dict[str, Any] = field(default_factory=dict)

    def name(self, fmt: str) -> str:
        return f"{plain_name(self.filename or self.title)}.{fmt}"


#: how an export's audit entry is written: (actor, action, what it records); the audit app hands
#: it in when it is ready, as core imports no app
Recorder = Callable[[Actor, str, dict[str, Any]], Any]
_recorder: list[Recorder] = []


def set_recorder(recorder: Recorder) -> None:
    _recorder[:] = [recorder]


def file_format(params: dict[str, Any]) -> str:
    return "csv" if params.get("format") == "csv" else "xlsx"


class Exporter:
    """An export's declaration (see the module's docstring); a subclass fills in `table`."""

    #: the job kind, "<module>.export[.<list>]"
    key: ClassVar[str]
    #: what running the export and reading its file need, "<module>.export" as a rule
    permission: ClassVar[str]
    #: the action of the audit entry each run writes; None only with `unaudited` saying why
    audit_action: ClassVar[str | None] = None
    unaudited: ClassVar[str] = ""
    #: what the progress message counts ("正在导出 120 户")
    unit: ClassVar[str] = "条"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        raise NotImplementedError

    def checked_table(self, actor: Actor, params: dict[str, Any]) -> Table:
        """The table, for an actor who holds the permission (refused before any row is read)."""
        actor.require(self.permission)
        return self.table(actor, params)

    def audit(self, actor: Actor, table: Table) -> None:
        if self.audit_action is None:
            return
        if not _recorder:
            raise ImproperlyConfigured("导出的审计记录未接入（fpa.audit 未加载）")
        _recorder[0](actor, self.audit_action, {**table.recorded, "count": table.total})

    def run(self, job: Job, actor: Actor, progress: Progress) -> None:
        """The job: the file under MEDIA_ROOT/exports, then the audit entry."""
        table = self.checked_table(actor, job.params)
        fmt = file_format(job.params)
        progress.start(table.total, f"正在导出 {table.total} {self.unit}")
        name = f"{job.pk}.{fmt}"
        with whole_scan():
            rows = _counted(table.rows, progress)
            write_table(export_path(name), fmt, table.title, table.header, rows)
        self.audit(actor, table)
        job.result_file = f"exports/{name}"
        job.result_name = table.name(fmt)
        job.message = f"已导出 {table.total} {self.unit}"

    def response(self, actor: Actor, params: dict[str, Any], fmt: str = "xlsx") -> HttpResponse:
        """The file at once, made in memory: for a table of a few hundred rows at most."""
        table = self.checked_table(actor, params)
        buffer = io.BytesIO()
        write_table(buffer, fmt, table.title, table.header, table.rows)
        self.audit(actor, table)
        response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = content_disposition_header(True, table.name(fmt)) or ""
        return response


def _counted(rows: Iterable[list[Any]], progress: Progress) -> Iterator[list[Any]]:
    for i, row in enumerate(rows, start=1):
        if i % 500 == 0:
            progress.advance(i)
        yield row


#: key -> the registered exporter
EXPORTERS: dict[str, Exporter] = {}
E = TypeVar("E", bound=type[Exporter])


def exporter(cls: E) -> E:
    """Register an export: its job runner, and its file's permission from its declaration."""
    declared = cls()
    if not getattr(cls, "permission", ""):
        raise ImproperlyConfigured(f"{cls.__name__}: an export declares its permission")
    if not cls.audit_action and not cls.unaudited:
        raise ImproperlyConfigured(f"{cls.__name__}: an export is audited or says why not")
    EXPORTERS[cls.key] = declared
    runner(cls.key, file_permission=cls.permission)(declared.run)
    return cls
