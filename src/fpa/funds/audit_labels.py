"""The names of the funds' fields in the audit log (`fpa.audit.labels` reads `FIELDS`)."""

from __future__ import annotations

FIELDS: dict[str, str] = {
    "planned": "本级预算",
    "source": "资金来源",
    "purpose": "用途",
    "reason": "原因",
    "doc_number": "文号",
    "from": "下拨单位",
    "to": "收款单位",
    "state": "状态",
    "name": "名称",
    "file": "文件",
    "score": "得分",
    "grade": "等级",
    "evaluator": "评价人",
    "budget": "预算",
    "voucher": "凭证号",
    "payee": "收款方",
}
