"""Layers (DESIGN §3): `core` knows no domain — no module under src/fpa/core imports an app — and
the one piece of the tree kernel core builds on (`fpa.kernel.scope`: Actor, the scoped manager,
the reach check) imports no app either, so core still rests on no domain through it."""

from __future__ import annotations

import ast
from pathlib import Path

import fpa.core
import fpa.kernel.scope

APPS = ("accounts", "orgs", "people", "families", "programs", "audit", "demo", "figures")
#: what core may use beside itself: the kernel's scope module, checked below to import no app
ALLOWED = ("fpa.kernel.scope",)


def _runtime_imports(tree: ast.AST, annotations: bool = False) -> list[str]:
    """Every module an import statement names; those under `if TYPE_CHECKING:` (names for
    annotations only, never loaded) only with `annotations`."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        skip = isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
        if skip and not annotations:
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _app_imports(path: Path, allowed: tuple[str, ...] = (), annotations: bool = False) -> list[str]:
    offending = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _runtime_imports(tree, annotations):
        parts = name.split(".")
        if len(parts) < 2 or parts[0] != "fpa":
            continue
        kernel_beyond_allowed = parts[1] == "kernel" and not any(map(name.startswith, allowed))
        if kernel_beyond_allowed or parts[1] in APPS:
            offending.append(name)
    return offending


def test_no_core_module_imports_an_app():
    root = Path(fpa.core.__file__).parent
    offending = [
        f"{path.relative_to(root)}: {name}"
        for path in sorted(root.rglob("*.py"))
        # not even for an annotation: core knows no domain
        for name in _app_imports(path, ALLOWED, annotations=True)
    ]
    assert offending == []


def test_the_kernel_scope_core_uses_imports_no_app():
    # its annotations name the user and the org it sits on, never loaded
    assert _app_imports(Path(fpa.kernel.scope.__file__)) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from fpa.orgs.models import Org\n"
        "def f():\n    from fpa.accounts.models import Grant\n",
        encoding="utf-8",
    )
    assert _app_imports(sample) == ["fpa.accounts.models", "fpa.accounts.models.Grant"]
