"""The audit log in the auditor's words: a Chinese name for every action and every changed field
(issue 13 point 8). tests/audit/test_labels.py fails for an action the code writes without a
name here, and for a changed field that is neither a model field with a Chinese name nor named
in `FIELDS`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from fpa.core.discovery import app_modules

ACTIONS = {
    "fpa.account.created": "新建账号",
    "fpa.account.disabled": "停用账号",
    "fpa.account.enabled": "启用账号",
    "fpa.account.password.changed": "修改密码",
    "fpa.account.password.reset": "重置密码",
    "fpa.account.password.reset_requested": "申请重置密码",
    "fpa.account.password.reset_confirmed": "确认重置密码",
    "fpa.account.password.reset_refused": "拒绝重置密码",
    "fpa.account.roles.changed": "调整角色",
    "fpa.account.token.created": "创建 API 令牌",
    "fpa.account.token.revoked": "吊销 API 令牌",
    "fpa.account.totp.started": "开始绑定手机令牌",
    "fpa.account.totp.enrolled": "绑定手机令牌",
    "fpa.account.unlocked": "解除锁定",
    "fpa.accounts.exported": "导出账号名单",
    "fpa.application.filed": "提交帮扶申请",
    "fpa.application.imported": "导入帮扶申请",
    "fpa.application.resubmitted": "重新提交申请",
    "fpa.application.withdrawn": "撤回申请",
    "fpa.application.approve": "同意申请",
    "fpa.application.return": "退回申请",
    "fpa.application.reject": "不予批准",
    "fpa.application.bulk_approve": "批量同意申请",
    "fpa.application.bulk_return": "批量退回申请",
    "fpa.application.bulk_reject": "批量不予批准",
    "fpa.audit.exported": "导出审计日志",
    "fpa.families.exported": "导出特殊家庭名单",
    "fpa.families.imported": "导入特殊家庭",
    "fpa.families.worklist.exported": "导出特殊家庭待办",
    "fpa.family.care.attached": "上传关怀附件",
    "fpa.family.care.batch": "批量登记节日慰问",
    "fpa.family.care.recorded": "登记关怀服务",
    "fpa.family.contact.set": "设置双岗联系人",
    "fpa.family.doctor.set": "登记家庭医生签约",
    "fpa.family.ended": "终止特殊家庭",
    "fpa.family.green_channel.set": "登记就医绿色通道",
    "fpa.family.moved": "特殊家庭迁出",
    "fpa.family.recognized": "认定特殊家庭",
    "fpa.family.viewed": "查看特殊家庭",
    "fpa.group_member.added": "登记团体会员",
    "fpa.household.founded": "建立家庭户",
    "fpa.household.member.added": "加入家庭户",
    "fpa.insurance.claim_recorded": "登记保险理赔",
    "fpa.member.group.changed": "调整会员小组",
    "fpa.member.joined": "入会并发证",
    "fpa.member.status.changed": "变更会员状态",
    "fpa.member_group.created": "建立会员小组",
    "fpa.org.created": "新建计生协",
    "fpa.org.divisions.loaded": "导入区划代码表",
    "fpa.org.merged": "合并单位",
    "fpa.org.profile.changed": "修改单位信息",
    "fpa.org.site.changed": "修改阵地",
    "fpa.org.site.created": "新建阵地",
    "fpa.org.year.changed": "填写年度概况",
    "fpa.orgs.exported": "导出单位名录",
    "fpa.payee.account_changed": "更正收款账号",
    "fpa.payment.bank_file": "生成银行代发文件",
    "fpa.payment.bank_file_downloaded": "下载银行代发文件",
    "fpa.payment.bank_return": "导入银行回盘",
    "fpa.payment.batch_built": "生成发放批次",
    "fpa.people.exported": "导出人员名单",
    "fpa.people.exported_full": "导出含完整号码的名单",
    "fpa.people.imported": "导入人员",
    "fpa.people.relocations.exported": "导出转接名单",
    "fpa.person.changed": "修改人员信息",
    "fpa.person.merged": "合并重复人员",
    "fpa.person.registered": "登记人员",
    "fpa.person.relocation.decided": "办理人员转接",
    "fpa.person.relocation.requested": "申请人员转接",
    "fpa.person.staff.ended": "工作人员离岗",
    "fpa.person.volunteer.added": "登记志愿者",
    "fpa.person.council.added": "登记理事",
    "fpa.person.staff.added": "登记工作人员",
    "fpa.person.officer.added": "登记会长/副会长/秘书长",
    "fpa.pii.revealed": "查看完整号码",
    "fpa.program.budget_split": "下拨项目预算",
    "fpa.funds.line_opened": "新增预算科目",
    "fpa.funds.line_revised": "调整预算",
    "fpa.funds.transferred": "下拨资金（转移支付）",
    "fpa.funds.spent": "登记支出",
    "fpa.funds.lines_exported": "导出预算科目",
    "fpa.funds.transfers_exported": "导出转移支付登记",
    "fpa.funds.projects_exported": "导出项目库",
    "fpa.funds.lines_imported": "导入预算科目",
    "fpa.funds.transfers_imported": "导入下拨明细",
    "fpa.funds.evaluation_exported": "导出绩效评价报告",
    "fpa.project.applied": "申报项目",
    "fpa.project.advanced": "项目状态变更",
    "fpa.project.target_added": "设置绩效目标",
    "fpa.project.milestone_added": "增加项目节点",
    "fpa.project.milestone_done": "项目节点完成",
    "fpa.project.attached": "上传项目佐证材料",
    "fpa.project.evaluated": "项目绩效评价",
    "fpa.program.created": "新建帮扶项目",
    "fpa.program.insurance_enrolled": "团体投保",
    "fpa.program.rate_set": "设置项目标准",
    "fpa.program.status": "开始或截止受理",
    "fpa.programs.exported": "导出帮扶项目数据",
}

CJK = re.compile(r"[\u4e00-\u9fff]")
#: an action written for any model (an API read of personal data names its model)
VIEWED = re.compile(r"^fpa\.([a-z_]+)\.viewed$")

#: keys of a change that are not a field of the entry's object, and model fields that carry no
#: Chinese name of their own (foreign keys and bookkeeping columns, named the same everywhere)
FIELDS = {
    "actor": "操作人",
    "actor_org": "操作人单位",
    "application": "申请",
    "applied_at": "导入时间",
    "at": "时间",
    "batch": "发放批次",
    "beneficiary": "受益对象",
    "city": "所属市州",
    "code": "代码",
    "computed_at": "统计时间",
    "county": "所属县市区",
    "created_at": "登记时间",
    "decided_at": "办理时间",
    "decided_by": "办理人",
    "end": "截止日期",
    "entitlement": "享受待遇",
    "exported_at": "导出时间",
    "failed": "失败",
    "family": "特殊家庭",
    "filed_by": "提交人",
    "filename": "文件名",
    "finished_at": "完成时间",
    "from_org": "转出单位",
    "funding_org": "出资单位",
    "grantable": "可授予的角色",
    "granted_at": "授予时间",
    "granted_by": "授予人",
    "granter": "授予者角色",
    "household": "家庭户",
    "insurer": "承保机构",
    "ip": "IP 地址",
    "key": "指标",
    "last": "最后编号",
    "leader": "组长",
    "membership": "会员",
    "merged_into": "并入",
    "paid": "已到账",
    "params": "参数",
    "payee": "收款人",
    "policy": "保单",
    "prefix": "前缀",
    "program": "帮扶项目",
    "recorded_at": "录入时间",
    "recorded_by": "录入人",
    "replaced_at": "更换时间",
    "requested_at": "申请时间",
    "requested_by": "申请人",
    "rows": "明细",
    "sha256": "文件校验值",
    "step": "审批环节",
    "totals": "合计",
    "township": "所属乡镇街道",
    "updated_at": "修改时间",
    "uploaded_at": "上传时间",
    "user": "用户",
    "value": "数值",
    "version": "版本",
    "accepted": "接收",
    "account": "收款账号",
    "amount": "金额",
    "basis": "分配依据",
    "budget": "预算",
    "by": "经办人",
    "card_number": "会员证号",
    "claimed_on": "理赔日期",
    "count": "条数",
    "created": "新建",
    "details": "申请内容",
    "doctor": "家庭医生",
    "done": "已办理",
    "expires": "有效期至",
    "festival": "节日",
    "field": "查看的号码",
    "file": "文件",
    "filed": "提交",
    "filters": "筛选条件",
    "group": "会员小组",
    "group_policy": "团体保单",
    "head": "户主",
    "id_number": "证件号码",
    "is_active": "启用",
    "kind": "类别",
    "left_out": "未纳入",
    "lines": "明细行数",
    "merged": "并入",
    "model": "数据类型",
    "moved": "转移",
    "name": "名称",
    "number": "编号",
    "on": "日期",
    "org": "单位",
    "parent": "上级",
    "parents": "父母",
    "person": "人员",
    "persons": "人数",
    "query": "查询条件",
    "rate": "标准",
    "reason": "原因",
    "record": "记录",
    "refused": "拒绝",
    "relation": "与户主关系",
    "report": "错误报告",
    "reset": "重置",
    "role": "岗位",
    "roles": "角色",
    "status": "状态",
    "steps": "审批环节",
    "summary": "摘要",
    "table": "代码表",
    "to_org": "转入单位",
    "total": "合计",
    "until": "截止日期",
    "via": "途径",
    "year": "年度",
}


def action_label(action: str) -> str:
    """The action in Chinese; an unnamed one shows its code (and fails the labels test)."""
    if action in ACTIONS:
        return ACTIONS[action]
    if action in _app_actions():
        return _app_actions()[action]
    if match := VIEWED.match(action):
        return f"查看{_model_name(match.group(1))}"
    return action


def actions_named(text: str) -> list[str]:
    """The action codes whose Chinese name holds `text`, or whose code starts with it."""
    named = {**ACTIONS, **_app_actions()}
    return [code for code, label in named.items() if text in label or code.startswith(text)]


def _model_name(model_name: str) -> str:
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return str(model._meta.verbose_name)
    return model_name


def _field(object_type: str, key: str) -> Any:
    if not object_type:
        return None
    try:
        return apps.get_model(object_type)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


@cache
def _app_actions() -> dict[str, str]:
    """Actions an app names in its own `audit_labels.ACTIONS` (found through the app registry),
    beside the shared table above."""
    found: dict[str, str] = {}
    for module in app_modules("audit_labels"):
        found.update(getattr(module, "ACTIONS", {}))
    return found


@cache
def _app_fields() -> dict[str, str]:
    """Names the apps give to keys of their own (an application's details): each app's
    `audit_labels.FIELDS`, found through the app registry."""
    found: dict[str, str] = {}
    for module in app_modules("audit_labels"):
        found.update(getattr(module, "FIELDS", {}))
    return found


def field_label(object_type: str, key: str) -> str:
    """A changed field's Chinese name: the model field's, else the shared table's, else the
    name its app gives it."""
    field = _field(object_type, key)
    named = str(getattr(field, "verbose_name", "") or "")
    if CJK.search(named):
        return named
    # Django names a field without a verbose name after its attribute ("created at")
    return FIELDS.get(key) or _app_fields().get(key) or named or key


def value_text(object_type: str, key: str, value: Any) -> str:
    """A logged value as the pages show it: a choice by its label, yes/no, nothing as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    field = _field(object_type, key)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, list):
        return "、".join(value_text(object_type, key, v) for v in value)
    if isinstance(value, dict):
        return "；".join(
            f"{field_label(object_type, k)}：{value_text(object_type, k, v)}"
            for k, v in value.items()
        )
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str


def changes(object_type: str, data: dict[str, Any]) -> list[Change]:
    """An entry's changes as rows: a field changed from → to, or a fact recorded with it."""
    rows = []
    for key, value in data.items():
        label = field_label(object_type, key)
        if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], dict):
            before, after = value
            shown = (value_text(object_type, key, before), value_text(object_type, key, after))
            rows.append(Change(label, *shown))
        else:
            rows.append(Change(label, None, value_text(object_type, key, value)))
    return rows
