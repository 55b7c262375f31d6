"""The audit log reads in Chinese (issue 13 point 8): every action the code writes has a name,
every changed field has a label, and the page shows before → after as a table."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

import fpa
from fpa.audit import labels
from fpa.audit.services import record
from fpa.core.exporters import EXPORTERS
from fpa.people.positions_services import KINDS
from tests.conftest import actor_of
from tests.factories import UserFactory

SRC = Path(fpa.__file__).parent
ACTION = re.compile(r"^fpa\.[a-z_]+(\.[a-z_]+)+$")
CJK = re.compile(r"[\u4e00-\u9fff]")
#: the values the code's f-string actions take (fpa.application.{decision}, …)
DYNAMIC = {
    "fpa.application.": ["approve", "return", "reject"],
    "fpa.application.bulk_": ["approve", "return", "reject"],
    "fpa.person.": [f"{kind}.added" for kind in KINDS],
}


def _resolves(name: str) -> bool:
    """A dotted string that names a module or something in one is not an action."""
    parts = name.split(".")
    for cut in range(len(parts), 1, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                found = getattr(found, part)
        except AttributeError:
            return False
        return True
    return False


def _sources() -> list[ast.AST]:
    return [
        ast.parse(p.read_text(encoding="utf-8"))
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
    ]


def written_actions() -> set[str]:
    found = set()
    for tree in _sources():
        # an f-string's literal parts are not actions of their own
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in parts
            ):
                if ACTION.match(node.value) and not _resolves(node.value):
                    found.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if isinstance(head, ast.Constant) and str(head.value) in DYNAMIC:
                    found |= {f"{head.value}{v}" for v in DYNAMIC[str(head.value)]}
    found |= {e.audit_action for e in EXPORTERS.values() if e.audit_action}
    return found


def test_the_scan_finds_the_actions_the_code_writes():
    found = written_actions()
    assert {"fpa.family.viewed", "fpa.application.bulk_approve", "fpa.people.exported"} <= found
    assert "fpa.person.volunteer.added" in found and "fpa.core.urls" not in found


def test_every_action_the_code_writes_has_a_chinese_name():
    unnamed = sorted(a for a in written_actions() if not CJK.search(labels.action_label(a)))
    assert unnamed == []


def test_an_api_read_names_the_model_it_read():
    assert labels.action_label("fpa.person.viewed") == "查看人员"


def test_every_model_field_an_entry_can_name_has_a_chinese_label():
    unlabelled = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("fpa.")
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not CJK.search(str(labels.field_label(model._meta.label_lower, field.name)))
        and field.name not in ("hash", "prev_hash", "password", "last_login")
    ]
    assert unlabelled == [], unlabelled


def test_every_key_a_service_logs_beside_a_model_field_has_a_label():
    keys = set()
    for tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record":
                changes = node.args[3] if len(node.args) > 3 else None
                changes = next((k.value for k in node.keywords if k.arg == "changes"), changes)
                if isinstance(changes, ast.Dict):
                    keys |= {k.value for k in changes.keys if isinstance(k, ast.Constant)}
    assert keys and sorted(k for k in keys if not CJK.search(labels.field_label("", k))) == []


def test_the_log_shows_names_and_a_before_after_table(users, tree, client):
    auditor = UserFactory(username="aud", org=tree["430121000000"], roles=["auditor"])
    record(
        actor_of(users["county"]),
        "fpa.member.status.changed",
        users["county"],
        {"is_active": [True, False], "reason": "离职"},
    )
    client.force_login(auditor)
    page = client.get(reverse("audit:log")).content.decode()
    assert 'data-testid="action">变更会员状态<' in page
    assert "fpa.member.status.changed" in page  # the code on hover
    assert "<th" in page and ">是<" in page and "→ 否" in page and ">离职<" in page


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"action": "重置"}, {"fpa.account.password.reset"}),
        ({"actor": "县"}, {"fpa.account.password.reset", "fpa.pii.revealed"}),
        ({"org": "长沙县"}, {"fpa.account.password.reset", "fpa.pii.revealed"}),
        ({"org": "星沙街道"}, set()),
    ],
)
def test_the_log_filters_by_chinese_action_name_user_and_org_by_name(
    users, tree, client, params, expected
):
    county = actor_of(users["county"])
    record(county, "fpa.account.password.reset", users["village"], {})
    record(county, "fpa.pii.revealed", users["village"], {"field": "phone"})
    users["county"].display_name = "县里的录入员"
    users["county"].save()
    auditor = UserFactory(username="aud", org=tree["430121000000"], roles=["auditor"])
    client.force_login(auditor)
    page = client.get(reverse("audit:log"), params).content.decode()
    shown = set(re.findall(r'data-testid="action">([^<]+)<', page))
    assert shown == {labels.action_label(a) for a in expected}


def test_an_applications_details_are_named_as_the_rules_forms_name_them():
    from fpa.programs.rules import RULES

    keys = {f.name for rule in RULES.values() for f in (*rule.fields, *rule.params)}
    unnamed = sorted(k for k in keys if not CJK.search(labels.field_label("", k)))
    assert unnamed == []
    rows = labels.changes(
        "programs.application", {"details": [None, {"bank": "长沙银行", "principal": "50000"}]}
    )
    assert rows[0].after == "贷款银行：长沙银行；贷款本金（元）：50000"
