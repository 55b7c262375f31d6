from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest

from fpa.kernel.scope import ScopeError
from fpa.orgs.models import Org, OrgYear, ServiceSite
from tests.conftest import actor_of

SRC = Path(__file__).resolve().parents[2] / "src" / "fpa"


@pytest.mark.parametrize("model", [Org, OrgYear, ServiceSite])
def test_query_without_an_actor_is_refused(db, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()


def test_township_user_sees_exactly_their_township_subtree(users, tree):
    outsider = actor_of(users["outsider"])
    seen = set(Org.objects.for_actor(outsider).values_list("code", flat=True))
    assert seen == {"430181001000", "430181001001"}


def test_village_user_cannot_see_neighbour_village(users, tree):
    village = actor_of(users["village"])
    assert not Org.objects.for_actor(village).filter(code="430121001002").exists()
    assert Org.objects.for_actor(village).filter(code="430121001001").exists()


#: modules that may use `unscoped_objects`, by kind (a glob under src/fpa) and why
UNSCOPED_ALLOWED = {
    "*/migrations/*": "data migrations run with no actor",
    "*/management/commands/*": "commands are system code with no actor",
    "kernel/*": "the scope mechanism itself, the ancestor upkeep and the counters",
    "*/models.py": "managers and model methods (Django's own machinery runs without an actor)",
    "*/models/*": "managers and model methods (Django's own machinery runs without an actor)",
    "*services.py": "services check the reach themselves, then lock and write rows",
    "programs/setup.py": "service: program set-up and budgets (checks the funding org)",
    "programs/approval.py": "service: decisions on an application (checks the step's org)",
    "programs/approval_chain.py": "service: the orgs of an application's chain, above the clerk",
    "programs/enrolment.py": "service: bulk enrolment (checks the reach, locks the budget)",
    "programs/granting.py": "service: entitlements written by an approval",
    "programs/payments.py": "service: payment batches (checks the county's reach)",
    "programs/payees.py": "service: payees (a clash of account and name is refused wherever it is)",
    "programs/eligibility.py": "service: who may benefit, read across the beneficiary's records",
    "people/duplicates.py": "service: merging two person records (checks both in reach)",
    "*/demo.py": "demo loaders: system code with no actor",
    "demo/*": "the demo loader: system code with no actor",
    "*/imports.py": "import loaders: rows checked against the actor's reach, then bulk-written",
    "orgs/divisions.py": "the division code table loader (system code)",
    "orgs/codes.py": "division codes resolved for commands and imports (system code)",
    "orgs/tree.py": "the path of a new child and the names above an org already in reach",
    "orgs/stats.py": "figures for an org the caller has already found in reach (its subtree)",
    "orgs/exports.py": "the subtree of an org the caller has already found in reach",
    "people/counting.py": "recounting the counters from every record (system code)",
    "families/coverage.py": "care records of families already selected for the actor",
    "programs/selectors.py": "a program's figures under a node the caller found in reach",
    "programs/forms.py": "empty choice querysets, replaced by the actor's in the form's init",
    "funds/forms.py": "empty choice querysets, replaced by the actor's in the form's init",
    "funds/ledger.py": "service: the ledger's lines, locked and moved after the reach check",
    "funds/projects.py": "service: a project locked and moved after the reach check",
    "funds/selectors.py": "an org's lines and transfers, for an org the caller found in reach",
    "core/jobs.py": "the job runner updates the job it runs (found by its owner first)",
    "core/tasks.py": "the background task loads the job it was given",
    "audit/chain.py": "the hash chain reads the whole log (append-only, system code)",
    "figures/*": "the figure registry computes an org's subtree; its callers check the reach",
    "*/figures.py": "figure declarations, computed by the registry for an org found in reach",
    "funds/donations.py": "service: gifts locked and charged after the reach check",
    "funds/donation_selectors.py": "a campaign's or a person's gifts, for one found in reach",
    "funds/donation_imports.py": "import loaders: rows checked against the actor's reach",
    "funds/donation_forms.py": "empty choice querysets, replaced by the actor's in the form's init",
    "funds/donation_demo.py": "the donations' demo loader: system code with no actor",
}


def test_no_module_uses_the_unscoped_manager_unless_exempt():
    """Every module under src/ is scanned, not only the views: a page helper or an API module
    with a forgotten scope fails here; a new exemption needs its reason above."""
    offenders = [
        rel
        for path in sorted(SRC.rglob("*.py"))
        if re.search(r"unscoped_objects", path.read_text(encoding="utf-8"))
        and not any(
            fnmatch.fnmatch(rel := str(path.relative_to(SRC)), pattern)
            for pattern in UNSCOPED_ALLOWED
        )
    ]
    assert offenders == []


def test_no_view_opens_a_transaction_or_writes_an_audit_entry():
    """Services own transactions and audit entries (DESIGN §4): pages and the API call them."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if not (path.name.endswith("views.py") or path.name.startswith("api")):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"transaction\.|\brecord(_reveal)?\(|import .*\brecord\b", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
