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

# Donations (issue 14 points 4–5): their actions, read by `fpa.audit.labels` beside its table.
ACTIONS: dict[str, str] = {
    "fpa.funds.donation_recorded": "登记捐赠",
    "fpa.funds.donations_imported": "导入捐赠",
    "fpa.funds.donations_exported": "导出捐赠登记",
    "fpa.funds.receipt_issued": "登记捐赠票据",
    "fpa.funds.receipt_voided": "作废捐赠票据",
    "fpa.funds.receipt_reissued": "补开捐赠票据",
    "fpa.funds.receipts_exported": "导出捐赠票据登记",
    "fpa.funds.campaign_created": "发起募捐活动",
    "fpa.funds.campaigns_exported": "导出募捐活动",
    "fpa.funds.distributed": "发放捐赠款物",
    "fpa.funds.distributions_imported": "导入捐赠款物发放",
    "fpa.funds.distributions_exported": "导出捐赠款物发放",
}
FIELDS.update(
    {
        "donor": "捐赠人",
        "recipient": "受助对象",
        "draws": "动用捐赠",
        "replaces": "补开自",
        "issued_on": "开票日期",
    }
)
