"""Registry exports as background jobs: streamed, memory flat, numbers masked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fpa.audit.services import record
from fpa.core.exports import whole_scan, write_job_file
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel.scope import Actor

from . import selectors
from .forms import MemberFilter, PersonFilter, PositionFilter
from .positions_services import KINDS as POSITION_KINDS
from .positions_services import LABELS as POSITION_LABELS

PERSON_HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "证件类型",
    "证件号码",
    "联系电话",
    "居住地",
    "居住地代码",
]
MEMBER_HEADER = ["会员证号", "入会日期", "状态", "入会单位", *PERSON_HEADER]


#: Each position's own columns after the holder's: (header, value of one row).
POSITION_COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "volunteer": [
        ("注册日期", lambda r: r.since),
        ("服务时长（小时）", lambda r: r.hours),
        ("特长", lambda r: r.skills),
        ("在册", lambda r: "是" if r.active else "否"),
    ],
    "council": [
        ("常务理事", lambda r: "是" if r.standing else "否"),
        ("任期开始", lambda r: r.term_start),
        ("任期结束", lambda r: r.term_end),
    ],
    "staff": [
        ("岗位", lambda r: r.post),
        ("专兼职", lambda r: "专职" if r.full_time else "兼职"),
        ("编制", lambda r: r.get_establishment_display()),
        ("到岗日期", lambda r: r.since),
        ("离岗日期", lambda r: r.until),
    ],
    "officer": [
        ("职务", lambda r: r.get_position_display()),
        ("任期开始", lambda r: r.term_start),
        ("任期结束", lambda r: r.term_end),
        ("报县级备案日期", lambda r: r.filed_on),
    ],
}


def _person_cells(p: Any) -> list[Any]:
    # Full numbers never leave in an export: the last four characters are enough to check.
    return [
        p.name,
        p.get_gender_display(),
        p.birth_date,
        p.ethnicity,
        p.get_id_type_display(),
        f"**************{p.id_number_last4}" if p.id_number_last4 else "",
        f"*******{p.phone_last4}" if p.phone_last4 else "",
        p.org.name,
        p.org.code,
    ]


def _filters(job: Job, actor: Actor, form_class: type) -> dict[str, Any]:
    form = form_class(job.params, actor=actor)
    return form.cleaned_data if form.is_valid() else {}


def _run(
    job: Job, actor: Actor, progress: Progress, qs: Any, header: list[str], cells: Any, title: str
) -> None:
    actor.require("people.export")
    total = qs.count()
    rows: Iterator[list[Any]] = (cells(x) for x in qs.iterator(chunk_size=2000))
    with whole_scan():
        write_job_file(job, progress, total=total, unit="条", title=title, header=header, rows=rows)
    record(
        actor, "fpa.people.exported", None, {"kind": title, "count": total, "filters": job.params}
    )


@runner("people.export.persons")
def export_persons(job: Job, actor: Actor, progress: Progress) -> None:
    qs = selectors.persons(actor, _filters(job, actor, PersonFilter))
    _run(job, actor, progress, qs, PERSON_HEADER, _person_cells, "人员名单")


@runner("people.export.members")
def export_members(job: Job, actor: Actor, progress: Progress) -> None:
    qs = selectors.members(actor, _filters(job, actor, MemberFilter))

    def cells(m: Any) -> list[Any]:
        return [
            m.card_number,
            m.joined_on,
            m.get_status_display(),
            m.org.name,
            *_person_cells(m.person),
        ]

    _run(job, actor, progress, qs.select_related("person__org"), MEMBER_HEADER, cells, "会员名单")


@runner("people.export.positions")
def export_positions(job: Job, actor: Actor, progress: Progress) -> None:
    kind = job.params.get("kind")
    if kind not in POSITION_KINDS:
        raise ValueError(f"unknown position {kind!r}")
    qs = selectors.positions(actor, kind, _filters(job, actor, PositionFilter))
    columns = POSITION_COLUMNS[kind]
    header = ["任职单位", "任职单位代码", *(h for h, _ in columns), *PERSON_HEADER]

    def cells(r: Any) -> list[Any]:
        return [
            r.org.name,
            r.org.code,
            *(value(r) for _, value in columns),
            *_person_cells(r.person),
        ]

    qs = qs.select_related("person__org")
    _run(job, actor, progress, qs, header, cells, f"{POSITION_LABELS[kind]}名单")
