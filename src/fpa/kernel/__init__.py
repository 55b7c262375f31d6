"""The tree kernel: what every org-owned table rests on (DESIGN §4 rules 1 and 8).

`scope` (Actor, the scoped manager, the one reach check), `owned` (the `OrgOwned` base),
`upkeep` (ancestor columns and subtree counters kept right on a move, every org-owned model found
through the app registry), `merging` (what a merge does with each table, declared on the model
as `on_merge` and found through the app registry) and `counters` (subtree totals kept by the
services). `scope`, `owned` and `merging` import no domain app, so any app's models can build on
them.
"""
