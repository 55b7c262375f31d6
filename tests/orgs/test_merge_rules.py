"""What a merge does with each table is declared on the model and found through the app registry
(DESIGN §4 rule 8: nothing registers by hand)."""

from __future__ import annotations

import ast
from pathlib import Path

from fpa.kernel import merging, upkeep
from fpa.kernel.merging import Moves, Stays

SRC = Path(__file__).resolve().parents[2] / "src" / "fpa"
#: what a module-level statement calls to add itself to a list or table kept by another module
MUTATORS = {"append", "extend", "insert", "update", "add", "setdefault"}


def test_every_org_owned_table_declares_what_a_merge_does_with_its_rows():
    rules = dict(merging.declared())
    missing = [m._meta.label for m in upkeep.ancestor_tables() if m not in rules]
    assert missing == [], "declare on_merge = Moves(…) or Stays(reason) on these models"
    for model, rule in rules.items():
        assert "org" in {f.name for f in model._meta.concrete_fields}, model._meta.label
        if isinstance(rule, Stays):
            assert rule.reason.strip(), model._meta.label
    labels = [rule.label for rule in rules.values() if isinstance(rule, Moves)]
    assert len(labels) == len(set(labels)) and "children" not in labels
    # Beside the org-owned tables only the accounts move with their org.
    assert {m._meta.label for m in rules} - {m._meta.label for m in upkeep.ancestor_tables()} == {
        "accounts.User"
    }


def _imported_modules(tree: ast.Module) -> set[str]:
    """The names a module binds to the project's own modules (`fpa.*` or relative imports)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names |= {a.asname or a.name for a in node.names if a.name.startswith("fpa.")}
        elif isinstance(node, ast.ImportFrom) and (node.level or node.module.startswith("fpa")):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def _hand_registrations(path: Path) -> list[str]:
    """Module-level statements that add to another module's list or table, e.g.
    `org_services.MERGE_STEPS.append(_merge_people)` — the registration rule 8 forbids."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = _imported_modules(tree)
    found = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        target = call.func.value
        if call.func.attr in MUTATORS and isinstance(target, ast.Attribute):
            root = target
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in imported:
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_module_registers_a_step_into_another_by_hand():
    found = [hit for path in sorted(SRC.rglob("*.py")) for hit in _hand_registrations(path)]
    assert found == []


def test_the_hand_registration_check_catches_the_old_merge_step(tmp_path, monkeypatch):
    module = tmp_path / "services.py"
    module.write_text(
        "from fpa.orgs import services as org_services\n\n\n"
        "def _merge_people(old, successor):\n    return {}\n\n\n"
        "org_services.MERGE_STEPS.append(_merge_people)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    assert _hand_registrations(module) == [
        "services.py:8 org_services.MERGE_STEPS.append(_merge_people)"
    ]
