"""One word per idea (the glossary): "transfer" is kept for 转移支付, so a person moving between
orgs is a relocation; "role" is only `accounts.Role`, so what a person holds at an org is a
position. These scans keep the old words from coming back."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

SRC = Path(__file__).resolve().parent.parent / "src"
TEXT = {".py", ".html", ".txt", ".md", ".js", ".css", ".toml", ".json"}

#: Where "transfer" may appear, with the reason. A path ending in "/" covers the folder.
TRANSFER_ALLOWED = {
    "fpa/core/static/vendor/": "third-party files (ECharts names its own API so)",
    "fpa/people/migrations/0001_initial.py": "history: the table was created as TransferRequest",
    "fpa/people/migrations/0006_relocation_and_positions_names.py": "history: the rename itself",
    "fpa/people/legacy_urls.py": "the old bookmarked /people/transfers/ addresses, redirected",
    "fpa/funds/": "转移支付 — the glossary's own meaning of transfer",
    "fpa/programs/setup.py": "a program's budget passes down as 转移支付 (funds)",
    "fpa/programs/migrations/0004_budget_lines.py": "the ledger's source 上级转移支付",
    "fpa/audit/labels.py": "the Chinese names of the funds' transfer actions",
}

#: An ARIA attribute (role="alert") is HTML's word, not ours.
ARIA = re.compile(r"""\brole=["'][a-z]+["']""")
PERSON_ROLE = re.compile(r"role", re.IGNORECASE)

#: Where a person's post may still be called a role in the people app, with the reason.
ROLE_ALLOWED = {
    "fpa/people/migrations/0006_relocation_and_positions_names.py": "the old job kind, renamed",
    "fpa/people/legacy_urls.py": "the old bookmarked /people/roles/ addresses, redirected",
}


def _files(root: Path):  # type: ignore[no-untyped-def]
    for path in sorted(root.rglob("*")):
        # what pip or Python generate beside the source (the editable install's egg-info lists
        # old file names until the next install) is not the source
        generated = "__pycache__" in path.parts or any(p.endswith(".egg-info") for p in path.parts)
        if path.is_file() and path.suffix in TEXT and not generated:
            yield path, path.relative_to(SRC).as_posix()


def _allowed(rel: str, allowed: dict[str, str]) -> bool:
    return any(rel == a or (a.endswith("/") and rel.startswith(a)) for a in allowed)


def test_transfer_appears_in_src_only_where_the_allowlist_says_why():
    found = [
        f"{rel}:{n}: {line.strip()[:80]}"
        for path, rel in _files(SRC)
        if not _allowed(rel, TRANSFER_ALLOWED)
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if "transfer" in line.lower()
    ]
    assert not found, "a person moving between orgs is a relocation:\n" + "\n".join(found)


def test_the_people_app_calls_a_persons_post_a_position_never_a_role():
    found = [
        f"{rel}:{n}: {line.strip()[:80]}"
        for path, rel in _files(SRC / "fpa" / "people")
        if not _allowed(rel, ROLE_ALLOWED)
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if PERSON_ROLE.search(ARIA.sub("", line))
    ]
    assert not found, "what a person holds at an org is a position:\n" + "\n".join(found)


def _routes(patterns, prefix: str = ""):  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name or ""


def test_only_the_accounts_urls_speak_of_roles_and_none_of_transfers():
    legacy = {"old_relocations", "old_relocation_request", "old_positions", "old_position_add"}
    routes = [(r, name) for r, name in _routes(get_resolver().url_patterns) if name not in legacy]
    assert not [r for r, _ in routes if "role" in r and not r.startswith("accounts/")]
    assert not [r for r, _ in routes if "transfer" in r and not r.startswith("funds/")]
    assert [r for r, _ in routes if r.startswith("people/positions/")]
    assert [r for r, _ in routes if r.startswith("people/relocations/")]
