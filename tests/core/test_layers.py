"""`core` knows no domain: no module under src/fpa/core imports an app (DESIGN §3)."""

from __future__ import annotations

import ast
from pathlib import Path

import fpa.core

APPS = ("accounts", "orgs", "people", "families", "programs", "audit", "demo")
#: what core may use from an app, and why
ALLOWED = {
    # The actor and scoped manager of the tree kernel: core's jobs and import pages act for
    # someone, and the kernel's scope module itself imports no app module.
    "fpa.orgs.kernel.scope": "Actor and the scoped manager (imports no app)",
}


def _imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def test_no_core_module_imports_an_app():
    root = Path(fpa.core.__file__).parent
    offending = []
    for path in sorted(root.rglob("*.py")):
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = name.split(".")
            if len(parts) < 2 or parts[0] != "fpa" or parts[1] not in APPS:
                continue
            if any(name == ok or name.startswith(ok + ".") for ok in ALLOWED):
                continue
            offending.append(f"{path.relative_to(root)}: {name}")
    assert offending == []
