"""The registry's exports (persons, members, positions as jobs; relocation requests at once):
streamed, memory flat, numbers masked."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.utils import timezone

from fpa.core.exporters import Exporter, Table, exporter
from fpa.core.fields import reveal
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


def _person_cells(p: Any, full: bool = False) -> list[Any]:
    """A person's columns. Numbers leave masked (the last four are enough to check) unless the
    export is the full one, which its own permission opens and its own audit action records."""
    if full:
        numbers = [reveal(p.id_number_enc), reveal(p.phone_enc)]
    else:
        numbers = [
            f"**************{p.id_number_last4}" if p.id_number_last4 else "",
            f"*******{p.phone_last4}" if p.phone_last4 else "",
        ]
    return [
        p.name,
        p.get_gender_display(),
        p.birth_date,
        p.ethnicity,
        p.get_id_type_display(),
        *numbers,
        p.org.name,
        p.org.code,
    ]


def _filters(params: dict[str, Any], actor: Actor, form_class: type) -> dict[str, Any]:
    form = form_class(params, actor=actor)
    return form.cleaned_data if form.is_valid() else {}


def _table(title: str, header: list[str], qs: Any, cells: Any, params: dict[str, Any]) -> Table:
    rows = (cells(x) for x in qs.iterator(chunk_size=2000))
    recorded = {"kind": title, "filters": params}
    return Table(title, header, rows, qs.count(), recorded=recorded)


class _RegistryExport(Exporter):
    permission = "people.export"
    audit_action = "fpa.people.exported"


@exporter
class PersonList(_RegistryExport):
    key = "people.export.persons"
    full = False

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        qs = selectors.persons(actor, _filters(params, actor, PersonFilter))
        title = "人员名单（含完整号码）" if self.full else "人员名单"
        return _table(title, PERSON_HEADER, qs, partial(_person_cells, full=self.full), params)


@exporter
class MemberList(_RegistryExport):
    key = "people.export.members"
    full = False

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        qs = selectors.members(actor, _filters(params, actor, MemberFilter))

        def cells(m: Any) -> list[Any]:
            return [
                m.card_number,
                m.joined_on,
                m.get_status_display(),
                m.org.name,
                *_person_cells(m.person, full=self.full),
            ]

        title = "会员名单（含完整号码）" if self.full else "会员名单"
        return _table(title, MEMBER_HEADER, qs.select_related("person__org"), cells, params)


@exporter
class PersonListFull(PersonList):
    """The person list with whole ID and phone numbers, for a bank or insurer: a permission
    of its own (名单经办员), and an audit action of its own with the filter and the count."""

    key = "people.export.persons_full"
    permission = "people.export_full"
    audit_action = "fpa.people.exported_full"
    full = True


@exporter
class MemberListFull(MemberList):
    """The member list with whole numbers (see PersonListFull)."""

    key = "people.export.members_full"
    permission = "people.export_full"
    audit_action = "fpa.people.exported_full"
    full = True


@exporter
class PositionList(_RegistryExport):
    """The holders of one kind of position (`params["kind"]`), with that position's columns."""

    key = "people.export.positions"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        kind = params.get("kind")
        if kind not in POSITION_KINDS:
            raise ValueError(f"unknown position {kind!r}")
        qs = selectors.positions(actor, kind, _filters(params, actor, PositionFilter))
        columns = POSITION_COLUMNS[kind]
        header = ["任职单位", "任职单位代码", *(h for h, _ in columns), *PERSON_HEADER]

        def cells(r: Any) -> list[Any]:
            return [
                r.org.name,
                r.org.code,
                *(value(r) for _, value in columns),
                *_person_cells(r.person),
            ]

        title = f"{POSITION_LABELS[kind]}名单"
        return _table(title, header, qs.select_related("person__org"), cells, params)


@exporter
class RelocationList(Exporter):
    """Relocation requests, a page download: "out" those the actor's orgs decide, "in"
    (`params["dir"]`) those they sent."""

    key = "people.export.relocations"
    permission = "people.export"
    audit_action = "fpa.people.relocations.exported"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        direction = "in" if params.get("dir") == "in" else "out"
        qs = selectors.relocations(actor, direction)
        # "in": the person belongs to another org's reach, so the file names nobody, as the page.
        who = [] if direction == "in" else ["人员"]
        header = [*who, "转出单位", "转入单位", "原因", "申请时间", "状态"]
        rows = (
            [
                *([] if direction == "in" else [t.person.name]),
                t.from_org.name,
                t.to_org.name,
                t.reason,
                timezone.localtime(t.requested_at).strftime("%Y-%m-%d %H:%M"),
                t.get_status_display(),
            ]
            for t in qs.iterator(chunk_size=2000)
        )
        title = "转出申请" if direction == "out" else "转入申请"
        return Table(title, header, rows, qs.count(), recorded={"direction": direction})
