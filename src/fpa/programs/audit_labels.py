"""The names of an application's details and a program's rate parameters in the audit log
(`fpa.audit.labels` reads each app's `audit_labels.FIELDS`): the labels the rules' forms show."""

from __future__ import annotations

from .rules import RULES

FIELDS: dict[str, str] = {
    field.name: field.label for rule in RULES.values() for field in (*rule.fields, *rule.params)
}
# Two rules name a start date differently (保险起期, 放款日期): the log says what both are.
FIELDS["starts_on"] = "起始日期"
